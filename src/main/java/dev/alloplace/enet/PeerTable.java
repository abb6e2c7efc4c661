package dev.alloplace.enet;

import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.ConnectionStats;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The peer slots and how to find them: by connection id, by remote address, and how many
 * newcomers (connections the application has not admitted yet) hold slots. Mutated only on the
 * host's thread.
 *
 * <p>A connection id carries its slot in the low 12 bits, so the host finds a peer without a map,
 * and any thread can read a connection's published statistics from a per-slot cell that names
 * the connection it belongs to: a reader never sees another connection's figures, even while
 * the slot is being reused, and never needs a lock.
 */
final class PeerTable {

    private static final int SLOT_BITS = 12;

    /** A connection's statistics as of the last tick, tagged with the connection they describe. */
    private record Published(long connection, ConnectionStats stats) {
    }

    private final Peer[] peers;
    private final AtomicReferenceArray<Published> published;
    private final Map<InetAddress, List<Peer>> byAddress = new HashMap<>();
    /** The slots holding a connection, in the order they were opened; replaced (never changed) when one opens or closes. */
    private Peer[] live = new Peer[0];
    private long nextSequence = 1;
    private int newcomers;

    PeerTable(int size) {
        peers = new Peer[size];
        for (int i = 0; i < size; i++) {
            peers[i] = new Peer(i);
        }
        published = new AtomicReferenceArray<>(size);
    }

    /** Every slot, in index order; the array is the table's own, do not change it. */
    Peer[] slots() {
        return peers;
    }

    /**
     * The slots that hold a connection, in the order they were opened: what periodic work walks,
     * so that its cost follows the connections, not the table's size. The array is a snapshot the
     * caller may walk while peers come and go.
     */
    Peer[] live() {
        return live;
    }

    Peer at(int index) {
        return index >= 0 && index < peers.length ? peers[index] : null;
    }

    /** The live peer of {@code id}, or null once that connection is gone. */
    Peer get(ConnectionId id) {
        Peer peer = at((int) (id.value() & EnetProtocol.MAXIMUM_PEER_ID));
        return peer != null && peer.id != null && peer.id.value() == id.value() ? peer : null;
    }

    /** The lowest free slot, or null when every slot is taken. */
    Peer free() {
        for (Peer peer : peers) {
            if (peer.state == PeerState.DISCONNECTED) {
                return peer;
            }
        }
        return null;
    }

    /** Peers whose remote is at {@code address} (any port), in the order they were opened. */
    List<Peer> from(InetAddress address) {
        return byAddress.getOrDefault(address, List.of());
    }

    /** Starts a new connection in a free slot. */
    void open(Peer peer, InetSocketAddress remote, int mtu, int channels, long now) {
        ConnectionId id = new ConnectionId(nextSequence++ << SLOT_BITS | peer.index);
        peer.open(id, remote, mtu, channels, now);
        byAddress.computeIfAbsent(remote.getAddress(), key -> new ArrayList<>(2)).add(peer);
        published.set(peer.index, new Published(id.value(), null));
        Peer[] grown = Arrays.copyOf(live, live.length + 1);
        grown[live.length] = peer;
        live = grown;
    }

    /** Counts {@code peer} as a newcomer until {@link #admit} or {@link #release}. */
    void markNewcomer(Peer peer) {
        if (!peer.newcomer) {
            peer.newcomer = true;
            newcomers++;
        }
    }

    void admit(Peer peer) {
        if (peer.newcomer) {
            peer.newcomer = false;
            newcomers--;
        }
    }

    int newcomers() {
        return newcomers;
    }

    /** Frees the slot of {@code peer}; its connection id no longer finds anything. */
    void release(Peer peer) {
        admit(peer);
        if (peer.address != null) {
            List<Peer> same = byAddress.get(peer.address.getAddress());
            if (same != null) {
                same.remove(peer);
                if (same.isEmpty()) {
                    byAddress.remove(peer.address.getAddress());
                }
            }
        }
        published.set(peer.index, null);
        int at = Arrays.asList(live).indexOf(peer);
        if (at >= 0) {
            Peer[] shrunk = new Peer[live.length - 1];
            System.arraycopy(live, 0, shrunk, 0, at);
            System.arraycopy(live, at + 1, shrunk, at, live.length - at - 1);
            live = shrunk;
        }
        peer.reset();
    }

    /** Replaces the statistics other threads see for the connection in {@code peer}'s slot. */
    void publish(Peer peer, ConnectionStats stats) {
        if (peer.id != null) {
            published.set(peer.index, new Published(peer.id.value(), stats));
        }
    }

    /** The statistics last published for {@code id}; safe from any thread. */
    Optional<ConnectionStats> published(ConnectionId id) {
        int slot = (int) (id.value() & EnetProtocol.MAXIMUM_PEER_ID);
        if (slot >= peers.length) {
            return Optional.empty();
        }
        Published cell = published.get(slot);
        return cell != null && cell.connection() == id.value() ? Optional.ofNullable(cell.stats()) : Optional.empty();
    }

    int connected() {
        int count = 0;
        for (Peer peer : live) {
            if (peer.state.acceptsData()) {
                count++;
            }
        }
        return count;
    }
}
