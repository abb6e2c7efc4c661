package dev.alloplace.enet;

/** A command waiting to be sent, or (if reliable) sent and waiting for its acknowledgement. */
final class Outgoing {
    final Command command;
    final boolean reliable;
    /** True for the first command of an unreliable message, where the throttle may drop it. */
    final boolean throttleable;
    long sentTime;
    long rto;
    int attempts;

    Outgoing(Command command, boolean reliable, boolean throttleable) {
        this.command = command;
        this.reliable = reliable;
        this.throttleable = throttleable;
    }

    int channel() {
        return command.channel();
    }

    int seq() {
        return command.seq();
    }

    int payload() {
        return command.payloadLength();
    }
}
