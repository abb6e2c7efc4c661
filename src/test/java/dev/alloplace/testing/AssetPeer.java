package dev.alloplace.testing;

import dev.alloplace.assets.AssetId;
import dev.alloplace.assets.AssetMessage;
import dev.alloplace.client.AlloClient;
import java.io.ByteArrayOutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The asset side of a test agent, the way allonet clients do it: 1 MiB chunks, requested in turn. */
public final class AssetPeer {

    public static final int CHUNK = 1024 * 1024;

    private AssetPeer() {
    }

    /** Answers the place's requests for {@code content} (sending {@code served} instead, to lie). */
    public static void publish(AlloClient client, AssetId id, byte[] served) {
        client.onAsset(frame -> {
            if (AssetMessage.decode(frame) instanceof AssetMessage.Parsed.Ok ok
                    && ok.message() instanceof AssetMessage.Request request && request.id().equals(id)) {
                int offset = (int) request.offset();
                int length = (int) Math.min(request.length(), served.length - offset);
                byte[] chunk = java.util.Arrays.copyOfRange(served, offset, offset + length);
                client.sendAsset(new AssetMessage.Data(id, offset, served.length, chunk).encode());
            }
        });
    }

    /** Downloads an asset through the place; fails with the place's error reason. */
    public static CompletableFuture<byte[]> download(AlloClient client, AssetId id, String publishedBy) {
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        client.onAsset(frame -> {
            AssetMessage.Parsed parsed = AssetMessage.decode(frame);
            if (!(parsed instanceof AssetMessage.Parsed.Ok ok)) {
                result.completeExceptionally(new IllegalStateException("unreadable asset frame"));
                return;
            }
            if (ok.message() instanceof AssetMessage.Request request) {
                client.sendAsset(new AssetMessage.Failure(request.id().toString(), "Chunk not available", 1).encode());
            } else if (ok.message() instanceof AssetMessage.Failure failure) {
                result.completeExceptionally(new IllegalStateException(failure.reason()));
            } else if (ok.message() instanceof AssetMessage.Data data && data.id().equals(id)) {
                received.writeBytes(data.payload());
                long next = data.offset() + data.payload().length;
                if (next >= data.totalLength()) {
                    result.complete(received.toByteArray());
                } else {
                    client.sendAsset(new AssetMessage.Request(id, next, Math.min(CHUNK, data.totalLength() - next),
                            Optional.empty()).encode());
                }
            }
        });
        client.sendAsset(new AssetMessage.Request(id, 0, CHUNK, Optional.ofNullable(publishedBy)).encode());
        return result;
    }
}
