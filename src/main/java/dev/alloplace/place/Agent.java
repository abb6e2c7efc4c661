package dev.alloplace.place;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Intent;
import dev.alloplace.transport.ConnectionId;
import java.net.InetSocketAddress;

/** One connected client as the place sees it. Mutable; owned by the place thread. */
public final class Agent {
    private final String id;
    private final ConnectionId connection;
    private final InetSocketAddress remote;
    private final ChannelLayout layout;
    private ObjectNode identity;
    private String avatarId;
    private Intent intent = Intent.EMPTY;
    private long ackRevision;
    private long lastSetSentNanos = Long.MIN_VALUE / 2;
    private int diffsSinceAck;
    private long lastDiffSentNanos = Long.MIN_VALUE / 2;
    private long lastSetRevision = -1;
    private boolean lastSetConfirmed = true;
    private int pendingRequests;
    private double tokens = -1;
    private long tokensAtNanos;
    private double overdraft;
    private boolean leaving;

    Agent(String id, ConnectionId connection, InetSocketAddress remote, ChannelLayout layout) {
        this.id = id;
        this.connection = connection;
        this.remote = remote;
        this.layout = layout;
    }

    /** 16 letters, generated at connect; what {@code list_agents} and {@code kick_agent} use. */
    public String id() {
        return id;
    }

    public ConnectionId connection() {
        return connection;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public ChannelLayout layout() {
        return layout;
    }

    public boolean announced() {
        return avatarId != null;
    }

    /** The announce identity, or null before announce. */
    public ObjectNode identity() {
        return identity;
    }

    public String avatarId() {
        return avatarId;
    }

    public String displayName() {
        return identity == null ? "" : identity.path("display_name").asText("");
    }

    public Intent intent() {
        return intent;
    }

    public long ackRevision() {
        return ackRevision;
    }

    void announce(ObjectNode newIdentity, String avatar) {
        identity = newIdentity;
        avatarId = avatar;
    }

    void intent(Intent latest) {
        intent = latest;
        if (latest.ackStateRev() != ackRevision) {
            diffsSinceAck = 0;
        }
        ackRevision = latest.ackStateRev();
    }

    /**
     * Whether the client may get another full state now: not while the last one (sent
     * reliably) is on its way and unconfirmed, unless {@code patienceNanos} have passed.
     */
    boolean mayResendSet(long nowNanos, long patienceNanos) {
        if (!lastSetConfirmed && ackRevision != 0 && dev.alloplace.state.Revisions.distance(lastSetRevision, ackRevision)
                < dev.alloplace.state.Revisions.WRAP / 2) {
            lastSetConfirmed = true;
        }
        return lastSetConfirmed || nowNanos - lastSetSentNanos >= patienceNanos;
    }

    /**
     * Ack-clocked pacing of merges: a client that has not acknowledged anything since the last
     * {@code window} diffs gets the next one only after {@code gapNanos}, so a client that cannot
     * keep up receives fewer (each still complete, from its own base) instead of drowning in them.
     */
    boolean mayGetDiff(long nowNanos, int window, long gapNanos) {
        return diffsSinceAck < window || nowNanos - lastDiffSentNanos >= gapNanos;
    }

    void diffSent(long nowNanos) {
        diffsSinceAck++;
        lastDiffSentNanos = nowNanos;
    }

    boolean setSentBefore() {
        return lastSetSentNanos != Long.MIN_VALUE / 2;
    }

    void setSent(long nowNanos, long revision) {
        lastSetSentNanos = nowNanos;
        lastSetRevision = revision;
        lastSetConfirmed = false;
    }

    /**
     * Takes one interaction from the agent's token bucket. Returns 1 if allowed, 0 if over the
     * rate, -1 if it has been over the rate for more than a burst's worth (time to disconnect).
     */
    int takeToken(long nowNanos, double perSecond, int burst) {
        if (tokens < 0) {
            tokens = burst;
            tokensAtNanos = nowNanos;
        }
        double refill = (nowNanos - tokensAtNanos) / 1e9 * perSecond;
        tokensAtNanos = nowNanos;
        tokens = Math.min(burst, tokens + refill);
        overdraft = Math.max(0, overdraft - refill);
        if (tokens >= 1) {
            tokens -= 1;
            return 1;
        }
        overdraft += 1;
        return overdraft > burst ? -1 : 0;
    }

    int pendingRequests() {
        return pendingRequests;
    }

    void pendingRequests(int delta) {
        pendingRequests += delta;
    }

    boolean leaving() {
        return leaving;
    }

    void leaving(boolean value) {
        leaving = value;
    }
}
