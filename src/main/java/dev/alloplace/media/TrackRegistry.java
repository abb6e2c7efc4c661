package dev.alloplace.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All live tracks of the place: who owns each, on which entity, who listens. The relay forwards a
 * packet only from the agent that allocated the track and only to agents that subscribed with
 * {@code media_track} — for protocol 3 clients too, although the Elixir place broadcast media to
 * everyone: subscription is what lets a visor hear only what it chose.
 *
 * <p>Confined to the place thread; no method blocks or throws on client input.
 */
public final class TrackRegistry {

    public static final String ALLOCATE = "allocate_track";
    public static final String MEDIA_TRACK = "media_track";
    /** The exact C4 text, which clients may show to users. */
    public static final String ONE_TRACK_PER_ENTITY = "only one track allowed per entity";

    private static final Logger LOG = LoggerFactory.getLogger(TrackRegistry.class);
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final MediaSettings settings;
    private final Map<Long, MediaTrack> byId = new HashMap<>();
    private final Map<String, MediaTrack> byEntity = new HashMap<>();
    private final Map<String, Integer> tracksPerAgent = new HashMap<>();
    private long nextTrackId = 1;
    private long allocated;
    private long malformedDrops;
    private long tooLargeDrops;
    private long unknownTrackDrops;
    private long notOwnerDrops;

    public TrackRegistry(MediaSettings settings) {
        this.settings = settings;
    }

    /**
     * Handles {@code allocate_track} from {@code agentId}, whose interaction named
     * {@code senderEntityId} as sender; the track goes on that entity.
     */
    public AllocateResult allocate(String agentId, String senderEntityId, JsonNode body, MediaEntities entities) {
        AllocateTrackRequest.Parsed parsed = AllocateTrackRequest.parse(body);
        if (parsed instanceof AllocateTrackRequest.Parsed.Invalid invalid) {
            return refuse(invalid.reason());
        }
        AllocateTrackRequest request = ((AllocateTrackRequest.Parsed.Ok) parsed).request();
        if (senderEntityId == null || senderEntityId.isEmpty()) {
            return refuse("a track needs a sender entity");
        }
        Optional<String> owner = entities.ownerOf(senderEntityId);
        if (owner.isEmpty()) {
            return refuse("no such entity: " + senderEntityId);
        }
        if (!owner.get().equals(agentId)) {
            return refuse("entity " + senderEntityId + " is not owned by you");
        }
        if (byEntity.containsKey(senderEntityId) || entities.hasLiveMedia(senderEntityId)) {
            return refuse(ONE_TRACK_PER_ENTITY);
        }
        if (tracksPerAgent.getOrDefault(agentId, 0) >= settings.maxTracksPerAgent()) {
            return refuse("too many tracks (at most " + settings.maxTracksPerAgent() + " per agent)");
        }
        if (nextTrackId > MediaFrame.MAX_TRACK_ID) {
            return refuse("track ids exhausted");
        }
        long id = nextTrackId++;
        MediaTrack track = new MediaTrack(id, request.type(), request.format(), agentId, senderEntityId);
        byId.put(id, track);
        byEntity.put(senderEntityId, track);
        tracksPerAgent.merge(agentId, 1, Integer::sum);
        allocated++;
        LOG.debug("track {} ({} {}) allocated on {} by {}", id, request.type().wireName(),
                request.format(), senderEntityId, agentId);
        ArrayNode response = JSON.arrayNode().add(ALLOCATE).add("ok").add(MediaJson.number(id));
        return new AllocateResult.Allocated(id, senderEntityId, request.liveMedia(id), response);
    }

    /** Handles {@code ["media_track", id, "subscribe"|"unsubscribe"]} from {@code agentId}. */
    public MediaTrackResult mediaTrack(String agentId, JsonNode body) {
        JsonNode idNode = body != null && body.isArray() ? body.get(1) : null;
        JsonNode verbNode = body != null && body.isArray() ? body.get(2) : null;
        if (idNode == null || !idNode.isNumber() || verbNode == null || !verbNode.isTextual()) {
            return trackFailure("missing id or verb");
        }
        double raw = idNode.doubleValue();
        MediaTrack track = raw == Math.rint(raw) ? byId.get((long) raw) : null;
        if (track == null) {
            return trackFailure("invalid track id");
        }
        switch (verbNode.textValue()) {
            case "subscribe" -> track.subscribe(agentId);
            case "unsubscribe" -> track.unsubscribe(agentId);
            default -> {
                return trackFailure("incorrect verb");
            }
        }
        return new MediaTrackResult(true, JSON.arrayNode().add(MEDIA_TRACK).add("ok").add(MediaJson.number(track.id)));
    }

    /**
     * Decides where one media packet from {@code senderAgent} goes. The caller forwards the
     * unchanged {@code packet} bytes to each recipient of a {@link MediaRoute.Forward}.
     */
    public MediaRoute route(String senderAgent, byte[] packet) {
        long id = MediaFrame.readTrackId(packet);
        if (id < 0) {
            malformedDrops++;
            return new MediaRoute.Dropped(MediaRoute.DropReason.MALFORMED);
        }
        MediaTrack track = byId.get(id);
        if (track == null) {
            unknownTrackDrops++;
            return new MediaRoute.Dropped(MediaRoute.DropReason.UNKNOWN_TRACK);
        }
        if (!track.ownerAgent.equals(senderAgent)) {
            notOwnerDrops++;
            track.drops++;
            return new MediaRoute.Dropped(MediaRoute.DropReason.NOT_OWNER);
        }
        if (packet.length > settings.maxFrameBytes()) {
            tooLargeDrops++;
            track.drops++;
            return new MediaRoute.Dropped(MediaRoute.DropReason.TOO_LARGE);
        }
        track.packets++;
        track.bytes += packet.length;
        track.forwarded += track.subscribers().size();
        return new MediaRoute.Forward(id, track.type, track.subscribers());
    }

    /**
     * Ends the track on {@code entityId}, if any. Call when the entity is removed, or when its
     * {@code live_media} component is removed or replaced.
     */
    public Optional<TrackStats> removeEntity(String entityId) {
        MediaTrack track = byEntity.remove(entityId);
        if (track == null) {
            return Optional.empty();
        }
        forget(track);
        return Optional.of(track.stats());
    }

    /**
     * Ends every track {@code agentId} allocated and removes it from every subscriber list. Call
     * when the agent disconnects (cleanly or by timeout). Returns the ended tracks.
     */
    public List<TrackStats> removeAgent(String agentId) {
        List<TrackStats> ended = new ArrayList<>();
        Iterator<MediaTrack> it = byId.values().iterator();
        while (it.hasNext()) {
            MediaTrack track = it.next();
            if (track.ownerAgent.equals(agentId)) {
                it.remove();
                byEntity.remove(track.entityId);
                ended.add(track.stats());
            } else {
                track.unsubscribe(agentId);
            }
        }
        tracksPerAgent.remove(agentId);
        return ended;
    }

    /** The live track on {@code entityId}. */
    public Optional<TrackStats> trackOf(String entityId) {
        return Optional.ofNullable(byEntity.get(entityId)).map(MediaTrack::stats);
    }

    /** Counters of every live track, ordered by track id. */
    public List<TrackStats> trackStats() {
        return byId.values().stream().map(MediaTrack::stats)
                .sorted((a, b) -> Long.compare(a.trackId(), b.trackId())).toList();
    }

    public RelayStats relayStats() {
        return new RelayStats(byId.size(), allocated, malformedDrops, tooLargeDrops,
                unknownTrackDrops, notOwnerDrops);
    }

    private void forget(MediaTrack track) {
        byId.remove(track.id);
        tracksPerAgent.computeIfPresent(track.ownerAgent, (agent, n) -> n > 1 ? n - 1 : null);
        LOG.debug("track {} ended", track.id);
    }

    private static AllocateResult refuse(String reason) {
        return new AllocateResult.Refused(reason, JSON.arrayNode().add(ALLOCATE).add("failed").add(reason));
    }

    private static MediaTrackResult trackFailure(String reason) {
        return new MediaTrackResult(false, JSON.arrayNode().add(MEDIA_TRACK).add("failed").add(reason));
    }
}
