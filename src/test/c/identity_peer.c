/*
 * A C agent that proves an Ed25519 identity to the place with libsodium (Debian libsodium-dev)
 * and libenet, nothing else: it shows the proof format of docs/protocol-extensions.md
 * ("Verified identities") is plain Ed25519 any client can implement, not something only Java
 * can produce.
 *
 *   identity_peer <host> <port> ok|tamper
 *
 * It connects (protocol 4), makes a key pair, asks for an identity challenge, checks the place's
 * signature over its nonce with crypto_sign_verify_detached, signs the agent proof with
 * crypto_sign_detached and announces with it. "tamper" flips one bit of the signature first and
 * expects the refusal. Each step prints one line; any failure prints "FAIL ..." and exits 1. An
 * accepted peer stays until the place disconnects it.
 */
#include <enet/enet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define B64_VARIANT sodium_base64_VARIANT_URLSAFE_NO_PADDING

static ENetHost *host;
static ENetPeer *peer;
static const int CH_COMMANDS = 1;
static unsigned int disconnect_data;
static int disconnected;

static void fail(const char *what) {
    printf("FAIL %s\n", what);
    fflush(stdout);
    exit(1);
}

static void send_text(const char *text) {
    ENetPacket *p = enet_packet_create(text, strlen(text), ENET_PACKET_FLAG_RELIABLE);
    if (enet_peer_send(peer, (enet_uint8) CH_COMMANDS, p) != 0) fail("enet_peer_send");
    enet_host_flush(host);
}

/* Waits for a commands-channel message containing `needle`; returns it NUL-terminated (caller frees). */
static char *await_command(const char *needle, int timeout_ms) {
    ENetEvent ev;
    enet_uint32 start = enet_time_get();
    while (enet_time_get() - start < (enet_uint32) timeout_ms) {
        int r = enet_host_service(host, &ev, 50);
        if (r < 0) fail("enet_host_service");
        if (r == 0) continue;
        if (ev.type == ENET_EVENT_TYPE_DISCONNECT) {
            disconnected = 1;
            disconnect_data = ev.data;
            return NULL;
        }
        if (ev.type != ENET_EVENT_TYPE_RECEIVE) continue;
        char *s = malloc(ev.packet->dataLength + 1);
        memcpy(s, ev.packet->data, ev.packet->dataLength);
        s[ev.packet->dataLength] = 0;
        int channel = ev.channelID;
        enet_packet_destroy(ev.packet);
        if (channel == CH_COMMANDS && strstr(s, needle)) return s;
        free(s);
    }
    return NULL;
}

/* Copies the JSON string that starts right after `at` (which points at its opening quote's successor). */
static const char *read_string(const char *at, char *out, size_t n) {
    size_t i = 0;
    while (at[i] && at[i] != '"' && i + 1 < n) { out[i] = at[i]; i++; }
    if (at[i] != '"') fail("unterminated string in the place's answer");
    out[i] = 0;
    return at + i + 1;
}

static void decode(const char *text, unsigned char *out, size_t expected, const char *what) {
    size_t len = 0;
    if (sodium_base642bin(out, expected, text, strlen(text), NULL, &len, NULL, B64_VARIANT) != 0 || len != expected) {
        fail(what);
    }
}

/* label | 0x00 | len|client nonce | len|server nonce | len|connection id | len|place key [| len|agent key] */
static size_t proof(unsigned char *out, const char *label, const unsigned char *client_nonce, size_t client_nonce_len,
                    const unsigned char *server_nonce, const char *connection, const unsigned char *place_key,
                    const unsigned char *agent_key) {
    size_t n = 0;
    memcpy(out + n, label, strlen(label)); n += strlen(label);
    out[n++] = 0;
    out[n++] = (unsigned char) client_nonce_len; memcpy(out + n, client_nonce, client_nonce_len); n += client_nonce_len;
    out[n++] = 32; memcpy(out + n, server_nonce, 32); n += 32;
    out[n++] = (unsigned char) strlen(connection); memcpy(out + n, connection, strlen(connection)); n += strlen(connection);
    out[n++] = crypto_sign_PUBLICKEYBYTES; memcpy(out + n, place_key, crypto_sign_PUBLICKEYBYTES); n += crypto_sign_PUBLICKEYBYTES;
    if (agent_key) {
        out[n++] = crypto_sign_PUBLICKEYBYTES; memcpy(out + n, agent_key, crypto_sign_PUBLICKEYBYTES); n += crypto_sign_PUBLICKEYBYTES;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[3], "ok") != 0 && strcmp(argv[3], "tamper") != 0)) {
        fprintf(stderr, "usage: %s host port ok|tamper\n", argv[0]);
        return 2;
    }
    int tamper = strcmp(argv[3], "tamper") == 0;
    setvbuf(stdout, NULL, _IOLBF, 0); /* one line per step, as it happens */
    if (sodium_init() < 0) fail("sodium_init");
    if (enet_initialize() != 0) fail("enet_initialize");
    host = enet_host_create(NULL, 1, 6, 0, 0);
    if (!host) fail("enet_host_create");
    ENetAddress address;
    enet_address_set_host(&address, argv[1]);
    address.port = (enet_uint16) atoi(argv[2]);
    peer = enet_host_connect(host, &address, 6, 0);
    if (!peer) fail("enet_host_connect");
    ENetEvent ev;
    if (enet_host_service(host, &ev, 5000) <= 0 || ev.type != ENET_EVENT_TYPE_CONNECT) fail("connect");
    printf("connected\n");

    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    char pk_text[64];
    sodium_bin2base64(pk_text, sizeof pk_text, pk, sizeof pk, B64_VARIANT);
    printf("key %s\n", pk_text);

    unsigned char client_nonce[32];
    randombytes_buf(client_nonce, sizeof client_nonce);
    char nonce_text[64];
    sodium_bin2base64(nonce_text, sizeof nonce_text, client_nonce, sizeof client_nonce, B64_VARIANT);
    char request[256];
    snprintf(request, sizeof request,
             "[\"interaction\",\"request\",\"\",\"place\",\"IDC1\",[\"identity_challenge\",\"%s\"]]", nonce_text);
    send_text(request);
    char *answer = await_command("\"IDC1\"", 5000);
    if (!answer) fail("no answer to identity_challenge");
    const char *at = strstr(answer, "[\"identity_challenge\",\"");
    if (!at) fail(answer);
    char server_nonce_text[64], place_key_text[64], place_signature_text[128], connection[80];
    at = read_string(at + strlen("[\"identity_challenge\",\""), server_nonce_text, sizeof server_nonce_text);
    at = read_string(at + 2, place_key_text, sizeof place_key_text);
    at = read_string(at + 2, place_signature_text, sizeof place_signature_text);
    read_string(at + 2, connection, sizeof connection);
    free(answer);

    unsigned char server_nonce[32], place_key[crypto_sign_PUBLICKEYBYTES], place_signature[crypto_sign_BYTES];
    decode(server_nonce_text, server_nonce, sizeof server_nonce, "server nonce is not base64url of 32 bytes");
    decode(place_key_text, place_key, sizeof place_key, "place key is not base64url of 32 bytes");
    decode(place_signature_text, place_signature, sizeof place_signature, "place signature is not base64url of 64 bytes");
    unsigned char message[256];
    size_t length = proof(message, "alloplace-identity-v1/place", client_nonce, sizeof client_nonce, server_nonce, connection,
                          place_key, NULL);
    if (crypto_sign_verify_detached(place_signature, message, length, place_key) != 0) {
        fail("the place's signature does not verify");
    }
    printf("place key=%s verified=1 connection=%s\n", place_key_text, connection);

    length = proof(message, "alloplace-identity-v1/agent", client_nonce, sizeof client_nonce, server_nonce, connection,
                   place_key, pk);
    unsigned char signature[crypto_sign_BYTES];
    crypto_sign_detached(signature, NULL, message, length, sk);
    if (tamper) signature[7] ^= 0x01;
    char signature_text[128];
    sodium_bin2base64(signature_text, sizeof signature_text, signature, sizeof signature, B64_VARIANT);

    char announce[1024];
    snprintf(announce, sizeof announce,
             "[\"interaction\",\"request\",\"\",\"place\",\"ANN0\",[\"announce\",\"version\",4,"
             "\"identity\",{\"display_name\":\"c-signer\",\"public_key\":\"%s\",\"signature\":\"%s\"},"
             "\"spawn_avatar\",{\"visor\":{\"display_name\":\"c-signer\"}}]]",
             pk_text, signature_text);
    send_text(announce);
    char *response = await_command("\"ANN0\"", 5000);
    if (!response) fail("no announce response");
    if (strstr(response, "[\"announce\",\"error\",")) {
        int code = atoi(strstr(response, "[\"announce\",\"error\",") + strlen("[\"announce\",\"error\","));
        printf("refused code=%d\n", code);
        free(response);
        char *rest = await_command("\"never\"", 5000);
        free(rest);
        if (!disconnected) fail("not disconnected after the refusal");
        printf("disconnected data=%u\n", disconnect_data);
        enet_host_destroy(host);
        enet_deinitialize();
        return 0;
    }
    at = strstr(response, "[\"announce\",\"");
    if (!at) fail(response);
    char avatar[64];
    read_string(at + strlen("[\"announce\",\""), avatar, sizeof avatar);
    printf("announced avatar=%s\n", avatar);
    free(response);

    snprintf(request, sizeof request, "[\"interaction\",\"request\",\"%s\",\"place\",\"LA1\",[\"list_agents\"]]", avatar);
    send_text(request);
    char *listed = await_command("\"LA1\"", 5000);
    if (!listed) fail("no list_agents answer");
    char mine[160];
    snprintf(mine, sizeof mine, "\"public_key\":\"%s\",\"verified\":true", pk_text);
    printf("listed verified=%d\n", strstr(listed, mine) != NULL);
    free(listed);

    /* Stays until the place lets it go (the test kicks it once it has looked at the place). */
    char *rest = await_command("\"never\"", 10000);
    free(rest);
    if (!disconnected) fail("the place did not disconnect us");
    printf("disconnected data=%u\n", disconnect_data);
    enet_host_destroy(host);
    enet_deinitialize();
    return 0;
}
