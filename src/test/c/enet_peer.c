/*
 * A C ENet (libenet) peer for interoperability tests of the Java ENet implementation.
 *
 *   enet_peer server <port> <channels>        listen on 127.0.0.1:<port>, echo everything
 *   enet_peer client <port> <channels> [n]    connect n peers (default 1) to 127.0.0.1:<port>, echo
 *   ENET_PEER_CRC=1 in the environment turns on ENet's CRC32 datagram checksums
 *
 * Every received message is sent back on the same channel with the same reliability. Messages
 * that are exactly one of these words are commands instead:
 *   "disconnect"  -> enet_peer_disconnect(peer, 42)
 *   "silent"      -> stop servicing the host (simulates a dead peer) for 60 s
 *   "quit"        -> disconnect every peer and exit when they are gone
 * Prints one line per event: "listening", "connected <channels> <data>", "disconnected <data>",
 * "all-connected <n>", and exits 0 after the last peer disconnects (client) or on "quit".
 */
#include <enet/enet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int is_word(ENetPacket *packet, const char *word) {
    size_t n = strlen(word);
    return packet->dataLength == n && memcmp(packet->data, word, n) == 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: enet_peer server|client <port> <channels> [peers]\n");
        return 2;
    }
    int server = strcmp(argv[1], "server") == 0;
    int port = atoi(argv[2]);
    int channels = atoi(argv[3]);
    int peers = argc > 4 ? atoi(argv[4]) : 1;
    if (enet_initialize() != 0) {
        fprintf(stderr, "enet_initialize failed\n");
        return 1;
    }
    ENetAddress address;
    enet_address_set_host(&address, "127.0.0.1");
    address.port = (enet_uint16) port;
    ENetHost *host = server ? enet_host_create(&address, 64, channels, 0, 0)
                            : enet_host_create(NULL, peers, channels, 0, 0);
    if (host == NULL) {
        fprintf(stderr, "enet_host_create failed\n");
        return 1;
    }
    if (getenv("ENET_PEER_CRC") != NULL) {
        host->checksum = enet_crc32;
    }
    if (server) {
        printf("listening\n");
    } else {
        for (int i = 0; i < peers; i++) {
            ENetPeer *peer = enet_host_connect(host, &address, channels, 0);
            if (peer == NULL) {
                fprintf(stderr, "enet_host_connect failed\n");
                return 1;
            }
            enet_peer_timeout(peer, 0, 10000, 20000);
        }
    }
    fflush(stdout);
    int connected = 0;
    int ever = 0;
    int quitting = 0;
    ENetEvent event;
    for (;;) {
        int rc = enet_host_service(host, &event, 50);
        if (rc < 0) {
            fprintf(stderr, "enet_host_service failed\n");
            return 1;
        }
        if (rc == 0) {
            continue;
        }
        switch (event.type) {
        case ENET_EVENT_TYPE_CONNECT:
            connected++;
            ever++;
            enet_peer_timeout(event.peer, 0, 10000, 20000);
            printf("connected %u %u\n", (unsigned) event.peer->channelCount, (unsigned) event.data);
            if (!server && ever == peers && peers > 1) {
                printf("all-connected %d\n", ever);
            }
            fflush(stdout);
            break;
        case ENET_EVENT_TYPE_RECEIVE: {
            ENetPacket *packet = event.packet;
            if (is_word(packet, "disconnect")) {
                enet_peer_disconnect(event.peer, 42);
            } else if (is_word(packet, "silent")) {
                printf("silent\n");
                fflush(stdout);
                sleep(60);
            } else if (is_word(packet, "quit")) {
                quitting = 1;
                for (size_t i = 0; i < host->peerCount; i++) {
                    if (host->peers[i].state == ENET_PEER_STATE_CONNECTED) {
                        enet_peer_disconnect(&host->peers[i], 7);
                    }
                }
            } else {
                enet_uint32 flags = packet->flags & (ENET_PACKET_FLAG_RELIABLE | ENET_PACKET_FLAG_UNSEQUENCED);
                ENetPacket *echo = enet_packet_create(packet->data, packet->dataLength, flags);
                enet_peer_send(event.peer, event.channelID, echo);
            }
            enet_packet_destroy(packet);
            break;
        }
        case ENET_EVENT_TYPE_DISCONNECT:
            connected--;
            printf("disconnected %u\n", (unsigned) event.data);
            fflush(stdout);
            if ((!server || quitting) && connected <= 0) {
                enet_host_flush(host);
                enet_host_destroy(host);
                enet_deinitialize();
                return 0;
            }
            break;
        default:
            break;
        }
    }
}
