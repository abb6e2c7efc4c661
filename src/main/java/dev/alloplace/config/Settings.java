package dev.alloplace.config;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The catalog of every setting the server understands. */
public final class Settings {

    private Settings() {
    }

    public static final Setting<InetAddress> BIND = new Setting<>(
            "server.bind", "ALLOPLACE_BIND", Optional.of("bind"), new SettingType.Address(), "0.0.0.0",
            "Address the UDP (ENet) socket binds to.");
    public static final Setting<Integer> PORT = new Setting<>(
            "server.port", "ALLOPLACE_PORT", Optional.of("port"), new SettingType.IntRange(0, 65535), "21337",
            "UDP port for visors and apps (allonet's default is 21337); 0 picks a free port.");
    public static final Setting<Integer> MAX_PEERS = new Setting<>(
            "server.max_peers", "ALLOPLACE_MAX_PEERS", Optional.of("max-peers"), new SettingType.IntRange(1, 4095),
            "128", "Most ENet connections served at once; further connection attempts are refused (ENet disconnect 1101).");
    public static final Setting<String> PLACE_NAME = new Setting<>(
            "place.name", "ALLOPLACE_NAME", Optional.of("name"), new SettingType.Text(200, false), "Unnamed place",
            "Name of the place, sent to every agent in its announce response.");
    public static final Setting<Integer> HEARTBEAT_HZ = new Setting<>(
            "place.heartbeat_hz", "ALLOPLACE_HEARTBEAT_HZ", Optional.of("heartbeat-hz"),
            new SettingType.IntRange(1, 240), "20",
            "Heartbeats per second: simulation steps and state diffs sent to every client.");
    public static final Setting<Integer> STATE_HISTORY = new Setting<>(
            "place.state_history", "ALLOPLACE_STATE_HISTORY", Optional.empty(), new SettingType.IntRange(1, 100_000),
            "64", "Revisions a client may acknowledge and still get a merge patch; older ones get the full state.");
    public static final Setting<Integer> MAX_ENTITIES_PER_AGENT = new Setting<>(
            "place.max_entities_per_agent", "ALLOPLACE_MAX_ENTITIES_PER_AGENT", Optional.empty(),
            new SettingType.IntRange(1, 1_000_000), "20000", "Entities one agent may own at once (its avatar included).");
    public static final Setting<Integer> MAX_COMMAND_BYTES = new Setting<>(
            "place.max_command_bytes", "ALLOPLACE_MAX_COMMAND_BYTES", Optional.empty(),
            new SettingType.IntRange(1024, 33_554_432), "1048576", "Largest interaction message accepted, in bytes.");
    public static final Setting<Integer> REQUEST_TIMEOUT_MS = new Setting<>(
            "place.request_timeout_ms", "ALLOPLACE_REQUEST_TIMEOUT_MS", Optional.empty(),
            new SettingType.IntRange(100, 600_000), "30000",
            "How long a request routed to another agent waits for its response before the requester gets an error.");
    public static final Setting<Long> ASSET_STORE_BYTES = new Setting<>(
            "assets.max_store_bytes", "ALLOPLACE_ASSET_STORE_BYTES", Optional.empty(),
            new SettingType.LongRange(1L << 20, 1L << 50), "1073741824",
            "Disk space the asset store under data_dir/assets may use; least recently used assets are evicted.");
    public static final Setting<Long> ASSET_ASSEMBLY_BYTES = new Setting<>(
            "assets.max_assembly_bytes", "ALLOPLACE_ASSET_ASSEMBLY_BYTES", Optional.empty(),
            new SettingType.LongRange(1L << 20, 1L << 50), "536870912",
            "Bytes of asset uploads received and not yet complete, over all uploads (they wait in temporary files in the "
                    + "store, not in memory); a chunk that would pass it is refused with its upload.");
    public static final Setting<Long> ASSET_ASSEMBLY_BYTES_PER_AGENT = new Setting<>(
            "assets.max_assembly_bytes_per_agent", "ALLOPLACE_ASSET_ASSEMBLY_BYTES_PER_AGENT", Optional.empty(),
            new SettingType.LongRange(1L << 20, 1L << 50), "268435456",
            "The same for the uploads one agent is sending; also the largest asset an agent can upload.");
    public static final Setting<Integer> ASSET_WANTED_PER_AGENT = new Setting<>(
            "assets.max_wanted_per_agent", "ALLOPLACE_ASSET_WANTED_PER_AGENT", Optional.empty(),
            new SettingType.IntRange(1, 256), "32",
            "Different assets one agent's asks may have the place fetching from other agents at once (of 256 place-wide); "
                    + "an ask beyond it is answered at once that the asset is not available.");
    public static final Setting<String> PUBLIC_HOST = new Setting<>(
            "place.public_host", "ALLOPLACE_HOST", Optional.empty(), new SettingType.Text(253, true), "",
            "Host name launched apps are told to connect to (x-alloverse-server of launch_app); empty means the address the fleet (Agones) gives the place, else localhost.");
    public static final Setting<Integer> LAUNCH_TIMEOUT_MS = new Setting<>(
            "place.launch_timeout_ms", "ALLOPLACE_LAUNCH_TIMEOUT_MS", Optional.empty(),
            new SettingType.IntRange(100, 600_000), "30000",
            "How long an app started by launch_app has to announce before the requester gets an error.");
    public static final Setting<Integer> PUBLIC_PORT = new Setting<>(
            "place.public_port", "ALLOPLACE_PUBLIC_PORT", Optional.empty(), new SettingType.IntRange(0, 65535), "0",
            "UDP port launched apps are told to connect to (x-alloverse-server of launch_app); 0 means the port the place listens on.");
    public static final Setting<List<URI>> LAUNCH_GATEWAYS = new Setting<>(
            "place.launch_gateways", "ALLOPLACE_LAUNCH_GATEWAYS", Optional.empty(), new SettingType.UrlPrefixes(64), "",
            "App gateway URL prefixes launch_app may POST to (e.g. http://127.0.0.1:21339/); empty refuses every launch_app.");
    public static final Setting<String> LAUNCH_GATEWAY_TOKEN = new Setting<>(
            "place.launch_gateway_token", "ALLOPLACE_LAUNCH_GATEWAY_TOKEN", Optional.empty(), new SettingType.Text(512, true), "",
            "Bearer token sent to app gateways (Authorization: Bearer); empty sends none.");
    public static final Setting<Integer> LAUNCH_GATEWAY_TIMEOUT_MS = new Setting<>(
            "place.launch_gateway_timeout_ms", "ALLOPLACE_LAUNCH_GATEWAY_TIMEOUT_MS", Optional.empty(),
            new SettingType.IntRange(100, 60_000), "5000",
            "Whole time an app gateway has to answer launch_app (connect, headers and body) before the requester gets an error.");
    public static final Setting<Integer> LAUNCH_MAX_ANSWER_BYTES = new Setting<>(
            "place.launch_max_answer_bytes", "ALLOPLACE_LAUNCH_MAX_ANSWER_BYTES", Optional.empty(),
            new SettingType.IntRange(0, 1_048_576), "16384",
            "Most bytes of an app gateway's answer the place reads; a longer answer is an error and the connection is closed.");
    public static final Setting<Integer> LAUNCH_MAX_PENDING_PER_AGENT = new Setting<>(
            "place.launch_max_pending_per_agent", "ALLOPLACE_LAUNCH_MAX_PENDING_PER_AGENT", Optional.empty(),
            new SettingType.IntRange(1, 1000), "4",
            "launch_app requests one agent may have waiting for a gateway or an app's announce; more get an error.");
    public static final Setting<Optional<Path>> ENTITIES_FILE = new Setting<>(
            "place.entities_file", "ALLOPLACE_ENTITIES_FILE", Optional.empty(), new SettingType.OptionalFilePath(), "",
            "JSON list of entity specs the place creates and owns on its first start (later starts restore them from data_dir/place.json).");
    public static final Setting<String> ACL_DEFAULT_POLICY = new Setting<>(
            "acl.default_policy", "ALLOPLACE_ACL_DEFAULT_POLICY", Optional.empty(),
            new SettingType.Choice(List.of("allow", "deny")), "allow",
            "What happens to an interaction no ACL rule matches (rules live in data_dir/acl.json).");
    public static final Setting<Integer> ACL_MAX_RULES = new Setting<>(
            "acl.max_rules", "ALLOPLACE_ACL_MAX_RULES", Optional.empty(), new SettingType.IntRange(1, 10_000), "256",
            "Most ACL rules the place holds; every interaction is checked against them in order.");
    public static final Setting<List<String>> ACL_OWNER_KEYS = new Setting<>(
            "acl.owner_keys", "ALLOPLACE_ACL_OWNER_KEYS", Optional.empty(), new SettingType.PublicKeys(64), "",
            "Public keys (base64url) of the place's owners: an agent that proved one of them at announce may always "
                    + "manage the ACL with acl_list, acl_add and acl_remove, whatever the rules say; is_owner(E) in rules.");
    public static final Setting<Integer> IDENTITY_CHALLENGE_TTL_MS = new Setting<>(
            "identity.challenge_ttl_ms", "ALLOPLACE_IDENTITY_CHALLENGE_TTL_MS", Optional.empty(),
            new SettingType.IntRange(1000, 600_000), "10000",
            "How long the server nonce of an identity_challenge may be signed in an announce; each serves one announce.");
    public static final Setting<Integer> IDENTITY_MAX_CHALLENGES = new Setting<>(
            "identity.max_challenges_per_connection", "ALLOPLACE_IDENTITY_MAX_CHALLENGES_PER_CONNECTION", Optional.empty(),
            new SettingType.IntRange(1, 64), "4",
            "identity_challenge requests one connection may make (each costs the place a signature); more are refused.");
    public static final Setting<Integer> IDENTITY_MAX_PENDING_SIGNATURES = new Setting<>(
            "identity.max_pending_signatures", "ALLOPLACE_IDENTITY_MAX_PENDING_SIGNATURES", Optional.empty(),
            new SettingType.IntRange(1, 1_000_000), "1024",
            "Signatures and verifications waiting for the place's signature thread; beyond it challenges and signed "
                    + "announces are refused as busy.");
    public static final Setting<Integer> MAX_SUBSCRIPTIONS = new Setting<>(
            "place.max_subscriptions_per_agent", "ALLOPLACE_MAX_SUBSCRIPTIONS_PER_AGENT", Optional.empty(),
            new SettingType.IntRange(1, 10_000), "32", "Publication subscriptions one agent may hold.");
    public static final Setting<Optional<Path>> ACL_RULES_FILE = new Setting<>(
            "acl.rules_file", "ALLOPLACE_ACL_RULES_FILE", Optional.empty(), new SettingType.OptionalFilePath(), "",
            "YAML or JSON list of ACL rules ({deny: \"<guard>\"} or [\"allow\", \"<guard>\"]) used until rules are changed through interactions.");
    public static final Setting<Integer> ANNOUNCE_TIMEOUT_MS = new Setting<>(
            "place.announce_timeout_ms", "ALLOPLACE_ANNOUNCE_TIMEOUT_MS", Optional.empty(),
            new SettingType.IntRange(100, 600_000), "10000",
            "How long a connection may stay without announcing; then it is disconnected with reason 1007.");
    public static final Setting<Integer> AGENT_SLICE = new Setting<>(
            "place.agent_slice", "ALLOPLACE_AGENT_SLICE", Optional.empty(), new SettingType.IntRange(1, 1_000_000), "32",
            "Work units one agent's queue gives per turn of the place loop before the next agent's turn (a unit: one message, plus one per KiB and per 1,000 guard steps).");
    public static final Setting<Integer> AGENT_WORK_PER_HEARTBEAT = new Setting<>(
            "place.agent_work_per_heartbeat", "ALLOPLACE_AGENT_WORK_PER_HEARTBEAT", Optional.empty(),
            new SettingType.IntRange(1, 100_000_000), "1000",
            "Work units one agent may spend per heartbeat while other agents have work waiting; what it sends beyond that waits in its queue (alone, an agent may use the time nobody else wants).");
    public static final Setting<Integer> AGENT_SPARE_WORK_PER_HEARTBEAT = new Setting<>(
            "place.agent_spare_work_per_heartbeat", "ALLOPLACE_AGENT_SPARE_WORK_PER_HEARTBEAT", Optional.empty(),
            new SettingType.IntRange(0, 100_000_000), "50000",
            "Work units an agent over its place.agent_work_per_heartbeat may still spend per heartbeat on time no agent within its share wants (it owes nothing for them): an app building a scene in a quiet place goes as fast as the place can. 0 makes the per-heartbeat budget a hard cap.");
    public static final Setting<Long> WORLD_WRITE_BYTES_PER_SECOND = new Setting<>(
            "place.world_write_bytes_per_second", "ALLOPLACE_WORLD_WRITE_BYTES_PER_SECOND", Optional.empty(),
            new SettingType.LongRange(1024, 1L << 34), "524288",
            "Bytes of component values agents may write into the world per second (spawns and changes), after a burst of an eighth of place.max_world_bytes, shared among the agents writing; faster writers wait their turn, since every byte written goes to every client.");
    public static final Setting<Integer> AGENT_BACKLOG_MESSAGES = new Setting<>(
            "place.agent_backlog_messages", "ALLOPLACE_AGENT_BACKLOG_MESSAGES", Optional.empty(),
            new SettingType.IntRange(16, 10_000_000), "20000",
            "Messages one agent may have waiting for the place; over it for longer than the grace (or over twice it at all) the agent is disconnected with reason 1006.");
    public static final Setting<Long> AGENT_BACKLOG_BYTES = new Setting<>(
            "place.agent_backlog_bytes", "ALLOPLACE_AGENT_BACKLOG_BYTES", Optional.empty(),
            new SettingType.LongRange(65_536, 1L << 30), "4194304",
            "Bytes one agent may have waiting for the place; over it for longer than the grace (or over twice it at all) the agent is disconnected with reason 1006.");
    public static final Setting<Integer> AGENT_BACKLOG_GRACE_MS = new Setting<>(
            "place.agent_backlog_grace_ms", "ALLOPLACE_AGENT_BACKLOG_GRACE_MS", Optional.empty(),
            new SettingType.IntRange(0, 600_000), "2000",
            "How long an agent's queue may stay over place.agent_backlog_messages or place.agent_backlog_bytes.");
    public static final Setting<Long> BACKLOG_BYTES = new Setting<>(
            "place.backlog_bytes", "ALLOPLACE_BACKLOG_BYTES", Optional.empty(),
            new SettingType.LongRange(1L << 20, 1L << 36), "67108864",
            "Bytes all agents together may have waiting for the place; over it the agent with the biggest queue is disconnected (1006).");
    public static final Setting<Long> MAX_WORLD_BYTES = new Setting<>(
            "place.max_world_bytes", "ALLOPLACE_MAX_WORLD_BYTES", Optional.empty(),
            new SettingType.LongRange(65_536, 1L << 30), "25165824",
            "What the whole world may weigh in a full state; spawns and changes beyond it are refused. Keep it under 32 MiB, the largest message a C ENet client accepts.");
    public static final Setting<Long> MAX_AGENT_BYTES = new Setting<>(
            "place.max_agent_bytes", "ALLOPLACE_MAX_AGENT_BYTES", Optional.empty(),
            new SettingType.LongRange(1024, 1L << 30), "8388608",
            "What the entities one agent owns may weigh in a full state; spawns and changes beyond it are refused.");
    public static final Setting<Integer> MAX_PARENT_DEPTH = new Setting<>(
            "place.max_parent_depth", "ALLOPLACE_MAX_PARENT_DEPTH", Optional.empty(), new SettingType.IntRange(1, 10_000),
            "128", "Ancestors an entity's new parent may have (relationships.parent); deeper nesting and cycles are refused.");
    public static final Setting<Integer> RELIABLE_DIFF_BYTES = new Setting<>(
            "place.reliable_diff_bytes", "ALLOPLACE_RELIABLE_DIFF_BYTES", Optional.empty(),
            new SettingType.IntRange(1024, 33_554_432), "65536",
            "A state diff bigger than this goes reliably to a client that has acknowledged none of the last three diffs sent to it (it loses fragments or falls behind), and that client gets no further diff until it has acknowledged it; to a client keeping up it goes unreliably like any diff, up to four times this size.");
    public static final Setting<Integer> MAX_MATCH_STEPS_PER_PUBLICATION = new Setting<>(
            "place.max_match_steps_per_publication", "ALLOPLACE_MAX_MATCH_STEPS_PER_PUBLICATION", Optional.empty(),
            new SettingType.IntRange(1000, 100_000_000), "100000",
            "Guard steps one publication may spend matching subscriptions, charged to the publisher; subscriptions not reached get nothing.");
    public static final Setting<Integer> READY_MAX_LATENESS_MS = new Setting<>(
            "place.ready_max_heartbeat_lateness_ms", "ALLOPLACE_READY_MAX_HEARTBEAT_LATENESS_MS", Optional.empty(),
            new SettingType.IntRange(10, 600_000), "1000",
            "/readyz fails while the next heartbeat is later than this.");
    public static final Setting<Integer> READY_MAX_BACKLOG = new Setting<>(
            "place.ready_max_backlog_messages", "ALLOPLACE_READY_MAX_BACKLOG_MESSAGES", Optional.empty(),
            new SettingType.IntRange(1, 100_000_000), "100000",
            "/readyz fails while more messages than this wait for the place loop.");
    public static final Setting<Integer> MAX_COMPONENT_BYTES = new Setting<>(
            "place.max_component_bytes", "ALLOPLACE_MAX_COMPONENT_BYTES", Optional.empty(),
            new SettingType.IntRange(16, 33_554_432), "262144", "Largest encoded JSON of one component value an agent may set.");
    public static final Setting<Integer> MAX_FULL_STATES_IN_FLIGHT = new Setting<>(
            "place.max_full_states_in_flight", "ALLOPLACE_MAX_FULL_STATES_IN_FLIGHT", Optional.empty(),
            new SettingType.IntRange(1, 4096), "8",
            "Full states being delivered at once, place-wide; latecomers and clients that fell behind queue for a slot.");
    public static final Setting<Integer> MAX_UNACKNOWLEDGED_DIFFS = new Setting<>(
            "place.max_unacknowledged_diffs", "ALLOPLACE_MAX_UNACKNOWLEDGED_DIFFS", Optional.empty(),
            new SettingType.IntRange(1, 1000), "4",
            "State diffs sent to a client since its last new acknowledgement before it gets only four a second (pacing of slow clients).");
    public static final Setting<Integer> MAX_PEERS_PER_ADDRESS = new Setting<>(
            "server.max_peers_per_address", "ALLOPLACE_MAX_PEERS_PER_ADDRESS", Optional.empty(),
            new SettingType.IntRange(1, 4095), "64",
            "Connections from one IP address at once; further connection attempts from it are refused (1102).");
    public static final Setting<Integer> MAX_NEWCOMERS = new Setting<>(
            "server.max_newcomers", "ALLOPLACE_MAX_NEWCOMERS", Optional.empty(), new SettingType.IntRange(1, 4095), "64",
            "Slots that connections which have not announced yet (half-open handshakes included) may hold together; "
                    + "further connection attempts are refused (1104) until some announce or leave.");
    public static final Setting<Integer> MAX_NEWCOMERS_PER_ADDRESS = new Setting<>(
            "server.max_newcomers_per_address", "ALLOPLACE_MAX_NEWCOMERS_PER_ADDRESS", Optional.empty(),
            new SettingType.IntRange(1, 4095), "16",
            "The same, from one IP address (1103), so a handshake flood from a few addresses leaves room for everyone else.");
    public static final Setting<Integer> HANDSHAKE_TIMEOUT_MS = new Setting<>(
            "server.handshake_timeout_ms", "ALLOPLACE_HANDSHAKE_TIMEOUT_MS", Optional.empty(),
            new SettingType.IntRange(500, 60_000), "5000",
            "How long a remote's ENet handshake may stay half-open before its slot is freed.");
    public static final Setting<Long> MAX_REASSEMBLY_BYTES_PER_PEER = new Setting<>(
            "server.max_reassembly_bytes_per_peer", "ALLOPLACE_MAX_REASSEMBLY_BYTES_PER_PEER", Optional.empty(),
            new SettingType.LongRange(65_536, 1L << 34), "16777216",
            "Bytes one peer may have sent that are not yet delivered (fragments of a message being reassembled, messages "
                    + "held for an earlier one), counted as they arrive; over it the peer is disconnected (1111). "
                    + "Keep it above place.max_command_bytes.");
    public static final Setting<Long> MAX_REASSEMBLY_BYTES = new Setting<>(
            "server.max_reassembly_bytes", "ALLOPLACE_MAX_REASSEMBLY_BYTES", Optional.empty(),
            new SettingType.LongRange(1L << 20, 1L << 40), "67108864",
            "The same, summed over every peer; when it is full the peer holding the most is disconnected (1112).");
    public static final Setting<Integer> REASSEMBLY_TIMEOUT_MS = new Setting<>(
            "server.reassembly_timeout_ms", "ALLOPLACE_REASSEMBLY_TIMEOUT_MS", Optional.empty(),
            new SettingType.IntRange(1_000, 600_000), "20000",
            "A reliable message that waits this long for its missing fragments (or an earlier message) gets its peer "
                    + "disconnected (1113); a live sender would have resent them by then.");
    public static final Setting<Integer> SOCKET_BUFFER_BYTES = new Setting<>(
            "server.socket_buffer_bytes", "ALLOPLACE_SOCKET_BUFFER_BYTES", Optional.empty(),
            new SettingType.IntRange(65_536, 268_435_456), "1048576",
            "UDP receive and send buffer of the socket (SO_RCVBUF/SO_SNDBUF); the kernel caps it at net.core.rmem_max/wmem_max.");
    public static final Setting<Boolean> UDP_SEGMENTATION = new Setting<>(
            "server.udp_segmentation", "ALLOPLACE_UDP_SEGMENTATION", Optional.empty(), new SettingType.Flag(), "true",
            "Send the fragments of a message to one peer as one UDP segmentation offload write (Linux with epoll), which the kernel cuts into the same datagrams; switched off by itself if the kernel or the network device refuses it.");
    public static final Setting<InetAddress> ADMIN_BIND = new Setting<>(
            "admin.bind", "ALLOPLACE_ADMIN_BIND", Optional.of("admin-bind"), new SettingType.Address(), "127.0.0.1",
            "Address of the admin HTTP endpoint (health checks).");
    public static final Setting<Integer> ADMIN_PORT = new Setting<>(
            "admin.port", "ALLOPLACE_ADMIN_PORT", Optional.of("admin-port"), new SettingType.IntRange(-1, 65535),
            "21338", "TCP port of the admin HTTP endpoint; 0 picks a free port, -1 turns it off.");
    public static final Setting<String> ADMIN_TOKEN = new Setting<>(
            "admin.token", "ALLOPLACE_ADMIN_TOKEN", Optional.empty(), new SettingType.Text(512, true), "",
            "Bearer token the admin API requires (health probes excepted); mandatory when admin.bind is not loopback.");
    public static final Setting<List<String>> ADMIN_ALLOWED_HOSTS = new Setting<>(
            "admin.allowed_hosts", "ALLOPLACE_ADMIN_ALLOWED_HOSTS", Optional.empty(), new SettingType.HostNames(32), "",
            "Host names the admin endpoint answers to besides the address a request arrived on (and localhost on loopback); a request with another Host is refused (DNS rebinding).");
    public static final Setting<Integer> ADMIN_MAX_CONNECTIONS = new Setting<>(
            "admin.max_connections", "ALLOPLACE_ADMIN_MAX_CONNECTIONS", Optional.empty(), new SettingType.IntRange(1, 10_000),
            "32", "Admin HTTP connections open at once; further ones get 503 and are closed.");
    public static final Setting<Integer> ADMIN_IDLE_TIMEOUT_MS = new Setting<>(
            "admin.idle_timeout_ms", "ALLOPLACE_ADMIN_IDLE_TIMEOUT_MS", Optional.empty(),
            new SettingType.IntRange(100, 3_600_000), "30000",
            "An admin HTTP connection that neither sends nor receives for this long is closed.");
    public static final Setting<Integer> ADMIN_MAX_BODY_BYTES = new Setting<>(
            "admin.max_body_bytes", "ALLOPLACE_ADMIN_MAX_BODY_BYTES", Optional.empty(),
            new SettingType.IntRange(1024, 16_777_216), "65536",
            "Largest admin request body; a longer one is answered 413 without being read.");
    public static final Setting<Integer> INSPECTOR_HISTORY_SECONDS = new Setting<>(
            "admin.inspector_history_seconds", "ALLOPLACE_INSPECTOR_HISTORY_SECONDS", Optional.empty(),
            new SettingType.IntRange(10, 86_400), "600",
            "Seconds of once-a-second figures (heartbeat, agents, entities, bandwidth) the place keeps for the inspector's charts and GET /api/history.");
    public static final Setting<Integer> INSPECTOR_EVENTS = new Setting<>(
            "admin.inspector_events", "ALLOPLACE_INSPECTOR_EVENTS", Optional.empty(), new SettingType.IntRange(10, 100_000),
            "200", "Recent events (joins, leaves, kicks, ACL denials) the place keeps for the inspector and GET /api/events; older ones are forgotten.");
    public static final Setting<Integer> INSPECTOR_MAX_ENTITIES = new Setting<>(
            "admin.inspector_max_entities", "ALLOPLACE_INSPECTOR_MAX_ENTITIES", Optional.empty(),
            new SettingType.IntRange(10, 100_000), "2000",
            "Most entities one inspector request computes on the place thread: markers on the map (GET /api/map), nodes of the entity tree and search results (GET /api/entities); a search examines at most ten times as many.");
    public static final Setting<Path> DATA_DIR = new Setting<>(
            "data_dir", "ALLOPLACE_DATA_DIR", Optional.of("data-dir"), new SettingType.FilePath(), "data",
            "Directory for what the place keeps across restarts; created if missing.");
    public static final Setting<String> LOG_FORMAT = new Setting<>(
            "log.format", "ALLOPLACE_LOG_FORMAT", Optional.of("log-format"), new SettingType.Choice(List.of("text", "json")),
            "text", "Console log format: readable text, or one JSON object per line for log shippers.");
    public static final Setting<String> LOG_LEVEL = new Setting<>(
            "log.level", "ALLOPLACE_LOG_LEVEL", Optional.of("log-level"),
            new SettingType.Choice(List.of("trace", "debug", "info", "warn", "error")), "info",
            "Least severe level that is logged.");
    public static final Setting<Integer> SHUTDOWN_GRACE_MS = new Setting<>(
            "server.shutdown_grace_ms", "ALLOPLACE_SHUTDOWN_GRACE_MS", Optional.empty(),
            new SettingType.IntRange(0, 4000), "1000",
            "On SIGTERM/SIGINT, how long to wait for connected peers to acknowledge the disconnect.");
    public static final Setting<Integer> MEMORY_RETURN_INTERVAL_MS = new Setting<>(
            "server.memory_return_interval_ms", "ALLOPLACE_MEMORY_RETURN_INTERVAL_MS", Optional.empty(),
            new SettingType.IntRange(0, 3_600_000), "10000",
            "How often the daemon looks whether heap grown for a burst can go back to the operating system (one concurrent "
                    + "collection, with -XX:+ExplicitGCInvokesConcurrent as config/jvm.options sets it); 0 never looks.");
    public static final Setting<Long> MEMORY_RETURN_MIN_BYTES = new Setting<>(
            "server.memory_return_min_bytes", "ALLOPLACE_MEMORY_RETURN_MIN_BYTES", Optional.empty(),
            new SettingType.LongRange(1L << 20, 1L << 40), "16777216",
            "Least committed heap beyond what is in use that is worth that collection.");

    public static final Setting<String> FLEET_AGONES = new Setting<>(
            "fleet.agones", "ALLOPLACE_FLEET_AGONES", Optional.empty(),
            new SettingType.Choice(List.of("off", "on", "auto", "false", "true")), "off",
            "Agones integration through the SDK sidecar's REST API (Ready, Health, Shutdown, players, allocation metadata); auto turns it on when AGONES_SDK_HTTP_PORT is set. YAML reads a bare on/off as true/false, which mean the same.");
    public static final Setting<Integer> FLEET_SDK_HTTP_PORT = new Setting<>(
            "fleet.sdk_http_port", "ALLOPLACE_FLEET_SDK_HTTP_PORT", Optional.empty(), new SettingType.IntRange(0, 65535),
            "0", "Port of the Agones SDK sidecar's REST API on localhost; 0 takes AGONES_SDK_HTTP_PORT, or Agones' default 9358 without it.");
    public static final Setting<Integer> FLEET_HEALTH_INTERVAL_MS = new Setting<>(
            "fleet.health_interval_ms", "ALLOPLACE_FLEET_HEALTH_INTERVAL_MS", Optional.empty(),
            new SettingType.IntRange(100, 60_000), "2000",
            "How often the place tells Agones it is healthy (Health), only while its loop keeps up (the /readyz truth); keep it well under the GameServer's health.periodSeconds.");
    public static final Setting<Integer> FLEET_EMPTY_SHUTDOWN_MS = new Setting<>(
            "fleet.empty_shutdown_ms", "ALLOPLACE_FLEET_EMPTY_SHUTDOWN_MS", Optional.empty(),
            new SettingType.IntRange(0, 86_400_000), "0",
            "Once allocated, ask Agones to shut the place down (Shutdown) after it has had no announced agent for this long; 0 never. An allocation's alloplace.dev/empty-shutdown-ms annotation overrides it.");
    public static final Setting<String> FLEET_PLAYERS = new Setting<>(
            "fleet.players", "ALLOPLACE_FLEET_PLAYERS", Optional.empty(),
            new SettingType.Choice(List.of("list", "counter", "none")), "list",
            "How announced agents are reported to Agones for capacity-aware allocation and autoscaling: their agent ids in a List, their number in a Counter, or not at all.");
    public static final Setting<String> FLEET_PLAYERS_KEY = new Setting<>(
            "fleet.players_key", "ALLOPLACE_FLEET_PLAYERS_KEY", Optional.empty(), new SettingType.Text(63, false),
            "players", "Name of the Agones List or Counter (declared in the GameServer spec) that fleet.players reports to.");

    /** Every setting, in documentation order. */
    public static final List<Setting<?>> ALL = List.of(
            BIND, PORT, MAX_PEERS, PLACE_NAME, HEARTBEAT_HZ, STATE_HISTORY, MAX_ENTITIES_PER_AGENT,
            MAX_COMMAND_BYTES, REQUEST_TIMEOUT_MS, ASSET_STORE_BYTES, ASSET_ASSEMBLY_BYTES, ASSET_ASSEMBLY_BYTES_PER_AGENT,
            ASSET_WANTED_PER_AGENT,
            PUBLIC_HOST, LAUNCH_TIMEOUT_MS, PUBLIC_PORT, LAUNCH_GATEWAYS, LAUNCH_GATEWAY_TOKEN, LAUNCH_GATEWAY_TIMEOUT_MS,
            LAUNCH_MAX_ANSWER_BYTES, LAUNCH_MAX_PENDING_PER_AGENT, ENTITIES_FILE, ACL_DEFAULT_POLICY, ACL_MAX_RULES, ACL_RULES_FILE,
            ACL_OWNER_KEYS, IDENTITY_CHALLENGE_TTL_MS, IDENTITY_MAX_CHALLENGES, IDENTITY_MAX_PENDING_SIGNATURES,
            MAX_SUBSCRIPTIONS, MAX_MATCH_STEPS_PER_PUBLICATION, ANNOUNCE_TIMEOUT_MS, AGENT_SLICE, AGENT_WORK_PER_HEARTBEAT, AGENT_SPARE_WORK_PER_HEARTBEAT,
            WORLD_WRITE_BYTES_PER_SECOND,
            AGENT_BACKLOG_MESSAGES, AGENT_BACKLOG_BYTES, AGENT_BACKLOG_GRACE_MS, BACKLOG_BYTES, MAX_WORLD_BYTES, MAX_AGENT_BYTES, MAX_PARENT_DEPTH,
            MAX_COMPONENT_BYTES, MAX_FULL_STATES_IN_FLIGHT, MAX_UNACKNOWLEDGED_DIFFS, RELIABLE_DIFF_BYTES,
            READY_MAX_LATENESS_MS, READY_MAX_BACKLOG,
            MAX_PEERS_PER_ADDRESS, MAX_NEWCOMERS, MAX_NEWCOMERS_PER_ADDRESS, HANDSHAKE_TIMEOUT_MS,
            MAX_REASSEMBLY_BYTES_PER_PEER, MAX_REASSEMBLY_BYTES, REASSEMBLY_TIMEOUT_MS, SOCKET_BUFFER_BYTES, UDP_SEGMENTATION,
            ADMIN_BIND, ADMIN_PORT, ADMIN_TOKEN, ADMIN_ALLOWED_HOSTS, ADMIN_MAX_CONNECTIONS, ADMIN_IDLE_TIMEOUT_MS,
            ADMIN_MAX_BODY_BYTES, INSPECTOR_HISTORY_SECONDS, INSPECTOR_EVENTS, INSPECTOR_MAX_ENTITIES, DATA_DIR, LOG_FORMAT, LOG_LEVEL, SHUTDOWN_GRACE_MS,
            MEMORY_RETURN_INTERVAL_MS, MEMORY_RETURN_MIN_BYTES, FLEET_AGONES, FLEET_SDK_HTTP_PORT,
            FLEET_HEALTH_INTERVAL_MS, FLEET_EMPTY_SHUTDOWN_MS, FLEET_PLAYERS, FLEET_PLAYERS_KEY);

    /** The environment variable naming the YAML config file (the {@code --config} flag wins). */
    public static final String CONFIG_FILE_ENV = "ALLOPLACE_CONFIG";

    /** What every variable alloplace reads starts with; unknown ones are reported at startup. */
    public static final String ENV_PREFIX = "ALLOPLACE_";

    /**
     * {@code ALLOPLACE_*} variables alloplace (or a tool shipped with it) reads that are not
     * settings of this catalog; add a name here when a launcher, gateway or fleet script reads
     * one, so that startup does not report it as unknown.
     */
    public static final List<String> OTHER_ENVIRONMENT = List.of(CONFIG_FILE_ENV, "ALLOPLACE_GATEWAY_CONFIG");

    /** Every known variable of the place: each setting's, then {@link #OTHER_ENVIRONMENT}. */
    public static Set<String> knownEnvironment() {
        return knownEnvironment(ALL);
    }

    /** Every known variable of a program with settings {@code catalog}, then {@link #OTHER_ENVIRONMENT}. */
    public static Set<String> knownEnvironment(List<Setting<?>> catalog) {
        Set<String> names = new LinkedHashSet<>();
        for (Setting<?> s : catalog) {
            names.add(s.env());
        }
        names.addAll(OTHER_ENVIRONMENT);
        return names;
    }

    public static Map<String, Setting<?>> byKey() {
        Map<String, Setting<?>> map = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            map.put(s.key(), s);
        }
        return map;
    }
}
