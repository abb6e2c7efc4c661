/*
 * ENet echo benchmark client (C libenet): measures what one C peer gets from an echo host.
 *
 *   enet_bench <port> <roundtrips> <burst>
 *
 * Connects to 127.0.0.1:<port> with 2 channels, then
 *   1. sends <roundtrips> reliable 1 KiB messages one at a time, waiting for each echo (RTT);
 *   2. sends <burst> reliable 1 KiB messages at once and waits for every echo (throughput).
 * Prints one line: "rtt_p50_us=.. rtt_p99_us=.. burst_msgs_per_s=.. burst_seconds=..".
 */
#include <enet/enet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: enet_bench <port> <roundtrips> <burst>\n");
        return 2;
    }
    int port = atoi(argv[1]);
    int roundtrips = atoi(argv[2]);
    int burst = atoi(argv[3]);
    if (enet_initialize() != 0) return 1;
    ENetHost *host = enet_host_create(NULL, 1, 2, 0, 0);
    ENetAddress address;
    enet_address_set_host(&address, "127.0.0.1");
    address.port = (enet_uint16) port;
    ENetPeer *peer = enet_host_connect(host, &address, 2, 0);
    ENetEvent event;
    if (enet_host_service(host, &event, 5000) <= 0 || event.type != ENET_EVENT_TYPE_CONNECT) {
        fprintf(stderr, "could not connect\n");
        return 1;
    }
    char payload[1024];
    memset(payload, 'x', sizeof payload);
    double *rtts = malloc(sizeof(double) * roundtrips);
    for (int i = 0; i < roundtrips; i++) {
        double start = now_us();
        enet_peer_send(peer, 0, enet_packet_create(payload, sizeof payload, ENET_PACKET_FLAG_RELIABLE));
        enet_host_flush(host);
        int got = 0;
        while (!got) {
            if (enet_host_service(host, &event, 1000) < 0) return 1;
            if (event.type == ENET_EVENT_TYPE_RECEIVE) {
                enet_packet_destroy(event.packet);
                got = 1;
            } else if (event.type == ENET_EVENT_TYPE_DISCONNECT) {
                fprintf(stderr, "disconnected\n");
                return 1;
            }
        }
        rtts[i] = now_us() - start;
    }
    qsort(rtts, roundtrips, sizeof(double), compare);
    double start = now_us();
    for (int i = 0; i < burst; i++) {
        enet_peer_send(peer, 1, enet_packet_create(payload, sizeof payload, ENET_PACKET_FLAG_RELIABLE));
    }
    int received = 0;
    while (received < burst) {
        int rc = enet_host_service(host, &event, 1000);
        if (rc < 0) return 1;
        if (rc > 0 && event.type == ENET_EVENT_TYPE_RECEIVE) {
            enet_packet_destroy(event.packet);
            received++;
        } else if (rc > 0 && event.type == ENET_EVENT_TYPE_DISCONNECT) {
            fprintf(stderr, "disconnected during burst\n");
            return 1;
        }
    }
    double seconds = (now_us() - start) / 1e6;
    printf("rtt_p50_us=%.0f rtt_p99_us=%.0f burst_msgs_per_s=%.0f burst_seconds=%.3f\n",
           rtts[roundtrips / 2], rtts[(int) (roundtrips * 0.99)], burst / seconds, seconds);
    enet_peer_disconnect(peer, 0);
    while (enet_host_service(host, &event, 500) > 0) {
        if (event.type == ENET_EVENT_TYPE_RECEIVE) enet_packet_destroy(event.packet);
        if (event.type == ENET_EVENT_TYPE_DISCONNECT) break;
    }
    enet_host_destroy(host);
    return 0;
}
