/*
 * A minimal Alloverse agent written straight against C ENet (Debian libenet-dev), with no
 * allonet and no JSON library: it proves our place speaks the wire format real clients expect.
 *
 *   alloclient <host> <port> <protocol 3|4>
 *
 * It connects with the channel count of the protocol's layout, announces, waits for the
 * announce response and a state document that holds its avatar, acknowledges it in an intent,
 * spawns an entity, waits for the spawn response and for a state that holds the new entity,
 * then disconnects. Each step prints one line; any failure prints "FAIL ..." and exits 1.
 */
#include <enet/enet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int channel_count, ch_commands, ch_state;
static ENetHost *host;
static ENetPeer *peer;

static void fail(const char *what) {
    printf("FAIL %s\n", what);
    fflush(stdout);
    exit(1);
}

static void send_text(int channel, const char *text, int reliable) {
    ENetPacket *p = enet_packet_create(text, strlen(text), reliable ? ENET_PACKET_FLAG_RELIABLE : 0);
    if (enet_peer_send(peer, (enet_uint8) channel, p) != 0) fail("enet_peer_send");
    enet_host_flush(host);
}

/* Copies the packet into a NUL-terminated string (allonet sends no terminator). */
static char *text_of(ENetPacket *p) {
    char *s = malloc(p->dataLength + 1);
    memcpy(s, p->data, p->dataLength);
    s[p->dataLength] = 0;
    return s;
}

/* Extracts the string value that follows `after` in `s` (e.g. after "[\"announce\",\""). */
static int string_after(const char *s, const char *after, char *out, size_t n) {
    const char *at = strstr(s, after);
    if (!at) return 0;
    at += strlen(after);
    size_t i = 0;
    while (at[i] && at[i] != '"' && i + 1 < n) { out[i] = at[i]; i++; }
    out[i] = 0;
    return at[i] == '"';
}

static long long revision_of(const char *s) {
    const char *at = strstr(s, "\"revision\":");
    if (!at) return -1;
    return atoll(at + strlen("\"revision\":"));
}

/* Waits for a message on `channel` containing every needle; returns it (caller frees). */
static char *await_message(int channel, const char *needle1, const char *needle2, int timeout_ms) {
    ENetEvent ev;
    enet_uint32 start = enet_time_get();
    while (enet_time_get() - start < (enet_uint32) timeout_ms) {
        int r = enet_host_service(host, &ev, 50);
        if (r < 0) fail("enet_host_service");
        if (r == 0) continue;
        if (ev.type == ENET_EVENT_TYPE_DISCONNECT) fail("disconnected by the place");
        if (ev.type != ENET_EVENT_TYPE_RECEIVE) continue;
        char *s = text_of(ev.packet);
        int ch = ev.channelID;
        enet_packet_destroy(ev.packet);
        if (ch == channel && strstr(s, needle1) && (!needle2 || strstr(s, needle2))) return s;
        free(s);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s host port protocol(3|4)\n", argv[0]);
        return 2;
    }
    int protocol = atoi(argv[3]);
    if (protocol == 4) { channel_count = 6; ch_commands = 1; ch_state = 2; }
    else if (protocol == 3) { channel_count = 5; ch_commands = 1; ch_state = 0; }
    else fail("protocol must be 3 or 4");

    if (enet_initialize() != 0) fail("enet_initialize");
    host = enet_host_create(NULL, 1, channel_count, 0, 0);
    if (!host) fail("enet_host_create");
    ENetAddress address;
    enet_address_set_host(&address, argv[1]);
    address.port = (enet_uint16) atoi(argv[2]);
    peer = enet_host_connect(host, &address, channel_count, 0);
    if (!peer) fail("enet_host_connect");
    ENetEvent ev;
    if (enet_host_service(host, &ev, 5000) <= 0 || ev.type != ENET_EVENT_TYPE_CONNECT) fail("connect");
    enet_peer_timeout(peer, 0, 10000, 20000);
    printf("connected channels=%d\n", channel_count);

    char announce[1024];
    snprintf(announce, sizeof announce,
             "[\"interaction\",\"request\",\"\",\"place\",\"ANN0\",[\"announce\",\"version\",%d,"
             "\"identity\",{\"display_name\":\"c-agent\"},\"spawn_avatar\",{\"visor\":{\"display_name\":\"c-agent\"},"
             "\"children\":[{\"intent\":{\"actuate_pose\":\"head\"}}]}]]",
             protocol);
    send_text(ch_commands, announce, 1);

    char *resp = await_message(ch_commands, "\"ANN0\"", "\"announce\"", 5000);
    if (!resp) fail("no announce response");
    char avatar[64], place_name[256];
    if (!string_after(resp, "[\"announce\",\"", avatar, sizeof avatar) || strcmp(avatar, "error") == 0) fail(resp);
    const char *name_at = strstr(resp, avatar) + strlen(avatar) + 3; /* skip `","` */
    size_t i = 0;
    while (name_at[i] && name_at[i] != '"' && i + 1 < sizeof place_name) { place_name[i] = name_at[i]; i++; }
    place_name[i] = 0;
    printf("announced avatar=%s place=%s\n", avatar, place_name);
    free(resp);

    char quoted_avatar[80];
    snprintf(quoted_avatar, sizeof quoted_avatar, "\"%s\"", avatar);
    char *state = await_message(ch_state, quoted_avatar, "\"revision\"", 5000);
    if (!state) fail("no state holding the avatar");
    long long rev = revision_of(state);
    printf("state revision=%lld set=%d\n", rev, strstr(state, "\"patch_style\":\"set\"") != NULL);
    free(state);

    char intent[512];
    snprintf(intent, sizeof intent,
             "{\"cmd\":\"intent\",\"intent\":{\"wants_stick_movement\":false,\"zmovement\":0,\"xmovement\":0,"
             "\"yaw\":0,\"pitch\":0,\"poses\":{},\"ack_state_rev\":%lld}}", rev);
    send_text(ch_state, intent, 0);

    char spawn[512];
    snprintf(spawn, sizeof spawn,
             "[\"interaction\",\"request\",\"%s\",\"place\",\"SPAWN1\",[\"spawn_entity\",{\"c_marker\":{\"n\":7}}]]",
             avatar);
    send_text(ch_commands, spawn, 1);
    resp = await_message(ch_commands, "\"SPAWN1\"", "\"spawn_entity\"", 5000);
    if (!resp) fail("no spawn response");
    char spawned[64];
    if (!string_after(resp, "[\"spawn_entity\",\"", spawned, sizeof spawned)) fail(resp);
    printf("spawned entity=%s\n", spawned);
    free(resp);

    char quoted_spawned[80];
    snprintf(quoted_spawned, sizeof quoted_spawned, "\"%s\"", spawned);
    state = await_message(ch_state, quoted_spawned, "c_marker", 5000);
    if (!state) fail("no state holding the spawned entity");
    printf("state has spawned entity revision=%lld\n", revision_of(state));
    free(state);

    enet_peer_disconnect(peer, 0);
    int done = 0;
    enet_uint32 start = enet_time_get();
    while (!done && enet_time_get() - start < 3000) {
        if (enet_host_service(host, &ev, 50) > 0) {
            if (ev.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(ev.packet);
            else if (ev.type == ENET_EVENT_TYPE_DISCONNECT) done = 1;
        }
    }
    if (!done) fail("disconnect not acknowledged");
    printf("disconnected\n");
    enet_host_destroy(host);
    enet_deinitialize();
    return 0;
}
