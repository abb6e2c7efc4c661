package dev.alloplace.enet;

import static dev.alloplace.enet.EnetProtocol.*;

import io.netty.buffer.ByteBuf;

/**
 * One decoded ENet command. A closed set: the codec produces exactly these and the peer logic
 * dispatches over them. Payload-carrying commands refer to a byte range of an array that the
 * command does not own exclusively (decoded commands get a fresh copy; outgoing fragments share
 * the message array).
 */
sealed interface Command {

    /** Channel id, 0xFF for connection-control commands. */
    int channel();

    /** The command header's reliable sequence number. */
    int seq();

    /** The first byte C ENet puts on the wire for this command (number plus flags). */
    int firstByte();

    /** Writes everything after the 4-byte command header. */
    void writeBody(ByteBuf out);

    /** Payload bytes carried by a data command, 0 for the others. */
    default int payloadLength() {
        return 0;
    }

    default boolean reliable() {
        return (firstByte() & FLAG_ACKNOWLEDGE) != 0;
    }

    /** Bytes this command occupies in a datagram. */
    default int wireSize() {
        return commandSize(firstByte() & COMMAND_MASK) + payloadLength();
    }

    record Acknowledge(int channel, int seq, int receivedSeq, int receivedSentTime) implements Command {
        @Override
        public int firstByte() {
            return CMD_ACKNOWLEDGE;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeShort(receivedSeq).writeShort(receivedSentTime);
        }
    }

    record Connect(int seq, int outgoingPeerId, int incomingSessionId, int outgoingSessionId, int mtu,
            int windowSize, int channelCount, int incomingBandwidth, int outgoingBandwidth,
            int throttleInterval, int throttleAcceleration, int throttleDeceleration, int connectId,
            int data) implements Command {
        @Override
        public int channel() {
            return CONTROL_CHANNEL;
        }

        @Override
        public int firstByte() {
            return CMD_CONNECT | FLAG_ACKNOWLEDGE;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeShort(outgoingPeerId).writeByte(incomingSessionId).writeByte(outgoingSessionId);
            out.writeInt(mtu).writeInt(windowSize).writeInt(channelCount);
            out.writeInt(incomingBandwidth).writeInt(outgoingBandwidth);
            out.writeInt(throttleInterval).writeInt(throttleAcceleration).writeInt(throttleDeceleration);
            out.writeInt(connectId).writeInt(data);
        }
    }

    record VerifyConnect(int seq, int outgoingPeerId, int incomingSessionId, int outgoingSessionId,
            int mtu, int windowSize, int channelCount, int incomingBandwidth, int outgoingBandwidth,
            int throttleInterval, int throttleAcceleration, int throttleDeceleration, int connectId)
            implements Command {
        @Override
        public int channel() {
            return CONTROL_CHANNEL;
        }

        @Override
        public int firstByte() {
            return CMD_VERIFY_CONNECT | FLAG_ACKNOWLEDGE;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeShort(outgoingPeerId).writeByte(incomingSessionId).writeByte(outgoingSessionId);
            out.writeInt(mtu).writeInt(windowSize).writeInt(channelCount);
            out.writeInt(incomingBandwidth).writeInt(outgoingBandwidth);
            out.writeInt(throttleInterval).writeInt(throttleAcceleration).writeInt(throttleDeceleration);
            out.writeInt(connectId);
        }
    }

    /** {@code acknowledged} = sent with the ACKNOWLEDGE flag (0x84) rather than UNSEQUENCED (0x44). */
    record Disconnect(int seq, boolean acknowledged, int data) implements Command {
        @Override
        public int channel() {
            return CONTROL_CHANNEL;
        }

        @Override
        public int firstByte() {
            return CMD_DISCONNECT | (acknowledged ? FLAG_ACKNOWLEDGE : FLAG_UNSEQUENCED);
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeInt(data);
        }
    }

    record Ping(int seq) implements Command {
        @Override
        public int channel() {
            return CONTROL_CHANNEL;
        }

        @Override
        public int firstByte() {
            return CMD_PING | FLAG_ACKNOWLEDGE;
        }

        @Override
        public void writeBody(ByteBuf out) {
        }
    }

    record SendReliable(int channel, int seq, byte[] data, int offset, int length) implements Command {
        @Override
        public int firstByte() {
            return CMD_SEND_RELIABLE | FLAG_ACKNOWLEDGE;
        }

        @Override
        public int payloadLength() {
            return length;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeShort(length).writeBytes(data, offset, length);
        }
    }

    record SendUnreliable(int channel, int seq, int unreliableSeq, byte[] data, int offset, int length)
            implements Command {
        @Override
        public int firstByte() {
            return CMD_SEND_UNRELIABLE;
        }

        @Override
        public int payloadLength() {
            return length;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeShort(unreliableSeq).writeShort(length).writeBytes(data, offset, length);
        }
    }

    record SendUnsequenced(int channel, int group, byte[] data, int offset, int length) implements Command {
        @Override
        public int seq() {
            return 0;
        }

        @Override
        public int firstByte() {
            return CMD_SEND_UNSEQUENCED | FLAG_UNSEQUENCED;
        }

        @Override
        public int payloadLength() {
            return length;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeShort(group).writeShort(length).writeBytes(data, offset, length);
        }
    }

    /** SEND_FRAGMENT ({@code acknowledged}) or SEND_UNRELIABLE_FRAGMENT. */
    record SendFragment(boolean acknowledged, int channel, int seq, int startSeq, int fragmentCount,
            int fragmentNumber, int totalLength, int fragmentOffset, byte[] data, int offset, int length)
            implements Command {
        @Override
        public int firstByte() {
            return acknowledged ? CMD_SEND_FRAGMENT | FLAG_ACKNOWLEDGE : CMD_SEND_UNRELIABLE_FRAGMENT;
        }

        @Override
        public int payloadLength() {
            return length;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeShort(startSeq).writeShort(length);
            out.writeInt(fragmentCount).writeInt(fragmentNumber).writeInt(totalLength).writeInt(fragmentOffset);
            out.writeBytes(data, offset, length);
        }
    }

    record BandwidthLimit(int seq, int incomingBandwidth, int outgoingBandwidth) implements Command {
        @Override
        public int channel() {
            return CONTROL_CHANNEL;
        }

        @Override
        public int firstByte() {
            return CMD_BANDWIDTH_LIMIT | FLAG_ACKNOWLEDGE;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeInt(incomingBandwidth).writeInt(outgoingBandwidth);
        }
    }

    record ThrottleConfigure(int seq, int interval, int acceleration, int deceleration) implements Command {
        @Override
        public int channel() {
            return CONTROL_CHANNEL;
        }

        @Override
        public int firstByte() {
            return CMD_THROTTLE_CONFIGURE | FLAG_ACKNOWLEDGE;
        }

        @Override
        public void writeBody(ByteBuf out) {
            out.writeInt(interval).writeInt(acceleration).writeInt(deceleration);
        }
    }
}
