package dev.alloplace.enet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alloplace.testing.RecordingListener;
import dev.alloplace.transport.ConnectionId;
import dev.alloplace.transport.Delivery;
import dev.alloplace.transport.DisconnectCause;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Reassembly holds what arrived, never what a header claims, within a cap per peer and one for
 * the host, and lets nothing wait forever. Driven in memory on a stepped clock.
 */
class EnetReassemblyTest {

    private static final InetSocketAddress LIAR = new InetSocketAddress("127.0.0.2", 50000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.3", 50000);
    private static final int MIB = 1024 * 1024;

    private static HostPair pair(EnetSettings server) {
        return new HostPair(server, EnetSettings.loopbackClient());
    }

    @Test
    void aFragmentClaimingThirtyTwoMebibytesReservesOnlyWhatItCarried() {
        HostPair pair = pair(EnetSettings.defaults());
        HostPair.RawPeer liar = pair.raw(LIAR);
        liar.handshake(1);
        pair.serverEvents.connects.poll();

        liar.send(liar.fragment(true, 0, 1, 1, 32 * 1024, 0, 32 * MIB, 0, new byte[16]));

        assertThat(pair.server.waitingBytes()).as("bytes held for the lie")
                .isEqualTo(16 + IncomingMessage.PIECE_OVERHEAD + IncomingMessage.ASSEMBLY_OVERHEAD
                        + IncomingMessage.MESSAGE_OVERHEAD);
        assertThat(pair.serverEvents.disconnects).isEmpty();
    }

    @Test
    void aFragmentedMessageArrivesWholeOnceWhateverTheOrderAndDuplicates() {
        HostPair pair = pair(EnetSettings.defaults());
        HostPair.RawPeer peer = pair.raw(LIAR);
        peer.handshake(1);
        ConnectionId id = pair.serverEvents.connects.poll().id();
        byte[] message = new byte[10_000];
        new Random(1).nextBytes(message);
        List<byte[]> fragments = new ArrayList<>();
        int size = 1000;
        for (int number = 0; number < 10; number++) {
            byte[] piece = java.util.Arrays.copyOfRange(message, number * size, (number + 1) * size);
            fragments.add(peer.fragment(true, 0, 1 + number, 1, 10, number, message.length, number * size, piece));
        }
        List<byte[]> shuffled = new ArrayList<>(fragments);
        shuffled.addAll(fragments.subList(2, 5));
        Collections.shuffle(shuffled, new Random(2));
        for (byte[] fragment : shuffled) {
            peer.send(fragment);
        }

        RecordingListener.Received received = pair.serverEvents.messages.poll();
        assertThat(received).isNotNull();
        assertThat(received.id()).isEqualTo(id);
        assertThat(received.payload()).isEqualTo(message);
        assertThat(pair.serverEvents.messages).as("delivered once").isEmpty();
        assertThat(pair.server.waitingBytes()).isZero();
    }

    @Test
    void theJavaClientsOwnBigMessagesStillArriveIntact() {
        HostPair pair = pair(EnetSettings.defaults());
        pair.connect(6);
        ConnectionId toServer = pair.clientEvents.connects.poll().id();
        byte[] big = new byte[3 * MIB];
        new Random(3).nextBytes(big);
        pair.client.send(toServer, 3, big, Delivery.RELIABLE);
        for (int i = 0; i < 2_000 && pair.serverEvents.messages.isEmpty(); i++) {
            pair.advance(5);
        }
        assertThat(pair.serverEvents.messages.poll().payload()).isEqualTo(big);
        assertThat(pair.server.waitingBytes()).isZero();
    }

    @Test
    void fragmentsThatDoNotAddUpToTheirClaimGetThePeerDisconnected() {
        HostPair pair = pair(EnetSettings.defaults());
        HostPair.RawPeer liar = pair.raw(LIAR);
        liar.handshake(1);
        pair.serverEvents.connects.poll();

        liar.send(liar.fragment(true, 0, 1, 1, 2, 0, 4000, 0, new byte[10]),
                liar.fragment(true, 0, 2, 1, 2, 1, 4000, 10, new byte[10]));

        assertThat(pair.serverEvents.disconnects.poll().cause()).isEqualTo(DisconnectCause.VIOLATION);
        assertThat(liar.refusal()).isEqualTo(DisconnectReasons.MALFORMED_FRAGMENTS);
        assertThat(pair.server.waitingBytes()).isZero();
        assertThat(pair.serverEvents.messages).isEmpty();
    }

    @Test
    void aPeerSendingMoreThanItsCapIsDisconnectedAndItsBytesFreed() {
        HostPair pair = pair(EnetSettings.builder().maxWaitingBytes(64 * 1024).build());
        HostPair.RawPeer greedy = pair.raw(LIAR);
        greedy.handshake(1);
        pair.serverEvents.connects.poll();

        for (int number = 0; number < 100 && pair.serverEvents.disconnects.isEmpty(); number++) {
            greedy.send(greedy.fragment(true, 0, 1 + number, 1, 1000, number, 1000 * 1000, number * 1000,
                    new byte[1000]));
        }

        assertThat(pair.serverEvents.disconnects.poll().cause()).isEqualTo(DisconnectCause.VIOLATION);
        assertThat(greedy.refusal()).isEqualTo(DisconnectReasons.REASSEMBLY_LIMIT);
        assertThat(pair.server.waitingBytes()).isZero();
    }

    @Test
    void whenTheHostsReassemblyMemoryIsFullTheLargestHolderGoesAndOthersGoOn() {
        HostPair pair = pair(EnetSettings.builder().maxWaitingBytes(96 * 1024)
                .maxWaitingBytesTotal(128 * 1024).build());
        HostPair.RawPeer hog = pair.raw(LIAR);
        hog.handshake(1);
        ConnectionId hogId = pair.serverEvents.connects.poll().id();
        HostPair.RawPeer modest = pair.raw(OTHER);
        modest.handshake(2);
        ConnectionId modestId = pair.serverEvents.connects.poll().id();
        for (int number = 0; number < 80; number++) {
            hog.send(hog.fragment(true, 0, 1 + number, 1, 1000, number, 1000 * 1000, number * 1000, new byte[1000]));
        }
        assertThat(pair.serverEvents.disconnects).isEmpty();

        byte[] message = new byte[40_000];
        new Random(4).nextBytes(message);
        for (int number = 0; number < 40; number++) {
            modest.send(modest.fragment(true, 0, 1 + number, 1, 40, number, message.length, number * 1000,
                    java.util.Arrays.copyOfRange(message, number * 1000, (number + 1) * 1000)));
        }

        RecordingListener.Disconnected gone = pair.serverEvents.disconnects.poll();
        assertThat(gone.id()).isEqualTo(hogId);
        assertThat(gone.cause()).isEqualTo(DisconnectCause.VIOLATION);
        assertThat(hog.refusal()).isEqualTo(DisconnectReasons.REASSEMBLY_MEMORY_FULL);
        RecordingListener.Received received = pair.serverEvents.messages.poll();
        assertThat(received.id()).isEqualTo(modestId);
        assertThat(received.payload()).isEqualTo(message);
        assertThat(pair.server.waitingBytes()).isZero();
    }

    @Test
    void aReliableMessageThatStallsGetsItsPeerDisconnectedAfterTheReassemblyTimeout() {
        HostPair pair = pair(EnetSettings.builder().reassemblyTimeoutMillis(3_000).build());
        HostPair.RawPeer stalling = pair.raw(LIAR);
        stalling.handshake(1);
        pair.serverEvents.connects.poll();
        stalling.send(stalling.fragment(true, 0, 1, 1, 3, 0, 3000, 0, new byte[1000]));

        for (int i = 0; i < 5; i++) {
            pair.now += 500;
            pair.server.tick();
            stalling.send(ping());
        }
        assertThat(pair.serverEvents.disconnects).as("still within the timeout").isEmpty();
        for (int i = 0; i < 4; i++) {
            pair.now += 500;
            pair.server.tick();
            stalling.send(ping());
        }

        assertThat(pair.serverEvents.disconnects.poll().cause()).isEqualTo(DisconnectCause.VIOLATION);
        assertThat(stalling.refusal()).isEqualTo(DisconnectReasons.REASSEMBLY_STALLED);
        assertThat(pair.server.waitingBytes()).isZero();
    }

    @Test
    void aStalledUnreliableMessageIsDroppedAndItsPeerKept() {
        HostPair pair = pair(EnetSettings.builder().reassemblyTimeoutMillis(3_000).build());
        HostPair.RawPeer peer = pair.raw(LIAR);
        peer.handshake(1);
        pair.serverEvents.connects.poll();
        peer.send(peer.fragment(false, 0, 0, 1, 3, 0, 3000, 0, new byte[1000]));
        assertThat(pair.server.waitingBytes()).isPositive();

        for (int i = 0; i < 10; i++) {
            pair.now += 500;
            pair.server.tick();
            peer.send(ping());
        }

        assertThat(pair.server.waitingBytes()).isZero();
        assertThat(pair.serverEvents.disconnects).isEmpty();
    }

    private static byte[] ping() {
        return java.nio.ByteBuffer.allocate(4).put((byte) 0x85).put((byte) 0xff).putShort((short) 0).array();
    }
}
