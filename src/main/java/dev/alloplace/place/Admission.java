package dev.alloplace.place;

import dev.alloplace.protocol.ChannelLayout;
import dev.alloplace.protocol.DisconnectReason;
import dev.alloplace.protocol.Interaction;
import dev.alloplace.protocol.InteractionType;
import dev.alloplace.state.World;
import dev.alloplace.transport.ConnectionId;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may be here and act: a connection must speak a protocol version we know, announce within
 * {@code place.announce_timeout_ms}, and before that may do nothing but announce (and ask for an
 * identity challenge, to sign in its announce); afterwards an interaction must come from an
 * entity the agent owns. Owned by the place thread.
 */
final class Admission {

    private static final Logger log = LoggerFactory.getLogger(Admission.class);

    private final PlaceSettings settings;
    private final LoopContext place;
    private final World world;
    private final FairQueues queues;
    private final Outbox outbox;
    private final EntityIds ids;
    /** Connections in the order they came, until they announce or their deadline passes. */
    private final ArrayDeque<Agent> unannounced = new ArrayDeque<>();

    Admission(PlaceSettings settings, LoopContext place, World world, FairQueues queues, Outbox outbox, EntityIds ids) {
        this.settings = settings;
        this.place = place;
        this.world = world;
        this.queues = queues;
        this.outbox = outbox;
        this.ids = ids;
    }

    /** A new connection: an agent (not yet announced), or null if its channel count is no version we speak. */
    Agent connected(ConnectionId connection, InetSocketAddress remote, int channelCount) {
        ChannelLayout layout = ChannelLayout.ofConnection(channelCount).orElse(null);
        if (layout == null) {
            log.info("refusing {}: {} channels is no protocol version we speak", remote, channelCount);
            outbox.disconnectNow(connection, DisconnectReason.PROTOCOL_OUTDATED.code());
            return null;
        }
        Agent agent = new Agent(ids.nextAgentId(), connection, remote, layout, place.nanoTime(), queues.newQueue());
        place.add(agent);
        unannounced.add(agent);
        log.info("agent {} connected from {} (protocol {})", agent.id(), remote, layout.version());
        return agent;
    }

    /** Why the agent may not send this interaction now, or null if it may. */
    String refusal(Agent agent, Interaction interaction) {
        if (isAnnounce(interaction)) {
            return null;
        }
        if (!agent.announced()) {
            return IdentityGate.isChallenge(interaction) && interaction.type() == InteractionType.REQUEST ? null
                    : "announce first";
        }
        if (!world.entity(interaction.from()).map(entity -> entity.owner().equals(agent.id())).orElse(false)) {
            return "sender " + interaction.from() + " is not an entity of this agent";
        }
        return null;
    }

    static boolean isAnnounce(Interaction interaction) {
        return "announce".equals(interaction.name()) && "place".equals(interaction.to())
                && interaction.type() == InteractionType.REQUEST;
    }

    /** Disconnects the connections whose time to announce is up. */
    void expire(long now) {
        long timeout = settings.announceTimeout().toNanos();
        while (!unannounced.isEmpty() && now - unannounced.peekFirst().connectedNanos() >= timeout) {
            Agent agent = unannounced.pollFirst();
            if (!agent.announced() && !agent.leaving() && place.agentOn(agent.connection()) == agent) {
                place.disconnect(agent, DisconnectReason.ANNOUNCE_TIMEOUT,
                        "no announce within " + settings.announceTimeout().toMillis() + " ms of connecting");
            }
        }
        if (unannounced.size() > 64 && unannounced.size() > 2 * place.agents().size()) {
            unannounced.removeIf(agent -> agent.announced() || place.agentOn(agent.connection()) != agent);
        }
    }
}
