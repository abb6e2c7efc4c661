package dev.alloplace.enet;

import java.net.InetAddress;

/**
 * At most one refusal per address per interval, in a fixed table (addresses that share a cell
 * share the allowance), so a CONNECT flood cannot make the host send a refusal for every
 * datagram, nor grow any memory. An honest client retransmits its CONNECT and gets the next one.
 */
final class RefusalLimiter {

    private static final int CELLS = 256;

    private final int[] addresses = new int[CELLS];
    private final long[] lastRefusal = new long[CELLS];
    private final boolean[] used = new boolean[CELLS];
    private final long intervalMillis;

    RefusalLimiter(long intervalMillis) {
        this.intervalMillis = intervalMillis;
    }

    /** True (and counted) if a refusal may be sent to {@code address} now. */
    boolean allow(InetAddress address, long now) {
        int hash = address.hashCode();
        int cell = (hash ^ (hash >>> 16)) & (CELLS - 1);
        if (used[cell] && addresses[cell] == hash && now - lastRefusal[cell] < intervalMillis) {
            return false;
        }
        used[cell] = true;
        addresses[cell] = hash;
        lastRefusal[cell] = now;
        return true;
    }
}
