package dev.alloplace.apps;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads at most {@code limit} bytes of an HTTP answer, one chunk at a time, then stops reading
 * (which closes the connection): memory is bounded by what arrived and by the limit, never by
 * what the other side says or keeps sending.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Read> {

    /** What was read; {@code whole} is false when the answer went on past the limit. */
    record Read(byte[] bytes, boolean whole) {
    }

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Read> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<Read> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (result.isDone()) {
            s.cancel();
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            int room = limit - kept.size();
            if (buffer.remaining() > room) {
                copy(buffer, room);
                subscription.cancel();
                result.complete(new Read(kept.toByteArray(), false));
                return;
            }
            copy(buffer, buffer.remaining());
        }
        if (!result.isDone()) {
            subscription.request(1);
        }
    }

    private void copy(ByteBuffer buffer, int count) {
        byte[] bytes = new byte[count];
        buffer.get(bytes);
        kept.write(bytes, 0, count);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new Read(kept.toByteArray(), true));
    }

    /** Stops reading now (the caller's deadline passed); the answer fails with {@code reason}. */
    void abort(Throwable reason) {
        result.completeExceptionally(reason);
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
