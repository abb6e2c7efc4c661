package dev.alloplace.enet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;

/**
 * The buffers outgoing datagrams are built in, used again once the socket has sent them. A
 * buffer handed to the sink keeps one reference of ours; the channel releases its own after the
 * write, and a buffer whose only reference left is ours is free again. Buffers are sent in the
 * order they are handed over, so the oldest is always the first to check. This saves the pooled
 * allocator's bookkeeping (and leak-tracking samples) on every datagram. Owned by the host's thread.
 */
final class DatagramBuffers {

    /** Buffers kept for reuse at most; a burst beyond this goes back to the allocator. */
    private static final int KEPT = 512;

    private final ByteBufAllocator allocator;
    private final int size;
    private final ArrayDeque<ByteBuf> free = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> sent = new ArrayDeque<>();

    /** @param size the capacity of each buffer: the largest datagram the host builds */
    DatagramBuffers(ByteBufAllocator allocator, int size) {
        this.allocator = allocator;
        this.size = size;
    }

    /** An empty buffer of at least {@code capacity} bytes. */
    ByteBuf take(int capacity) {
        reclaim();
        ByteBuf buffer = free.pollFirst();
        if (buffer != null && buffer.capacity() >= capacity) {
            return buffer.clear();
        }
        if (buffer != null) {
            buffer.release();
        }
        int allocated = Math.max(size, capacity);
        return allocator.directBuffer(allocated, allocated);
    }

    /** {@code buffer} goes to the sink now; it is ours again once the sink has released it. */
    ByteBuf handOver(ByteBuf buffer) {
        if (sent.size() + free.size() < KEPT) {
            sent.addLast(buffer.retain());
        }
        return buffer;
    }

    /** {@code buffer} was taken but not sent. */
    void giveBack(ByteBuf buffer) {
        if (free.size() < KEPT) {
            free.addFirst(buffer);
        } else {
            buffer.release();
        }
    }

    /** Lets go of every buffer (the host is closing); those the channel still holds are freed when it is done. */
    void close() {
        free.forEach(ByteBuf::release);
        free.clear();
        sent.forEach(ByteBuf::release);
        sent.clear();
    }

    private void reclaim() {
        for (ByteBuf head; (head = sent.peekFirst()) != null && head.refCnt() == 1; ) {
            free.addLast(sent.pollFirst());
        }
    }
}
