package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import io.netty.buffer.ByteBuf;

/**
 * Encodes and decodes single ENet commands (big-endian, packed, section 2 of the fact sheet).
 * Decoding is total: anything that does not fit returns {@code null}, which tells the caller to
 * stop walking the datagram exactly as C ENet does.
 */
final class CommandCodec {
    private CommandCodec() {
    }

    /**
     * Decodes the command at the reader index and advances past it (fixed part and payload).
     * Returns null (and leaves the index unspecified) when the rest of the datagram must be ignored.
     */
    static Command decode(ByteBuf in) {
        if (in.readableBytes() < 4) {
            return null;
        }
        int start = in.readerIndex();
        int first = in.getUnsignedByte(start);
        int number = first & COMMAND_MASK;
        int size = commandSize(number);
        if (size == 0 || size > in.readableBytes()) {
            return null;
        }
        int channel = in.getUnsignedByte(start + 1);
        int seq = in.getUnsignedShort(start + 2);
        in.skipBytes(4);
        return switch (number) {
            case CMD_ACKNOWLEDGE -> new Command.Acknowledge(channel, seq, in.readUnsignedShort(),
                    in.readUnsignedShort());
            case CMD_CONNECT -> new Command.Connect(seq, in.readUnsignedShort(), in.readUnsignedByte(),
                    in.readUnsignedByte(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
            case CMD_VERIFY_CONNECT -> new Command.VerifyConnect(seq, in.readUnsignedShort(),
                    in.readUnsignedByte(), in.readUnsignedByte(), in.readInt(), in.readInt(), in.readInt(),
                    in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
            case CMD_DISCONNECT -> new Command.Disconnect(seq, (first & FLAG_ACKNOWLEDGE) != 0, in.readInt());
            case CMD_PING -> new Command.Ping(seq);
            case CMD_SEND_RELIABLE -> {
                int length = in.readUnsignedShort();
                byte[] data = payload(in, length);
                yield data == null ? null : new Command.SendReliable(channel, seq, data, 0, length);
            }
            case CMD_SEND_UNRELIABLE -> {
                int unreliableSeq = in.readUnsignedShort();
                int length = in.readUnsignedShort();
                byte[] data = payload(in, length);
                yield data == null ? null : new Command.SendUnreliable(channel, seq, unreliableSeq, data, 0, length);
            }
            case CMD_SEND_UNSEQUENCED -> {
                int group = in.readUnsignedShort();
                int length = in.readUnsignedShort();
                byte[] data = payload(in, length);
                yield data == null ? null : new Command.SendUnsequenced(channel, group, data, 0, length);
            }
            case CMD_SEND_FRAGMENT, CMD_SEND_UNRELIABLE_FRAGMENT -> {
                int startSeq = in.readUnsignedShort();
                int length = in.readUnsignedShort();
                int count = in.readInt();
                int number2 = in.readInt();
                int total = in.readInt();
                int offset = in.readInt();
                byte[] data = payload(in, length);
                yield data == null ? null : new Command.SendFragment(number == CMD_SEND_FRAGMENT, channel, seq,
                        startSeq, count, number2, total, offset, data, 0, length);
            }
            case CMD_BANDWIDTH_LIMIT -> new Command.BandwidthLimit(seq, in.readInt(), in.readInt());
            case CMD_THROTTLE_CONFIGURE -> new Command.ThrottleConfigure(seq, in.readInt(), in.readInt(),
                    in.readInt());
            default -> null;
        };
    }

    private static byte[] payload(ByteBuf in, int length) {
        if (length > in.readableBytes()) {
            return null;
        }
        byte[] data = new byte[length];
        in.readBytes(data);
        return data;
    }

    static void encode(Command command, ByteBuf out) {
        out.writeByte(command.firstByte());
        out.writeByte(command.channel());
        out.writeShort(command.seq());
        command.writeBody(out);
    }
}
