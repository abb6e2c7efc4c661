package dev.alloplace.assets;

import dev.alloplace.place.Agent;
import dev.alloplace.place.PlaceContext;
import dev.alloplace.place.PlaceExtension;
import dev.alloplace.protocol.ChannelRole;
import dev.alloplace.transport.Delivery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asset channel of the place. Requests are answered from the {@link AssetStore}; an asset
 * the place lacks is fetched chunk by chunk from the agent that published it (or from everyone
 * else), verified against its sha256 id, stored, and then offered to every agent that asked.
 * Answers are at most one chunk each, so a big transfer never holds the reliable channel. An
 * upload streams to a temporary file as its chunks arrive: memory stays at one chunk, and what
 * uploads may hold on disk is capped, in total and per source, by what actually arrived.
 */
public final class AssetExchange implements PlaceExtension {

    private static final Logger log = LoggerFactory.getLogger(AssetExchange.class);
    static final String NOT_FOUND = "Server could not find asset";
    static final String CHUNK_NOT_AVAILABLE = "Chunk not available";
    static final String MISMATCH = "Asset content does not match its sha256 id";
    static final String STORE_FAILED = "The place could not store the asset";

    private final AssetSettings settings;
    private final AssetStore store;
    private final Map<AssetId, Wanted> wanted = new HashMap<>();
    private final Map<String, Long> assemblingBySource = new HashMap<>();
    private long assemblingBytes;
    private long refusedUploads;

    /** An asset some agents asked for and the place is fetching. */
    private static final class Wanted {
        /** The agent whose ask started the fetch: the fetch counts against its share. */
        final String askedBy;
        final Set<String> recipients = new LinkedHashSet<>();
        final Set<String> sources = new LinkedHashSet<>();
        /** The agent whose upload is being received, once its first chunk came. */
        String source;
        /** What that upload received so far, on disk; null when none is in progress. */
        AssetStore.Upload upload;
        long total;
        double lastProgress;

        Wanted(String askedBy) {
            this.askedBy = askedBy;
        }
    }

    /** Fetches {@code agent} started that are still going (at most {@code maxWantedAssets} to count). */
    private long askedBy(Agent agent) {
        return wanted.values().stream().filter(entry -> entry.askedBy.equals(agent.id())).count();
    }

    public AssetExchange(AssetStore store, AssetSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    public AssetStore store() {
        return store;
    }

    public long refusedUploads() {
        return refusedUploads;
    }

    @Override
    public boolean frame(PlaceContext place, Agent agent, ChannelRole role, byte[] frame) {
        if (role != ChannelRole.ASSETS) {
            return false;
        }
        if (!agent.announced()) {
            return true;
        }
        AssetMessage.Parsed parsed = AssetMessage.decode(frame);
        if (parsed instanceof AssetMessage.Parsed.Rejected rejected) {
            if (rejected.mid() != AssetFrame.MID_FAILURE) {
                send(place, agent, rejected.reply());
            }
            return true;
        }
        AssetMessage message = ((AssetMessage.Parsed.Ok) parsed).message();
        if (message instanceof AssetMessage.Request request) {
            request(place, agent, request);
        } else if (message instanceof AssetMessage.Data data) {
            data(place, agent, data);
        } else if (message instanceof AssetMessage.Failure failure) {
            failure(place, agent, failure);
        }
        return true;
    }

    private void request(PlaceContext place, Agent agent, AssetMessage.Request request) {
        OptionalLong size = store.size(request.id());
        if (size.isPresent()) {
            serve(place, agent, request.id(), request.offset(), request.length(), size.getAsLong());
            return;
        }
        Wanted entry = wanted.get(request.id());
        if (entry != null) {
            entry.recipients.add(agent.id());
            return;
        }
        if (wanted.size() >= settings.maxWantedAssets() || askedBy(agent) >= settings.maxWantedPerAgent()) {
            send(place, agent, new AssetMessage.Failure(request.id().toString(), NOT_FOUND, AssetErrorCode.NOT_AVAILABLE));
            return;
        }
        entry = new Wanted(agent.id());
        entry.recipients.add(agent.id());
        Optional<Agent> publisher = request.publishedBy().flatMap(place::ownerOf).filter(owner -> owner != agent);
        if (publisher.isPresent()) {
            entry.sources.add(publisher.get().id());
        } else {
            for (Agent other : place.agents()) {
                if (other != agent && other.announced()) {
                    entry.sources.add(other.id());
                }
            }
        }
        if (entry.sources.isEmpty()) {
            send(place, agent, new AssetMessage.Failure(request.id().toString(), NOT_FOUND, AssetErrorCode.NOT_AVAILABLE));
            return;
        }
        entry.lastProgress = place.serverTime();
        wanted.put(request.id(), entry);
        askSources(place, request.id(), entry);
    }

    private void askSources(PlaceContext place, AssetId id, Wanted entry) {
        AssetMessage.Request ask = new AssetMessage.Request(id, 0, settings.chunkSize(), Optional.empty());
        for (String source : entry.sources) {
            place.agent(source).ifPresent(to -> send(place, to, ask));
        }
    }

    private void serve(PlaceContext place, Agent agent, AssetId id, long offset, long length, long total) {
        if (offset >= total && !(offset == 0 && total == 0)) {
            send(place, agent, new AssetMessage.Failure(id.toString(), CHUNK_NOT_AVAILABLE, AssetErrorCode.NOT_AVAILABLE));
            return;
        }
        int count = (int) Math.min(Math.min(length, settings.chunkSize()), total - offset);
        Optional<byte[]> bytes = store.read(id, offset, count);
        if (bytes.isEmpty()) {
            send(place, agent, new AssetMessage.Failure(id.toString(), CHUNK_NOT_AVAILABLE, AssetErrorCode.NOT_AVAILABLE));
            return;
        }
        send(place, agent, new AssetMessage.Data(id, offset, total, bytes.get()));
    }

    /**
     * A chunk of an upload the place asked for. Chunks are taken in order from one source and
     * written to disk as they come; what they claim ({@code total_length}) is checked against
     * the largest asset but never reserved: the caps count only bytes that arrived.
     */
    private void data(PlaceContext place, Agent agent, AssetMessage.Data data) {
        Wanted entry = wanted.get(data.id());
        if (entry == null || !entry.sources.contains(agent.id()) || entry.source != null && !entry.source.equals(agent.id())) {
            return;
        }
        if (entry.source == null) {
            if (data.totalLength() > settings.maxAssetBytes()) {
                refuse(place, agent, data.id(), entry, "asset of " + data.totalLength() + " bytes is larger than "
                        + settings.maxAssetBytes(), AssetErrorCode.MALFORMED);
                return;
            }
            try {
                entry.upload = store.begin(data.id());
            } catch (IOException e) {
                log.error("cannot receive asset {}: {}", data.id(), e.toString());
                refuse(place, agent, data.id(), entry, STORE_FAILED, AssetErrorCode.NOT_AVAILABLE);
                return;
            }
            entry.source = agent.id();
            entry.total = data.totalLength();
        }
        if (data.totalLength() != entry.total || data.offset() != entry.upload.written()) {
            refuse(place, agent, data.id(), entry, "chunk out of sequence", AssetErrorCode.MALFORMED);
            return;
        }
        int length = data.payload().length;
        String over = overBudget(agent.id(), length);
        if (over != null) {
            refuse(place, agent, data.id(), entry, over, AssetErrorCode.NOT_AVAILABLE);
            return;
        }
        try {
            entry.upload.append(data.payload());
        } catch (IOException e) {
            log.error("cannot write asset {}: {}", data.id(), e.toString());
            refuse(place, agent, data.id(), entry, STORE_FAILED, AssetErrorCode.NOT_AVAILABLE);
            return;
        }
        charge(agent.id(), length);
        entry.lastProgress = place.serverTime();
        long received = entry.upload.written();
        if (received < entry.total) {
            if (length == 0) {
                refuse(place, agent, data.id(), entry, "empty chunk", AssetErrorCode.MALFORMED);
                return;
            }
            long next = Math.min(settings.chunkSize(), entry.total - received);
            send(place, agent, new AssetMessage.Request(data.id(), received, next, Optional.empty()));
            return;
        }
        AssetStore.Upload complete = entry.upload;
        entry.upload = null;
        charge(agent.id(), -received);
        if (!store.finish(complete)) {
            refuse(place, agent, data.id(), entry, MISMATCH, AssetErrorCode.MALFORMED);
            return;
        }
        wanted.remove(data.id());
        log.info("asset {} ({} bytes) received from agent {}", data.id(), received, agent.id());
        for (String recipient : entry.recipients) {
            place.agent(recipient).ifPresent(to -> serve(place, to, data.id(), 0, settings.chunkSize(), received));
        }
    }

    /** Why {@code bytes} more from {@code source} would pass an assembly cap, or null if they fit. */
    private String overBudget(String source, int bytes) {
        if (assemblingBytes + bytes > settings.maxAssemblyBytes()) {
            return "the place is already receiving " + assemblingBytes + " bytes of unfinished uploads (limit "
                    + settings.maxAssemblyBytes() + "); try again later";
        }
        long mine = assemblingBySource.getOrDefault(source, 0L);
        if (mine + bytes > settings.maxAssemblyBytesPerAgent()) {
            return "this agent's unfinished uploads would pass " + settings.maxAssemblyBytesPerAgent() + " bytes";
        }
        return null;
    }

    private void charge(String source, long bytes) {
        assemblingBytes += bytes;
        assemblingBySource.merge(source, bytes, Long::sum);
        if (assemblingBySource.get(source) == 0) {
            assemblingBySource.remove(source);
        }
    }

    /** Ends the upload in progress for {@code entry}, if any: its bytes are deleted and uncharged. */
    private void abandonUpload(Wanted entry) {
        if (entry.upload != null) {
            charge(entry.source, -entry.upload.written());
            entry.upload.abort();
            entry.upload = null;
        }
        entry.source = null;
    }

    /** An upload was wrong: tell the uploader, drop it as a source, try the others or give up. */
    private void refuse(PlaceContext place, Agent uploader, AssetId id, Wanted entry, String reason, int code) {
        refusedUploads++;
        log.warn("refused asset {} from agent {}: {}", id, uploader.id(), reason);
        send(place, uploader, new AssetMessage.Failure(id.toString(), reason, code));
        dropSource(place, id, entry, uploader.id());
    }

    private void failure(PlaceContext place, Agent agent, AssetMessage.Failure failure) {
        Optional<AssetId> id = AssetId.parse(failure.id());
        Wanted entry = id.map(wanted::get).orElse(null);
        if (entry != null && entry.sources.contains(agent.id())) {
            dropSource(place, id.get(), entry, agent.id());
        }
    }

    private void dropSource(PlaceContext place, AssetId id, Wanted entry, String agentId) {
        entry.sources.remove(agentId);
        if (agentId.equals(entry.source)) {
            abandonUpload(entry);
            askSources(place, id, entry);
        }
        if (entry.sources.isEmpty()) {
            wanted.remove(id);
            AssetMessage.Failure notFound = new AssetMessage.Failure(id.toString(), NOT_FOUND, AssetErrorCode.NOT_AVAILABLE);
            for (String recipient : entry.recipients) {
                place.agent(recipient).ifPresent(to -> send(place, to, notFound));
            }
        }
    }

    /** Gives up on fetches that made no progress for {@code requestTimeout}. */
    @Override
    public void tick(PlaceContext place, double serverTime, double deltaSeconds) {
        double timeout = settings.requestTimeout().toMillis() / 1000.0;
        for (Map.Entry<AssetId, Wanted> entry : new ArrayList<>(wanted.entrySet())) {
            if (serverTime - entry.getValue().lastProgress >= timeout) {
                log.info("asset {}: no answer from {} within {} s", entry.getKey(), entry.getValue().sources, timeout);
                abandonUpload(entry.getValue());
                entry.getValue().sources.clear();
                dropSource(place, entry.getKey(), entry.getValue(), "");
            }
        }
    }

    @Override
    public void agentLeft(PlaceContext place, Agent agent) {
        for (Map.Entry<AssetId, Wanted> entry : new ArrayList<>(wanted.entrySet())) {
            entry.getValue().recipients.remove(agent.id());
            if (entry.getValue().sources.contains(agent.id())) {
                dropSource(place, entry.getKey(), entry.getValue(), agent.id());
            } else if (entry.getValue().recipients.isEmpty()) {
                abandonUpload(entry.getValue());
                wanted.remove(entry.getKey());
            }
        }
    }

    /** Bytes received for uploads not yet complete (on disk in the store's temp files). */
    public long assemblingBytes() {
        return assemblingBytes;
    }

    /** Assets currently being fetched (for metrics and tests). */
    public List<AssetId> inFlight() {
        return List.copyOf(wanted.keySet());
    }

    private static void send(PlaceContext place, Agent to, AssetMessage message) {
        place.sendRaw(to, to.layout().assets(), message.encode(), Delivery.RELIABLE);
    }
}
