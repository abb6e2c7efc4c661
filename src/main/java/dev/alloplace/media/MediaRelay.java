package dev.alloplace.media;

import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.place.PlaceHandlers;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.state.EntityView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Voice and video in the place: {@code allocate_track} and {@code media_track}, and forwarding
 * of media packets, unchanged, from a track's owner to its subscribers on each recipient's media
 * channel. Nothing is decoded or mixed.
 */
public final class MediaRelay implements PlaceExtension {

    private static final String LIVE_MEDIA = "live_media";
    private final TrackRegistry tracks;
    private volatile long forwardedPackets;
    private volatile long droppedPackets;

    public MediaRelay(MediaSettings settings) {
        this.tracks = new TrackRegistry(settings);
    }

    /** Counters of every live track; call on the place thread. */
    public List<TrackStats> trackStats() {
        return tracks.trackStats();
    }

    /** Copies sent to subscribers since start; readable from any thread. */
    public long forwardedPackets() {
        return forwardedPackets;
    }

    /** Packets not forwarded (malformed, unknown track, not the owner, too large); any thread. */
    public long droppedPackets() {
        return droppedPackets;
    }

    public RelayStats relayStats() {
        return tracks.relayStats();
    }

    @Override
    public void install(PlaceHandlers handlers) {
        handlers.register(TrackRegistry.ALLOCATE, (place, agent, interaction) -> {
            AllocateResult result = tracks.allocate(agent.id(), interaction.from(), interaction.body(), entities(place));
            if (result instanceof AllocateResult.Allocated allocated) {
                place.world().setComponent(allocated.entityId(), LIVE_MEDIA, allocated.liveMedia());
            }
            return result.responseBody();
        });
        handlers.register(TrackRegistry.MEDIA_TRACK,
                (place, agent, interaction) -> tracks.mediaTrack(agent.id(), interaction.body()).responseBody());
    }

    @Override
    public boolean frame(PlaceContext place, Agent agent, ChannelRole role, byte[] frame) {
        if (role != ChannelRole.AUDIO && role != ChannelRole.VIDEO && role != ChannelRole.MEDIA) {
            return false;
        }
        MediaRoute route = tracks.route(agent.id(), frame);
        if (!(route instanceof MediaRoute.Forward)) {
            droppedPackets++;
        }
        if (route instanceof MediaRoute.Forward forward) {
            ChannelRole outRole = forward.type() == TrackType.AUDIO ? ChannelRole.AUDIO : ChannelRole.VIDEO;
            for (String recipientId : new ArrayList<>(forward.recipients())) {
                Optional<Agent> recipient = place.agent(recipientId);
                if (recipient.isPresent()) {
                    Agent to = recipient.get();
                    place.sendRaw(to, to.layout().channelOf(outRole), frame, MediaChannels.DELIVERY);
                    forwardedPackets++;
                }
            }
        }
        return true;
    }

    @Override
    public void agentLeft(PlaceContext place, Agent agent) {
        tracks.removeAgent(agent.id());
    }

    @Override
    public void entityRemoved(PlaceContext place, String entityId) {
        tracks.removeEntity(entityId);
    }

    private static MediaEntities entities(PlaceContext place) {
        return new MediaEntities() {
            @Override
            public Optional<String> ownerOf(String entityId) {
                return place.world().entity(entityId).map(EntityView::owner);
            }

            @Override
            public boolean hasLiveMedia(String entityId) {
                return place.world().entity(entityId).map(entity -> entity.components().containsKey(LIVE_MEDIA))
                        .orElse(false);
            }
        };
    }
}
