package dev.alloplace.place;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.Intent;
import dev.alloplace.transport.ConnectionId;
import java.net.InetSocketAddress;

/**
 * One connected client as the place sees it: who it is and what it wants. What the loop keeps
 * about it lives with the parts that use it: its queue ({@link FairQueues}) and where it is in
 * the state stream ({@link StateDelivery}). Owned by the place thread.
 */
public final class Agent {
    private final String id;
    private final ConnectionId connection;
    private final InetSocketAddress remote;
    private final ChannelLayout layout;
    private final long connectedNanos;
    private final AgentQueue queue;
    private final DeliveryState delivery = new DeliveryState();
    private final ChallengeState challenges = new ChallengeState();
    private ObjectNode identity;
    private String verifiedKey;
    private String avatarId;
    private Intent intent = Intent.EMPTY;
    private boolean leaving;
    private String leaveReason = "";
    private int leaveCode;

    Agent(String id, ConnectionId connection, InetSocketAddress remote, ChannelLayout layout, long connectedNanos,
            AgentQueue queue) {
        this.id = id;
        this.connection = connection;
        this.remote = remote;
        this.layout = layout;
        this.connectedNanos = connectedNanos;
        this.queue = queue;
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

    /**
     * The public key (base64url) this agent proved it holds on this connection, by signing the
     * place's challenge in its announce; null for an unverified identity.
     */
    public String verifiedKey() {
        return verifiedKey;
    }

    /**
     * {@code {"display_name", "public_key", "verified"}}: who the agent is as the place reports it
     * ({@code list_agents}, the admin API); the key is null unless the agent proved it holds it.
     */
    public ObjectNode identitySummary() {
        ObjectNode summary = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        summary.put("display_name", displayName());
        summary.put("public_key", verifiedKey);
        summary.put("verified", verifiedKey != null);
        return summary;
    }

    public String displayName() {
        return identity == null ? "" : identity.path("display_name").asText("");
    }

    public Intent intent() {
        return intent;
    }

    /** The last state revision the client acknowledged. */
    public long ackRevision() {
        return delivery.ackRevision();
    }

    long connectedNanos() {
        return connectedNanos;
    }

    AgentQueue queue() {
        return queue;
    }

    DeliveryState delivery() {
        return delivery;
    }

    ChallengeState challenges() {
        return challenges;
    }

    void verifiedKey(String key) {
        verifiedKey = key;
    }

    void announce(ObjectNode newIdentity, String avatar) {
        identity = newIdentity;
        avatarId = avatar;
    }

    /** The client's latest intent; true if its acknowledgement confirms the big merge it was waiting for. */
    boolean intent(Intent latest) {
        intent = latest;
        return delivery.acknowledged(latest.ackStateRev());
    }

    boolean leaving() {
        return leaving;
    }

    void leaving(boolean value) {
        leaving = value;
    }

    /**
     * Why the agent is leaving or left (for the inspector's event log): the first of the place
     * ending its connection ({@code "kicked (1005)"}, {@code "backlog (1006): ..."}) or the
     * connection ending by itself ({@code "timed out"}); empty while it is connected.
     */
    public String leaveReason() {
        return leaveReason;
    }

    /** The disconnect code the place sent when it ended the connection; 0 when it ended by itself. */
    public int leaveCode() {
        return leaveCode;
    }

    void leaveReason(int code, String why) {
        if (leaveReason.isEmpty()) {
            leaveCode = code;
            leaveReason = why;
        }
    }
}
