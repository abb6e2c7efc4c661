package dev.alloplace.enet;

import io.netty.buffer.ByteBuf;
import java.util.zip.CRC32;

/**
 * ENet's optional datagram checksum: CRC-32 over the whole datagram while the 4-byte checksum
 * slot holds a seed (the peer's connectID bytes, or zeros for datagrams addressed to peer 0xFFF).
 */
final class Checksum {
    private Checksum() {
    }

    /** Computes the checksum with {@code seed} in the slot at {@code slotOffset}; restores nothing. */
    static int compute(ByteBuf datagram, int slotOffset, int seed) {
        datagram.setInt(datagram.readerIndex() + slotOffset, seed);
        CRC32 crc = new CRC32();
        crc.update(datagram.nioBuffer(datagram.readerIndex(), datagram.readableBytes()));
        return (int) crc.getValue();
    }

    /** Writes the checksum into the slot of an outgoing datagram. */
    static void seal(ByteBuf datagram, int slotOffset, int seed) {
        int value = compute(datagram, slotOffset, seed);
        datagram.setInt(datagram.readerIndex() + slotOffset, value);
    }

    /** True if the datagram's slot holds the right checksum (the slot is left as received). */
    static boolean verify(ByteBuf datagram, int slotOffset, int seed) {
        int index = datagram.readerIndex() + slotOffset;
        int received = datagram.getInt(index);
        int expected = compute(datagram, slotOffset, seed);
        datagram.setInt(index, received);
        return received == expected;
    }
}
