/*
 * A load driver for places, straight on C libenet (Debian libenet-dev) with no allonet and no
 * JSON library, so that the load costs far less than the server it measures and works against
 * any place that speaks the wire protocol (ours, or the allonet C standalone server).
 *
 *   loaddriver <host> <port> [options]
 *
 * Modes (one per run):
 *   move (default)   --agents N agents connect (one ENet host each, or --per-host M peers on one
 *                    host), announce an avatar with head and hands, and move it like a visor: an
 *                    intent every 1/--hz s with client-authoritative poses and ack_state_rev = the
 *                    revision of the latest state message received (so every diff is acked by the
 *                    next intent, as allonet does), plus a clock request a second. After every
 *                    agent announced and --warmup s, --seconds s are measured.
 *   --spawn N        one agent sends N spawn_entity requests back to back without waiting, then
 *                    waits for every answer and for every spawned entity to be in its state.
 *                    --hold S keeps it connected S s after reporting (e.g. for a real client to
 *                    join the world it built).
 *   --late-join N    --probes K agents (default 1) connect at once and each times connect -> the
 *                    first state in which it holds >= N entities. With --populate, an agent first
 *                    spawns N entities as --spawn does and the probes join once it sees them all.
 *
 * Other options: --protocol 3|4 (channel layout and announce version, default 4), --hz H
 * (intents a second, default 20), --warmup W (default 1), --seconds S (default 10), --per-host M
 * (default 1), --ramp-ms R (pause between connects, default 2), --timeout T (s to wait for
 * connects, answers and full states, default 60), --measure-after A (move: the measured window
 * starts A s after the process started, whoever has announced by then; instead of "all announced
 * + --warmup", so that driver processes started together measure the same window),
 * --still (poses do not change), --movers K (only the last K agents of this process move, the
 * others hold still: the allonet C server simulates the intents of its 32 newest clients only, so
 * --movers 32 gives both servers the same work), --name PREFIX,
 * --compact (intents without the whitespace allonet's cJSON_Print puts in; ~40 % fewer bytes).
 *
 * The report is ONE JSON line on stdout at the end (progress and problems go to stderr):
 *   move:      {"mode":"move",...,"announced":N,"starved":0,"per_agent_updates_per_s":[..],
 *              "updates_per_s":{"min","median","max","mean"},"bytes_per_s":{...},"announce_ms":{...},
 *              "max_gap_ms":{...} (per agent, the longest time in the window without a state update),...}
 *              (and "measuring" on stderr when the measured window starts)
 *   spawn:     {"mode":"spawn","spawn":N,"answered":N,"errors":0,"last_answer_ms":..,"last_seen_ms":..}
 *   late_join: {"mode":"late_join","wanted":N,"full":K,"full_ms":{...},"populate":{spawn figures}}
 * Times are milliseconds from the moment the agent (or the spawn burst) started; -1 = never.
 *
 * Hot path: received packets are scanned in place (the revision is read from the document's
 * ends; a full walk only when that fails), intents are formatted into one static buffer, and the
 * only allocations per message are ENet's own. Only the spawner and the probes track entity ids
 * (an open-addressing set); it applies set and merge documents key by key at the top of
 * "entities" (a merge from an older base than the latest applied is applied as is; places that
 * delete nothing, as in these scenarios, give the exact count).
 */
#include <enet/enet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define ID_MAX 48

/* ---------------------------------------------------------------- time, stats */

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double cpu_seconds(void) {
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* Prints "name":{"min":..,"median":..,"max":..,"mean":..} of the n values (sorts them). */
static void print_spread(const char *name, double *v, int n) {
    if (n == 0) {
        printf("\"%s\":{\"min\":-1,\"median\":-1,\"max\":-1,\"mean\":-1}", name);
        return;
    }
    qsort(v, n, sizeof *v, compare_doubles);
    double sum = 0;
    for (int i = 0; i < n; i++) sum += v[i];
    double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("\"%s\":{\"min\":%.2f,\"median\":%.2f,\"max\":%.2f,\"mean\":%.2f}", name, v[0], median, v[n - 1], sum / n);
}

/* ---------------------------------------------------------------- JSON scanning, in place */

static const char *ws(const char *p, const char *e) {
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

/* p at '"': returns the position after the closing quote, or NULL. */
static const char *skip_string(const char *p, const char *e) {
    for (p++; p < e; p++) {
        if (*p == '\\') p++;
        else if (*p == '"') return p + 1;
    }
    return NULL;
}

static const char *skip_value(const char *p, const char *e) {
    p = ws(p, e);
    if (p >= e) return NULL;
    if (*p == '"') return skip_string(p, e);
    if (*p == '{' || *p == '[') {
        int depth = 0;
        while (p < e) {
            char c = *p;
            if (c == '"') {
                if (!(p = skip_string(p, e))) return NULL;
                continue;
            }
            if (c == '{' || c == '[') depth++;
            else if ((c == '}' || c == ']') && --depth == 0) return p + 1;
            p++;
        }
        return NULL;
    }
    while (p < e && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r') p++;
    return p;
}

/* p at '"': copies the (unescaped-as-is) content into out; returns the position after it. */
static const char *read_string(const char *p, const char *e, char *out, size_t n) {
    const char *end = skip_string(p, e);
    if (!end) return NULL;
    size_t len = (size_t) (end - p - 2);
    if (len >= n) len = n - 1;
    memcpy(out, p + 1, len);
    out[len] = 0;
    return end;
}

static int key_is(const char *k, const char *kend, const char *name) {
    size_t n = strlen(name);
    return (size_t) (kend - k) == n + 2 && memcmp(k + 1, name, n) == 0;
}

static long long read_integer(const char *p, const char *e) {
    long long v = 0;
    if (p >= e || *p < '0' || *p > '9') return -1;
    while (p < e && *p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
    return v;
}

static const char *find_last(const char *s, size_t len, const char *needle, size_t n) {
    if (len < n) return NULL;
    for (const char *p = s + len - n; p >= s; p--) {
        if (*p == *needle && memcmp(p, needle, n) == 0) return p;
    }
    return NULL;
}

/*
 * The top-level revision of a state document, from its ends: both servers write it as the first
 * or a late top-level key. At the end it is accepted only when what follows the number closes
 * the document with one brace and opens nothing (then it cannot be inside an entity). -1: unknown.
 */
static long long revision_from_ends(const char *s, size_t len, int *is_set) {
    static const char key[] = "\"revision\":";
    const size_t kn = sizeof key - 1;
    size_t tail = len < 160 ? len : 160;
    const char *t = s + len - tail;
    *is_set = (find_last(t, tail, "\"patch_style\":\"set\"", 19) != NULL);
    const char *at = find_last(t, tail, key, kn);
    if (at) {
        const char *num = at + kn, *e = s + len;
        const char *q = num;
        while (q < e && *q >= '0' && *q <= '9') q++;
        int braces = 0, opens = 0;
        for (const char *r = q; r < e; r++) {
            if (*r == '}') braces++;
            else if (*r == '{' || *r == '[' || *r == ']') opens++;
        }
        const char *last = e - 1;
        while (last > q && (*last == ' ' || *last == '\n' || *last == '\r' || *last == '\t')) last--;
        if (braces == 1 && opens == 0 && *last == '}') return read_integer(num, e);
    }
    const char *head = ws(s, s + len);
    if (head < s + len && *head == '{') {
        head = ws(head + 1, s + len);
        if ((size_t) (s + len - head) > kn && memcmp(head, key, kn) == 0) {
            size_t h = len < 160 ? len : 160;
            if (!*is_set) *is_set = find_last(s, h, "\"patch_style\":\"set\"", 19) != NULL;
            return read_integer(head + kn, s + len);
        }
    }
    return -1;
}

/* The whole top level: revision, style, and where the "entities" object is. 0 when malformed. */
static int walk_state(const char *s, size_t len, long long *rev, int *is_set, const char **ents, const char **ents_end) {
    const char *e = s + len, *p = ws(s, e);
    *rev = -1; *is_set = 0; *ents = *ents_end = NULL;
    if (p >= e || *p != '{') return 0;
    p = ws(p + 1, e);
    while (p < e && *p == '"') {
        const char *k = p, *kend = skip_string(p, e);
        if (!kend) return 0;
        p = ws(kend, e);
        if (p >= e || *p != ':') return 0;
        p = ws(p + 1, e);
        const char *v = p, *vend = skip_value(p, e);
        if (!vend) return 0;
        if (key_is(k, kend, "revision")) *rev = read_integer(v, vend);
        else if (key_is(k, kend, "patch_style")) *is_set = (vend - v == 5 && memcmp(v, "\"set\"", 5) == 0);
        else if (key_is(k, kend, "entities")) { *ents = v; *ents_end = vend; }
        p = ws(vend, e);
        if (p < e && *p == ',') p = ws(p + 1, e);
    }
    return 1;
}

/* ---------------------------------------------------------------- entity id set (tracking agents only) */

typedef struct {
    char (*keys)[ID_MAX]; /* "" = empty, "\x01" = removed */
    size_t capacity, used, live;
} IdSet;

static size_t hash_id(const char *s) {
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char) *s) * 1099511628211ULL;
    return h;
}

static void idset_init(IdSet *set, size_t capacity) {
    set->capacity = capacity;
    set->keys = calloc(capacity, ID_MAX);
    set->used = set->live = 0;
}

static void idset_clear(IdSet *set) {
    memset(set->keys, 0, set->capacity * ID_MAX);
    set->used = set->live = 0;
}

static int idset_contains(const IdSet *set, const char *id) {
    for (size_t i = hash_id(id) & (set->capacity - 1);; i = (i + 1) & (set->capacity - 1)) {
        if (!set->keys[i][0]) return 0;
        if (strcmp(set->keys[i], id) == 0) return 1;
    }
}

static void idset_add(IdSet *set, const char *id);

static void idset_grow(IdSet *set) {
    IdSet bigger;
    idset_init(&bigger, set->capacity * 2);
    for (size_t i = 0; i < set->capacity; i++) {
        if (set->keys[i][0] && set->keys[i][0] != 1) idset_add(&bigger, set->keys[i]);
    }
    free(set->keys);
    *set = bigger;
}

static void idset_add(IdSet *set, const char *id) {
    if ((set->used + 1) * 2 > set->capacity) idset_grow(set);
    size_t tomb = (size_t) -1;
    for (size_t i = hash_id(id) & (set->capacity - 1);; i = (i + 1) & (set->capacity - 1)) {
        if (!set->keys[i][0]) {
            if (tomb != (size_t) -1) i = tomb; else set->used++;
            snprintf(set->keys[i], ID_MAX, "%s", id);
            set->live++;
            return;
        }
        if (set->keys[i][0] == 1) { if (tomb == (size_t) -1) tomb = i; continue; }
        if (strcmp(set->keys[i], id) == 0) return;
    }
}

static void idset_remove(IdSet *set, const char *id) {
    for (size_t i = hash_id(id) & (set->capacity - 1);; i = (i + 1) & (set->capacity - 1)) {
        if (!set->keys[i][0]) return;
        if (strcmp(set->keys[i], id) == 0) {
            set->keys[i][0] = 1; set->keys[i][1] = 0;
            set->live--;
            return;
        }
    }
}

/* ---------------------------------------------------------------- agents */

enum { CONNECTING, CONNECTED, ANNOUNCED, GONE };

typedef struct {
    int index;
    ENetHost *host;
    ENetPeer *peer;
    int phase;
    double start, announced_ms, first_state_ms;
    char avatar[ID_MAX];
    long long ack;
    long updates, sets;
    unsigned long long state_bytes;
    long window_updates; /* at the start of the measured window */
    double last_update_t, max_gap; /* in the measured window: the longest wait for an update, ms */
    int in_window;
    unsigned long long window_bytes;
    double next_clock;
    /* tracking agents (spawner, probes) */
    int tracking;
    IdSet known;
    long want;          /* probe: entities that make the state full */
    double full_ms;
    unsigned long long full_bytes;
} Agent;

static int protocol = 4, channel_count = 6, ch_commands = 1, ch_state = 2, ch_clock = 5;
static double hz = 20;
static int still, compact;
static int movers = -1; /* -1: every agent moves (unless --still) */
static int agent_count;
static const char *name_prefix = "ld";
static char scratch[1 << 16];

/* spawn bookkeeping (one spawner) */
static long spawn_n;
static double spawn_start = -1, last_answer_ms = -1, last_seen_ms = -1;
static long answered, spawn_errors, seen_cursor;
static char (*spawned_ids)[ID_MAX];
static long spawned_ok;
static char first_error[256];

static void send_text(Agent *a, int channel, const char *text, size_t len, int reliable) {
    ENetPacket *p = enet_packet_create(text, len, reliable ? ENET_PACKET_FLAG_RELIABLE : 0);
    if (enet_peer_send(a->peer, (enet_uint8) channel, p) != 0) enet_packet_destroy(p);
}

/* sin without libm (Bhaskara's approximation, within 0.2 %): the tests build with -lenet only. */
static double wave(double x) {
    const double pi = 3.14159265358979;
    x -= 2 * pi * (double) (long long) (x / (2 * pi));
    if (x < 0) x += 2 * pi;
    double sign = 1;
    if (x > pi) { x -= pi; sign = -1; }
    return sign * 16 * x * (pi - x) / (5 * pi * pi - 4 * x * (pi - x));
}

static double cos_wave(double x) { return wave(x + 3.14159265358979 / 2); }

/* A number as cJSON prints it: 15 significant digits, 17 when 15 do not read back the same. */
static void number(char *out, size_t n, double v) {
    snprintf(out, n, "%1.15g", v);
    if (strtod(out, NULL) != v) snprintf(out, n, "%1.17g", v);
}

/* A column-major translation matrix as a JSON array, spaced as cJSON_Print does (or compact). */
static void translation(char *out, size_t n, double x, double y, double z) {
    char xs[32], ys[32], zs[32];
    number(xs, sizeof xs, x); number(ys, sizeof ys, y); number(zs, sizeof zs, z);
    snprintf(out, n, compact ? "[1,0,0,0,0,1,0,0,0,0,1,0,%s,%s,%s,1]" : "[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, %s, %s, %s, 1]",
             xs, ys, zs);
}

/*
 * The intent, by default byte for byte in the shape allonet's send_latest_intent gives it
 * (cJSON_Print of allo_client_intent_to_cjson: tabs, newlines, identity skeletons left out).
 */
static void send_intent(Agent *a, double t) {
    int holds = still || (movers >= 0 && a->index < agent_count - movers);
    double ph = holds ? a->index : t * 2 + a->index;
    char root[160], head[160], torso[160], left[160], right[160], yaw[32];
    translation(root, sizeof root, 2 * cos_wave(ph / 4) + (a->index % 10), 0, 2 * wave(ph / 4) + (double) (a->index / 10));
    translation(head, sizeof head, 0.05 * wave(ph), 1.6, 0.05 * cos_wave(ph));
    translation(torso, sizeof torso, 0, 1.2, 0);
    translation(left, sizeof left, -0.3, 1.0 + 0.1 * wave(ph), -0.3);
    translation(right, sizeof right, 0.3, 1.0 + 0.1 * cos_wave(ph), -0.3);
    number(yaw, sizeof yaw, holds ? 0.0 : ph / 5);
    long long ack = a->ack < 0 ? 0 : a->ack;
    int n = compact
        ? snprintf(scratch, sizeof scratch,
                   "{\"cmd\":\"intent\",\"intent\":{\"wants_stick_movement\":false,\"zmovement\":0,\"xmovement\":0,"
                   "\"yaw\":%s,\"pitch\":0,\"poses\":{\"root\":{\"matrix\":%s},\"head\":{\"matrix\":%s},"
                   "\"torso\":{\"matrix\":%s},\"hand/left\":{\"matrix\":%s,\"skeleton\":[],\"grab\":{}},"
                   "\"hand/right\":{\"matrix\":%s,\"skeleton\":[],\"grab\":{}}},\"ack_state_rev\":%lld}}",
                   yaw, root, head, torso, left, right, ack)
        : snprintf(scratch, sizeof scratch,
                   "{\n\t\"cmd\":\t\"intent\",\n\t\"intent\":\t{\n\t\t\"wants_stick_movement\":\tfalse,\n"
                   "\t\t\"zmovement\":\t0,\n\t\t\"xmovement\":\t0,\n\t\t\"yaw\":\t%s,\n\t\t\"pitch\":\t0,\n"
                   "\t\t\"poses\":\t{\n"
                   "\t\t\t\"root\":\t{\n\t\t\t\t\"matrix\":\t%s\n\t\t\t},\n"
                   "\t\t\t\"head\":\t{\n\t\t\t\t\"matrix\":\t%s\n\t\t\t},\n"
                   "\t\t\t\"torso\":\t{\n\t\t\t\t\"matrix\":\t%s\n\t\t\t},\n"
                   "\t\t\t\"hand/left\":\t{\n\t\t\t\t\"matrix\":\t%s,\n\t\t\t\t\"skeleton\":\t[],\n"
                   "\t\t\t\t\"grab\":\t{\n\t\t\t\t}\n\t\t\t},\n"
                   "\t\t\t\"hand/right\":\t{\n\t\t\t\t\"matrix\":\t%s,\n\t\t\t\t\"skeleton\":\t[],\n"
                   "\t\t\t\t\"grab\":\t{\n\t\t\t\t}\n\t\t\t}\n\t\t},\n"
                   "\t\t\"ack_state_rev\":\t%lld\n\t}\n}",
                   yaw, root, head, torso, left, right, ack);
    send_text(a, ch_state, scratch, (size_t) n, 0);
}

static void send_announce(Agent *a) {
    char name[64];
    snprintf(name, sizeof name, "%s-%d", name_prefix, a->index);
    int n = snprintf(scratch, sizeof scratch,
                     "[\"interaction\",\"request\",\"\",\"place\",\"ANN0\",[\"announce\",\"version\",%d,"
                     "\"identity\",{\"display_name\":\"%s\"},\"spawn_avatar\",{\"visor\":{\"display_name\":\"%s\"},"
                     "\"geometry\":{\"type\":\"hardcoded-model\",\"name\":\"head\"},"
                     "\"children\":[{\"intent\":{\"actuate_pose\":\"head\"}},{\"intent\":{\"actuate_pose\":\"hand/left\"}},"
                     "{\"intent\":{\"actuate_pose\":\"hand/right\"}}]}]]",
                     protocol, name, name);
    send_text(a, ch_commands, scratch, (size_t) n, 1);
}

static void send_clock(Agent *a, double t) {
    int n = snprintf(scratch, sizeof scratch, "{\"client_time\":%.3f}", t / 1000);
    send_text(a, ch_clock, scratch, (size_t) n, 0);
}

static Agent *spawner;

static void start_spawn(Agent *a) {
    spawner = a;
    spawned_ids = calloc((size_t) spawn_n, ID_MAX);
    spawn_start = now_ms();
    for (long i = 0; i < spawn_n; i++) {
        int n = snprintf(scratch, sizeof scratch,
                         "[\"interaction\",\"request\",\"%s\",\"place\",\"S%ld\",[\"spawn_entity\",{\"ldmark\":{\"i\":%ld},"
                         "\"geometry\":{\"type\":\"hardcoded-model\",\"name\":\"box\"},"
                         "\"transform\":{\"matrix\":[1,0,0,0,0,1,0,0,0,0,1,0,%ld,%.1f,%ld,1]}}]]",
                         a->avatar, i, i, i % 100, (double) ((i / 100) % 100) / 10, i / 10000);
        send_text(a, ch_commands, scratch, (size_t) n, 1);
    }
    enet_host_flush(a->host);
    fprintf(stderr, "spawn: %ld requests queued in %.1f ms\n", spawn_n, now_ms() - spawn_start);
}

/* An interaction on the commands channel: announce and spawn answers matter, the rest is ignored. */
static void on_command(Agent *a, const char *s, size_t len, double t) {
    const char *e = s + len, *p = ws(s, e);
    char fields[5][ID_MAX];
    if (p >= e || *p != '[') return;
    p++;
    for (int i = 0; i < 5; i++) {
        p = ws(p, e);
        if (p >= e || *p != '"' || !(p = read_string(p, e, fields[i], sizeof fields[i]))) return;
        p = ws(p, e);
        if (p >= e || *p != ',') return;
        p++;
    }
    if (strcmp(fields[1], "response") != 0) return;
    p = ws(p, e);
    if (p >= e || *p != '[') return;
    const char *body = p;
    char name[64] = "", first[ID_MAX] = "";
    p = ws(p + 1, e);
    if (p < e && *p == '"' && (p = read_string(p, e, name, sizeof name))) {
        p = ws(p, e);
        if (p < e && *p == ',') {
            p = ws(p + 1, e);
            if (p < e && *p == '"') read_string(p, e, first, sizeof first);
        }
    }
    if (strcmp(fields[4], "ANN0") == 0 && strcmp(name, "announce") == 0) {
        if (strcmp(first, "error") == 0 || !first[0]) {
            fprintf(stderr, "agent %d: announce refused: %.*s\n", a->index, (int) len, s);
            return;
        }
        snprintf(a->avatar, sizeof a->avatar, "%s", first);
        a->announced_ms = t - a->start;
        a->phase = ANNOUNCED;
    } else if (fields[4][0] == 'S' && strcmp(name, "spawn_entity") == 0) {
        answered++;
        if (strcmp(first, "error") == 0 || !first[0]) {
            if (!spawn_errors++) {
                const char *end = skip_value(body, e);
                snprintf(first_error, sizeof first_error, "%.*s", (int) ((end ? end : e) - body), body);
            }
        } else {
            snprintf(spawned_ids[spawned_ok++], ID_MAX, "%s", first);
        }
        if (answered == spawn_n) last_answer_ms = t - spawn_start;
    }
}

/* Applies the top level of "entities" to the agent's id set. */
static void track_entities(Agent *a, const char *ents, const char *end, int is_set) {
    if (is_set) idset_clear(&a->known);
    const char *p = ws(ents, end);
    if (p >= end || *p != '{') return;
    p = ws(p + 1, end);
    char id[ID_MAX];
    while (p < end && *p == '"') {
        if (!(p = read_string(p, end, id, sizeof id))) return;
        p = ws(p, end);
        if (p >= end || *p != ':') return;
        p = ws(p + 1, end);
        if (*p == 'n') idset_remove(&a->known, id);
        else idset_add(&a->known, id);
        if (!(p = skip_value(p, end))) return;
        p = ws(p, end);
        if (p < end && *p == ',') p = ws(p + 1, end);
    }
}

static void on_state(Agent *a, const char *s, size_t len, double t) {
    int is_set = 0;
    long long rev;
    if (a->tracking) {
        const char *ents, *ents_end;
        walk_state(s, len, &rev, &is_set, &ents, &ents_end);
        if (ents) track_entities(a, ents, ents_end, is_set);
    } else {
        rev = revision_from_ends(s, len, &is_set);
        if (rev < 0) {
            const char *ents, *ents_end;
            walk_state(s, len, &rev, &is_set, &ents, &ents_end);
        }
    }
    if (rev < 0) return;
    if (a->first_state_ms < 0) a->first_state_ms = t - a->start;
    a->ack = rev;
    a->updates++;
    if (a->in_window) {
        if (t - a->last_update_t > a->max_gap) a->max_gap = t - a->last_update_t;
        a->last_update_t = t;
    }
    a->sets += is_set;
    a->state_bytes += len;
    if (a->tracking && a->want > 0 && a->full_ms < 0 && (long) a->known.live >= a->want) {
        a->full_ms = t - a->start;
        a->full_bytes = a->state_bytes;
    }
    if (a->tracking && spawn_n > 0 && answered == spawn_n && last_seen_ms < 0) {
        while (seen_cursor < spawned_ok && idset_contains(&a->known, spawned_ids[seen_cursor])) seen_cursor++;
        if (seen_cursor == spawned_ok) last_seen_ms = t - spawn_start;
    }
}

static int disconnects;

static void on_event(ENetEvent *ev) {
    Agent *a = ev->peer->data;
    double t = now_ms();
    switch (ev->type) {
    case ENET_EVENT_TYPE_CONNECT:
        a->phase = CONNECTED;
        enet_peer_timeout(a->peer, 0, 10000, 20000);
        send_announce(a);
        break;
    case ENET_EVENT_TYPE_RECEIVE:
        if (ev->channelID == ch_state) on_state(a, (const char *) ev->packet->data, ev->packet->dataLength, t);
        else if (ev->channelID == ch_commands) on_command(a, (const char *) ev->packet->data, ev->packet->dataLength, t);
        enet_packet_destroy(ev->packet);
        break;
    case ENET_EVENT_TYPE_DISCONNECT:
        if (a->phase != GONE) {
            disconnects++;
            fprintf(stderr, "agent %d: disconnected by the place (data %u)\n", a->index, ev->data);
        }
        a->phase = GONE;
        break;
    default:
        break;
    }
}

/* ---------------------------------------------------------------- the loop */

static Agent *agents;
static int per_host = 1, host_count;
static ENetHost **hosts;
static struct pollfd *fds;
static ENetAddress target;
static double next_tick, epoch;

static void service(ENetHost *h) {
    ENetEvent ev;
    while (enet_host_service(h, &ev, 0) > 0) on_event(&ev);
}

static void connect_agent(Agent *a) {
    a->start = now_ms();
    a->peer = enet_host_connect(a->host, &target, (size_t) channel_count, 0);
    if (!a->peer) {
        fprintf(stderr, "agent %d: enet_host_connect failed\n", a->index);
        a->phase = GONE;
        return;
    }
    a->peer->data = a;
    a->phase = CONNECTING;
    enet_host_flush(a->host);
}

/* One round: intents when due, then whatever the sockets have, then a wait of at most 5 ms. */
static void run_once(void) {
    double t = now_ms();
    if (t >= next_tick) {
        for (int i = 0; i < agent_count; i++) {
            Agent *a = &agents[i];
            if (!a->peer || (a->phase != CONNECTED && a->phase != ANNOUNCED)) continue;
            send_intent(a, (t - epoch) / 1000);
            if (t >= a->next_clock) {
                send_clock(a, t);
                a->next_clock = t + 1000;
            }
        }
        for (int h = 0; h < host_count; h++) service(hosts[h]);
        next_tick += 1000 / hz;
        if (next_tick < t) next_tick = t + 1000 / hz;
    }
    double wait = next_tick - now_ms();
    int timeout = wait > 5 ? 5 : wait < 0 ? 0 : (int) wait;
    if (poll(fds, (nfds_t) host_count, timeout) > 0) {
        for (int h = 0; h < host_count; h++) {
            if (fds[h].revents) service(hosts[h]);
        }
    }
}

static void run_for(double ms) {
    double until = now_ms() + ms;
    while (now_ms() < until) run_once();
}

typedef int (*Condition)(void);

static int run_until(Condition done, double timeout_ms) {
    double until = now_ms() + timeout_ms;
    while (!done()) {
        if (now_ms() >= until) return 0;
        run_once();
    }
    return 1;
}

static int first_agent, last_agent; /* the agents a condition looks at: [first, last) */

static int all_announced(void) {
    for (int i = first_agent; i < last_agent; i++) {
        if (agents[i].phase != ANNOUNCED && agents[i].phase != GONE) return 0;
    }
    return 1;
}

static int all_have_state(void) {
    for (int i = first_agent; i < last_agent; i++) {
        if (agents[i].phase == ANNOUNCED && agents[i].first_state_ms < 0) return 0;
    }
    return 1;
}

static int spawn_done(void) {
    return last_seen_ms >= 0 || (answered == spawn_n && spawned_ok == 0) || spawner->phase == GONE;
}

static int probes_full(void) {
    for (int i = first_agent; i < last_agent; i++) {
        if (agents[i].phase != GONE && agents[i].full_ms < 0) return 0;
    }
    return 1;
}

/* Connects agents [from, to), pausing ramp_ms between them, serving the others meanwhile. */
static void connect_range(int from, int to, double ramp_ms) {
    for (int i = from; i < to; i++) {
        connect_agent(&agents[i]);
        if (ramp_ms > 0) run_for(ramp_ms);
    }
}

static void disconnect_all(void) {
    for (int i = 0; i < agent_count; i++) {
        if (agents[i].peer && agents[i].phase != GONE) {
            agents[i].phase = GONE;
            enet_peer_disconnect(agents[i].peer, 0);
        }
    }
    double until = now_ms() + 1000;
    while (now_ms() < until) {
        int pending = 0;
        for (int h = 0; h < host_count; h++) {
            ENetEvent ev;
            while (enet_host_service(hosts[h], &ev, 0) > 0) {
                if (ev.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(ev.packet);
            }
            for (size_t p = 0; p < hosts[h]->peerCount; p++) {
                if (hosts[h]->peers[p].state != ENET_PEER_STATE_DISCONNECTED) pending = 1;
            }
        }
        if (!pending) break;
        poll(fds, (nfds_t) host_count, 5);
    }
}

static void usage(const char *me) {
    fprintf(stderr, "usage: %s <host> <port> [--agents N] [--seconds S] [--warmup W | --measure-after A] [--protocol 3|4] [--hz H]\n"
                    "       [--per-host M] [--ramp-ms R] [--timeout T] [--still] [--movers K] [--compact] [--name PREFIX]\n"
                    "       [--spawn N [--hold S]] [--late-join N [--probes K] [--populate]]\n", me);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 3) usage(argv[0]);
    int agents_wanted = 10, probes = 1, populate = 0;
    double seconds = 10, warmup = 1, ramp_ms = 2, timeout_s = 60, hold = 0, measure_after = 0;
    long late_join = 0;
    for (int i = 3; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(o, "--still") == 0) { still = 1; continue; }
        if (strcmp(o, "--compact") == 0) { compact = 1; continue; }
        if (strcmp(o, "--populate") == 0) { populate = 1; continue; }
        if (!v) usage(argv[0]);
        i++;
        if (strcmp(o, "--agents") == 0) agents_wanted = atoi(v);
        else if (strcmp(o, "--seconds") == 0) seconds = atof(v);
        else if (strcmp(o, "--warmup") == 0) warmup = atof(v);
        else if (strcmp(o, "--measure-after") == 0) measure_after = atof(v);
        else if (strcmp(o, "--protocol") == 0) protocol = atoi(v);
        else if (strcmp(o, "--hz") == 0) hz = atof(v);
        else if (strcmp(o, "--per-host") == 0) per_host = atoi(v);
        else if (strcmp(o, "--ramp-ms") == 0) ramp_ms = atof(v);
        else if (strcmp(o, "--movers") == 0) movers = atoi(v);
        else if (strcmp(o, "--timeout") == 0) timeout_s = atof(v);
        else if (strcmp(o, "--name") == 0) name_prefix = v;
        else if (strcmp(o, "--spawn") == 0) spawn_n = atol(v);
        else if (strcmp(o, "--hold") == 0) hold = atof(v);
        else if (strcmp(o, "--late-join") == 0) late_join = atol(v);
        else if (strcmp(o, "--probes") == 0) probes = atoi(v);
        else usage(argv[0]);
    }
    if (protocol == 4) { channel_count = 6; ch_commands = 1; ch_state = 2; ch_clock = 5; }
    else if (protocol == 3) { channel_count = 5; ch_commands = 1; ch_state = 0; ch_clock = 4; }
    else usage(argv[0]);
    if (agents_wanted < 1 || per_host < 1 || probes < 1 || hz <= 0 || (spawn_n > 0 && late_join > 0)) usage(argv[0]);
    const char *mode = spawn_n > 0 ? "spawn" : late_join > 0 ? "late_join" : "move";
    if (late_join > 0 && populate) spawn_n = late_join;
    if (spawn_n > 0 && strcmp(mode, "spawn") == 0) agent_count = 1;
    else if (late_join > 0) agent_count = probes + (populate ? 1 : 0);
    else agent_count = agents_wanted;

    if (enet_initialize() != 0) { fprintf(stderr, "enet_initialize failed\n"); return 1; }
    enet_address_set_host(&target, argv[1]);
    target.port = (enet_uint16) atoi(argv[2]);
    host_count = (agent_count + per_host - 1) / per_host;
    hosts = calloc((size_t) host_count, sizeof *hosts);
    fds = calloc((size_t) host_count, sizeof *fds);
    agents = calloc((size_t) agent_count, sizeof *agents);
    for (int h = 0; h < host_count; h++) {
        hosts[h] = enet_host_create(NULL, (size_t) per_host, (size_t) channel_count, 0, 0);
        if (!hosts[h]) { fprintf(stderr, "enet_host_create failed\n"); return 1; }
        fds[h].fd = hosts[h]->socket;
        fds[h].events = POLLIN;
    }
    for (int i = 0; i < agent_count; i++) {
        Agent *a = &agents[i];
        a->index = i;
        a->host = hosts[i / per_host];
        a->announced_ms = a->first_state_ms = a->full_ms = -1;
        a->next_clock = now_ms() + (i * 37) % 1000;
        a->phase = GONE;
    }
    double cpu0 = cpu_seconds(), wall0 = now_ms();
    next_tick = epoch = now_ms();

    if (strcmp(mode, "move") == 0) {
        connect_range(0, agent_count, ramp_ms);
        first_agent = 0; last_agent = agent_count;
        if (measure_after > 0) {
            /* a fixed start, so that several driver processes started together measure one window */
            double start = epoch + measure_after * 1000;
            run_until(all_announced, start - now_ms());
            run_for(start - now_ms());
        } else {
            run_until(all_announced, timeout_s * 1000);
            run_until(all_have_state, 5000);
            run_for(warmup * 1000);
        }
        for (int i = 0; i < agent_count; i++) {
            agents[i].window_updates = agents[i].updates;
            agents[i].window_bytes = agents[i].state_bytes;
            agents[i].in_window = 1;
            agents[i].last_update_t = now_ms();
            agents[i].max_gap = 0;
        }
        fprintf(stderr, "measuring\n");
        fflush(stderr);
        double w0 = now_ms();
        run_for(seconds * 1000);
        double w1 = now_ms(), window_s = (w1 - w0) / 1000;
        for (int i = 0; i < agent_count; i++) {
            agents[i].in_window = 0;
            if (w1 - agents[i].last_update_t > agents[i].max_gap) agents[i].max_gap = w1 - agents[i].last_update_t;
        }
        double *ups = calloc((size_t) agent_count, sizeof *ups), *bps = calloc((size_t) agent_count, sizeof *bps);
        double *ann = calloc((size_t) agent_count, sizeof *ann), *fst = calloc((size_t) agent_count, sizeof *fst);
        double *gaps = calloc((size_t) agent_count, sizeof *gaps);
        int announced = 0, starved = 0, with_state = 0;
        long sets = 0, updates = 0;
        unsigned long long rx = 0;
        for (int i = 0; i < agent_count; i++) {
            Agent *a = &agents[i];
            sets += a->sets;
            updates += a->updates;
            rx += a->state_bytes;
            if (a->announced_ms < 0) continue;
            ann[announced] = a->announced_ms;
            ups[announced] = (a->updates - a->window_updates) / window_s;
            bps[announced] = (double) (a->state_bytes - a->window_bytes) / window_s;
            if (a->updates == a->window_updates) starved++;
            gaps[announced] = a->max_gap;
            announced++;
            if (a->first_state_ms >= 0) fst[with_state++] = a->first_state_ms;
        }
        double cpu = cpu_seconds() - cpu0, wall = (now_ms() - wall0) / 1000;
        printf("{\"mode\":\"move\",\"protocol\":%d,\"agents\":%d,\"hz\":%.1f,\"seconds\":%.2f,\"announced\":%d,"
               "\"starved\":%d,\"disconnected\":%d,\"updates\":%ld,\"sets\":%ld,\"state_bytes\":%llu,",
               protocol, agent_count, hz, window_s, announced, starved, disconnects, updates, sets, rx);
        printf("\"per_agent_updates_per_s\":[");
        for (int i = 0; i < announced; i++) printf(i ? ",%.2f" : "%.2f", ups[i]);
        printf("],");
        print_spread("updates_per_s", ups, announced); printf(",");
        print_spread("bytes_per_s", bps, announced); printf(",");
        print_spread("announce_ms", ann, announced); printf(",");
        print_spread("first_state_ms", fst, with_state); printf(",");
        print_spread("max_gap_ms", gaps, announced);
        printf(",\"driver_cpu_pct\":%.1f}\n", 100 * cpu / wall);
    } else if (strcmp(mode, "spawn") == 0) {
        Agent *a = &agents[0];
        a->tracking = 1;
        idset_init(&a->known, 1024);
        connect_range(0, 1, 0);
        first_agent = 0; last_agent = 1;
        int ok = run_until(all_announced, timeout_s * 1000) && a->phase == ANNOUNCED && run_until(all_have_state, 5000);
        if (ok) {
            start_spawn(a);
            run_until(spawn_done, timeout_s * 1000);
        }
        double cpu = cpu_seconds() - cpu0, wall = (now_ms() - wall0) / 1000;
        printf("{\"mode\":\"spawn\",\"protocol\":%d,\"spawn\":%ld,\"announce_ms\":%.1f,\"answered\":%ld,\"errors\":%ld,"
               "\"last_answer_ms\":%.1f,\"seen\":%ld,\"last_seen_ms\":%.1f,\"entities\":%zu,\"disconnected\":%d,"
               "\"driver_cpu_pct\":%.1f,\"first_error\":\"",
               protocol, spawn_n, a->announced_ms, answered, spawn_errors, last_answer_ms, seen_cursor, last_seen_ms,
               a->known.live, disconnects, 100 * cpu / wall);
        for (const char *c = first_error; *c; c++) printf(*c == '"' || *c == '\\' ? "\\%c" : "%c", *c);
        printf("\"}\n");
        fflush(stdout);
        if (hold > 0) run_for(hold * 1000);
    } else {
        int first_probe = populate ? 1 : 0;
        long want = late_join;
        double populate_ms = -1;
        if (populate) {
            Agent *p = &agents[0];
            p->tracking = 1;
            idset_init(&p->known, 1024);
            connect_range(0, 1, 0);
            first_agent = 0; last_agent = 1;
            if (run_until(all_announced, timeout_s * 1000) && p->phase == ANNOUNCED && run_until(all_have_state, 5000)) {
                start_spawn(p);
                run_until(spawn_done, timeout_s * 1000);
                populate_ms = last_seen_ms;
            }
            if ((long) p->known.live > want) want = (long) p->known.live;
        }
        for (int i = first_probe; i < agent_count; i++) {
            agents[i].tracking = 1;
            agents[i].want = want;
            idset_init(&agents[i].known, 1024);
        }
        connect_range(first_probe, agent_count, 0);
        first_agent = first_probe; last_agent = agent_count;
        run_until(probes_full, timeout_s * 1000);
        int n = agent_count - first_probe, full = 0, announced = 0;
        double *fm = calloc((size_t) n, sizeof *fm), *ann = calloc((size_t) n, sizeof *ann);
        double *fst = calloc((size_t) n, sizeof *fst), *fb = calloc((size_t) n, sizeof *fb);
        int with_state = 0;
        for (int i = first_probe; i < agent_count; i++) {
            Agent *a = &agents[i];
            if (a->announced_ms >= 0) ann[announced++] = a->announced_ms;
            if (a->first_state_ms >= 0) fst[with_state++] = a->first_state_ms;
            if (a->full_ms >= 0) { fm[full] = a->full_ms; fb[full] = (double) a->full_bytes; full++; }
        }
        double cpu = cpu_seconds() - cpu0, wall = (now_ms() - wall0) / 1000;
        printf("{\"mode\":\"late_join\",\"protocol\":%d,\"wanted\":%ld,\"probes\":%d,\"announced\":%d,\"full\":%d,"
               "\"disconnected\":%d,",
               protocol, want, n, announced, full, disconnects);
        print_spread("full_ms", fm, full); printf(",");
        print_spread("full_bytes", fb, full); printf(",");
        print_spread("announce_ms", ann, announced); printf(",");
        print_spread("first_state_ms", fst, with_state);
        if (populate) {
            printf(",\"populate\":{\"spawn\":%ld,\"answered\":%ld,\"errors\":%ld,\"last_answer_ms\":%.1f,\"last_seen_ms\":%.1f}",
                   spawn_n, answered, spawn_errors, last_answer_ms, populate_ms);
        }
        printf(",\"driver_cpu_pct\":%.1f}\n", 100 * cpu / wall);
    }
    fflush(stdout);
    disconnect_all();
    for (int h = 0; h < host_count; h++) enet_host_destroy(hosts[h]);
    enet_deinitialize();
    return 0;
}
