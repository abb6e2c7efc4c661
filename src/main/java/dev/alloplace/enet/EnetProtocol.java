package dev.alloplace.enet;

/** Wire constants of ENet 1.3 shared by the codec and the peer logic (values fixed by C ENet). */
final class EnetProtocol {
    private EnetProtocol() {
    }

    static final int MINIMUM_MTU = 576;
    static final int MAXIMUM_MTU = 4096;
    static final int MAXIMUM_PACKET_COMMANDS = 32;
    static final int MINIMUM_WINDOW_SIZE = 4096;
    static final int MAXIMUM_WINDOW_SIZE = 65536;
    static final int MINIMUM_CHANNEL_COUNT = 1;
    static final int MAXIMUM_CHANNEL_COUNT = 255;
    static final int MAXIMUM_PEER_ID = 0xFFF;
    static final int MAXIMUM_FRAGMENT_COUNT = 1024 * 1024;
    static final int CONTROL_CHANNEL = 0xFF;

    static final int HEADER_FLAG_COMPRESSED = 1 << 14;
    static final int HEADER_FLAG_SENT_TIME = 1 << 15;
    static final int HEADER_SESSION_MASK = 3 << 12;
    static final int HEADER_SESSION_SHIFT = 12;

    static final int COMMAND_MASK = 0x0F;
    static final int FLAG_ACKNOWLEDGE = 0x80;
    static final int FLAG_UNSEQUENCED = 0x40;

    static final int CMD_ACKNOWLEDGE = 1;
    static final int CMD_CONNECT = 2;
    static final int CMD_VERIFY_CONNECT = 3;
    static final int CMD_DISCONNECT = 4;
    static final int CMD_PING = 5;
    static final int CMD_SEND_RELIABLE = 6;
    static final int CMD_SEND_UNRELIABLE = 7;
    static final int CMD_SEND_FRAGMENT = 8;
    static final int CMD_SEND_UNSEQUENCED = 9;
    static final int CMD_BANDWIDTH_LIMIT = 10;
    static final int CMD_THROTTLE_CONFIGURE = 11;
    static final int CMD_SEND_UNRELIABLE_FRAGMENT = 12;
    static final int CMD_COUNT = 13;

    /** Fixed size (incl. the 4-byte command header) of each command number; 0 = invalid. */
    private static final int[] COMMAND_SIZES = {0, 8, 48, 44, 8, 4, 6, 8, 24, 8, 12, 16, 24};

    static int commandSize(int number) {
        return number > 0 && number < CMD_COUNT ? COMMAND_SIZES[number] : 0;
    }

    static final int FRAGMENT_HEADER_SIZE = 24;
    static final int FULL_HEADER_SIZE = 4;
    static final int CHECKSUM_SIZE = 4;

    static final int PEER_RELIABLE_WINDOWS = 16;
    static final int PEER_RELIABLE_WINDOW_SIZE = 0x1000;
    static final int PEER_FREE_RELIABLE_WINDOWS = 8;
    static final int PEER_UNSEQUENCED_WINDOW_SIZE = 1024;
    static final int PEER_FREE_UNSEQUENCED_WINDOWS = 32;

    static final int PEER_DEFAULT_ROUND_TRIP_TIME = 500;
    static final int PEER_PACKET_THROTTLE_SCALE = 32;
    static final int PEER_PACKET_THROTTLE_COUNTER = 7;
    static final int PEER_PACKET_THROTTLE_ACCELERATION = 2;
    static final int PEER_PACKET_THROTTLE_DECELERATION = 2;
    static final int PEER_PACKET_THROTTLE_INTERVAL = 5000;
    static final int PEER_WINDOW_SIZE_SCALE = 65536;
    static final int BANDWIDTH_THROTTLE_INTERVAL = 1000;
}
