/*
 * A scripted MQTT-SN 1.2 device for interop tests: every packet is encoded and decoded by Eclipse
 * Paho's MQTTSNPacket library (../paho-mqttsn, vendored unmodified), carried over plain UDP or over
 * OpenSSL's DTLS 1.2 client with a pre-shared key. Nothing here shares code with the gateway.
 *
 * Usage: paho_sn_client --host H --port P --id CLIENT_ID [--psk HEX] [--ciphers LIST] [--timeout-ms N] STEP...
 * Steps (run in order; each prints one line per packet it sees, then the tool exits 0, or 3 on a timeout):
 *   connect:DURATION          CONNECT (clean session, keep-alive DURATION s)      -> "CONNACK rc=N"
 *   sub:ID:QOS                SUBSCRIBE to predefined topic id ID                 -> "SUBACK topic=ID qos=Q rc=N"
 *   pubp:ID:QOS:PAYLOAD       PUBLISH on predefined topic id ID (QOS 0, 1 or -1)  -> QoS 1: "PUBACK msgid=M topic=T rc=N"
 *   reg:NAME                  REGISTER a topic name                               -> "REGACK topic=T rc=N"
 *   pubr:QOS:PAYLOAD          PUBLISH on the topic id of the last REGACK          -> QoS 1: "PUBACK ..."
 *   await:ID:SECONDS[:TEXT]   wait for a PUBLISH from the gateway on topic id ID (whose payload contains TEXT)
 *   sleep:DURATION            DISCONNECT with a sleep duration                    -> "DISCONNECT"
 *   wake                      PINGREQ with the client id; prints what the gateway delivers, then "PINGRESP"
 *   pause:MS                  the device's radio is off for MS milliseconds (nothing is read)
 *   disconnect                DISCONNECT                                          -> "DISCONNECT"
 * Any PUBLISH from the gateway that arrives while a step waits is printed as
 * "PUBLISH topic=T qos=Q msgid=M payload=..." and, at QoS 1, PUBACKed. Each step ends with "DONE".
 * Without steps on the command line they are read from standard input, one per line, so a test can
 * check the gateway between two steps (e.g. while the device sleeps).
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "MQTTSNPacket.h"

#define BUF 1500

static int sock = -1;
static SSL *ssl;
static unsigned char psk[64];
static unsigned int psk_len;
static const char *client_id;
static long timeout_ms = 10000;
static unsigned short next_msgid = 1;
static unsigned short registered_topic;

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void fail(int code, const char *what) {
    printf("%s\n", what);
    fflush(stdout);
    exit(code);
}

static unsigned int psk_callback(SSL *s, const char *hint, char *identity, unsigned int max_identity,
                                 unsigned char *key, unsigned int max_key) {
    (void)s;
    (void)hint;
    if (strlen(client_id) + 1 > max_identity || psk_len > max_key) {
        return 0;
    }
    strcpy(identity, client_id);
    memcpy(key, psk, psk_len);
    return psk_len;
}

static void send_packet(unsigned char *buf, int len) {
    if (len <= 0) {
        fail(4, "SERIALIZE failed");
    }
    int sent = ssl ? SSL_write(ssl, buf, len) : (int)send(sock, buf, (size_t)len, 0);
    if (sent != len) {
        fail(4, "SEND failed");
    }
}

/* One datagram within the deadline; 0 when the deadline passed. */
static int receive_packet(unsigned char *buf, long deadline) {
    for (;;) {
        long left = deadline - now_ms();
        if (left <= 0) {
            return 0;
        }
        if (ssl) {
            struct timeval tv = {left / 1000, (left % 1000) * 1000};
            BIO_ctrl(SSL_get_rbio(ssl), BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, 0, &tv);
            int n = SSL_read(ssl, buf, BUF);
            if (n > 0) {
                return n;
            }
            int err = SSL_get_error(ssl, n);
            if (err == SSL_ERROR_ZERO_RETURN) {
                fail(5, "CLOSED by the gateway");
            }
            if (err != SSL_ERROR_WANT_READ) {
                fail(5, "DTLS read failed");
            }
        } else {
            struct pollfd p = {sock, POLLIN, 0};
            if (poll(&p, 1, (int)left) > 0) {
                ssize_t n = recv(sock, buf, BUF, 0);
                if (n > 0) {
                    return (int)n;
                }
            }
        }
    }
}

/* Prints (and PUBACKs at QoS 1) a PUBLISH from the gateway; returns its topic id, or -1 when its
 * payload does not contain `text` (NULL matches any). */
static int handle_publish(unsigned char *buf, int len, const char *text) {
    unsigned char dup, retained;
    int qos, payloadlen;
    unsigned short msgid;
    MQTTSN_topicid topic;
    unsigned char *payload;
    if (MQTTSNDeserialize_publish(&dup, &qos, &retained, &msgid, &topic, &payload, &payloadlen, buf, len) != 1) {
        fail(4, "PUBLISH undecodable");
    }
    printf("PUBLISH topic=%u qos=%d msgid=%u payload=%.*s\n", topic.data.id, qos, msgid, payloadlen, payload);
    if (qos == 1) {
        unsigned char ack[16];
        send_packet(ack, MQTTSNSerialize_puback(ack, sizeof ack, topic.data.id, msgid, MQTTSN_RC_ACCEPTED));
    }
    if (text != NULL && (payloadlen < 0 || !memmem(payload, (size_t)payloadlen, text, strlen(text)))) {
        return -1;
    }
    return topic.data.id;
}

/* Reads until a packet of type `want` arrives (PUBLISHes in between are handled); exits 3 on timeout. */
static int expect(int want, unsigned char *buf, const char *what) {
    long deadline = now_ms() + timeout_ms;
    for (;;) {
        int len = receive_packet(buf, deadline);
        if (len == 0) {
            printf("TIMEOUT waiting for %s\n", what);
            fflush(stdout);
            exit(3);
        }
        int type = buf[0] == 1 ? buf[3] : buf[1];
        if (type == want) {
            return len;
        }
        if (type == MQTTSN_PUBLISH) {
            handle_publish(buf, len, NULL);
        } else {
            printf("UNEXPECTED %s\n", MQTTSNPacket_name(type));
        }
    }
}

static void publish(MQTTSN_topicid topic, int qos, char *payload) {
    unsigned char buf[BUF];
    unsigned short msgid = qos > 0 ? next_msgid++ : 0;
    send_packet(buf, MQTTSNSerialize_publish(buf, BUF, 0, qos, 0, msgid, topic, (unsigned char *)payload,
                                             (int)strlen(payload)));
    if (qos == 1) {
        int len = expect(MQTTSN_PUBACK, buf, "PUBACK");
        unsigned short topicid, id;
        unsigned char rc;
        MQTTSNDeserialize_puback(&topicid, &id, &rc, buf, len);
        printf("PUBACK msgid=%u topic=%u rc=%u\n", id, topicid, rc);
    }
}

static void step(char *s) {
    unsigned char buf[BUF];
    char *arg = strchr(s, ':');
    if (arg) {
        *arg++ = '\0';
    }
    if (strcmp(s, "connect") == 0) {
        MQTTSNPacket_connectData options = MQTTSNPacket_connectData_initializer;
        options.clientID.cstring = (char *)client_id;
        options.duration = (unsigned short)atoi(arg);
        options.cleansession = 1;
        send_packet(buf, MQTTSNSerialize_connect(buf, BUF, &options));
        int len = expect(MQTTSN_CONNACK, buf, "CONNACK");
        int rc = -1;
        MQTTSNDeserialize_connack(&rc, buf, len);
        printf("CONNACK rc=%d\n", rc);
    } else if (strcmp(s, "sub") == 0) {
        MQTTSN_topicid topic = {.type = MQTTSN_TOPIC_TYPE_PREDEFINED};
        topic.data.id = (unsigned short)atoi(strtok(arg, ":"));
        int qos = atoi(strtok(NULL, ":"));
        send_packet(buf, MQTTSNSerialize_subscribe(buf, BUF, 0, qos, next_msgid++, &topic));
        int len = expect(MQTTSN_SUBACK, buf, "SUBACK");
        int granted;
        unsigned short topicid, id;
        unsigned char rc;
        MQTTSNDeserialize_suback(&granted, &topicid, &id, &rc, buf, len);
        printf("SUBACK topic=%u qos=%d rc=%u\n", topicid, granted, rc);
    } else if (strcmp(s, "pubp") == 0) {
        MQTTSN_topicid topic = {.type = MQTTSN_TOPIC_TYPE_PREDEFINED};
        topic.data.id = (unsigned short)atoi(strtok(arg, ":"));
        int qos = atoi(strtok(NULL, ":"));
        publish(topic, qos, strtok(NULL, ""));
    } else if (strcmp(s, "reg") == 0) {
        MQTTSNString name = MQTTSNString_initializer;
        name.cstring = arg;
        send_packet(buf, MQTTSNSerialize_register(buf, BUF, 0, next_msgid++, &name));
        int len = expect(MQTTSN_REGACK, buf, "REGACK");
        unsigned short topicid, id;
        unsigned char rc;
        MQTTSNDeserialize_regack(&topicid, &id, &rc, buf, len);
        registered_topic = topicid;
        printf("REGACK topic=%u rc=%u\n", topicid, rc);
    } else if (strcmp(s, "pubr") == 0) {
        MQTTSN_topicid topic = {.type = MQTTSN_TOPIC_TYPE_NORMAL};
        topic.data.id = registered_topic;
        int qos = atoi(strtok(arg, ":"));
        publish(topic, qos, strtok(NULL, ""));
    } else if (strcmp(s, "await") == 0) {
        int want = atoi(strtok(arg, ":"));
        long deadline = now_ms() + 1000L * atoi(strtok(NULL, ":"));
        const char *text = strtok(NULL, "");
        for (;;) {
            int len = receive_packet(buf, deadline);
            if (len == 0) {
                printf("TIMEOUT waiting for PUBLISH on %d\n", want);
                fflush(stdout);
                exit(3);
            }
            int type = buf[0] == 1 ? buf[3] : buf[1];
            if (type == MQTTSN_PUBLISH && handle_publish(buf, len, text) == want) {
                break;
            }
        }
    } else if (strcmp(s, "sleep") == 0) {
        send_packet(buf, MQTTSNSerialize_disconnect(buf, BUF, atoi(arg)));
        expect(MQTTSN_DISCONNECT, buf, "DISCONNECT");
        printf("DISCONNECT\n");
    } else if (strcmp(s, "wake") == 0) {
        MQTTSNString id = MQTTSNString_initializer;
        id.cstring = (char *)client_id;
        send_packet(buf, MQTTSNSerialize_pingreq(buf, BUF, id));
        expect(MQTTSN_PINGRESP, buf, "PINGRESP");
        printf("PINGRESP\n");
    } else if (strcmp(s, "pause") == 0) {
        struct timespec t = {atol(arg) / 1000, (atol(arg) % 1000) * 1000000L};
        nanosleep(&t, NULL);
    } else if (strcmp(s, "disconnect") == 0) {
        send_packet(buf, MQTTSNSerialize_disconnect(buf, BUF, 0));
        expect(MQTTSN_DISCONNECT, buf, "DISCONNECT");
        printf("DISCONNECT\n");
    } else {
        fail(2, "unknown step");
    }
    printf("DONE\n");
    fflush(stdout);
}

static void open_socket(const char *host, const char *port) {
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_DGRAM}, *gw;
    if (getaddrinfo(host, port, &hints, &gw) != 0) {
        fail(2, "bad --host/--port");
    }
    sock = socket(AF_INET, SOCK_DGRAM, 0);
    if (sock < 0 || connect(sock, gw->ai_addr, gw->ai_addrlen) != 0) {
        fail(2, "socket failed");
    }
    freeaddrinfo(gw);
}

static void dtls_handshake(const char *ciphers) {
    SSL_CTX *ctx = SSL_CTX_new(DTLS_client_method());
    SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
    if (SSL_CTX_set_cipher_list(ctx, ciphers) != 1) {
        fail(2, "bad --ciphers");
    }
    SSL_CTX_set_psk_client_callback(ctx, psk_callback);
    BIO *bio = BIO_new_dgram(sock, BIO_NOCLOSE);
    struct sockaddr_storage peer;
    socklen_t peer_len = sizeof peer;
    getpeername(sock, (struct sockaddr *)&peer, &peer_len);
    BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_CONNECTED, 0, &peer);
    ssl = SSL_new(ctx);
    SSL_set_bio(ssl, bio, bio);
    long deadline = now_ms() + timeout_ms;
    struct timeval tv = {0, 200000};
    BIO_ctrl(bio, BIO_CTRL_DGRAM_SET_RECV_TIMEOUT, 0, &tv);
    for (;;) {
        int rc = SSL_connect(ssl);
        if (rc == 1) {
            printf("DTLS %s %s\n", SSL_get_version(ssl), SSL_get_cipher_name(ssl));
            fflush(stdout);
            return;
        }
        if (SSL_get_error(ssl, rc) != SSL_ERROR_WANT_READ || now_ms() > deadline) {
            fail(6, "DTLS handshake failed");
        }
        DTLSv1_handle_timeout(ssl);
    }
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *port = NULL, *psk_hex = NULL;
    const char *ciphers = "PSK-AES128-CCM8:PSK-AES128-GCM-SHA256:PSK-AES128-CBC-SHA256";
    int i = 1;
    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--host") == 0) host = argv[i + 1];
        else if (strcmp(argv[i], "--port") == 0) port = argv[i + 1];
        else if (strcmp(argv[i], "--id") == 0) client_id = argv[i + 1];
        else if (strcmp(argv[i], "--psk") == 0) psk_hex = argv[i + 1];
        else if (strcmp(argv[i], "--ciphers") == 0) ciphers = argv[i + 1];
        else if (strcmp(argv[i], "--timeout-ms") == 0) timeout_ms = atol(argv[i + 1]);
        else fail(2, "unknown option");
    }
    if (port == NULL || client_id == NULL) {
        fail(2, "usage: paho_sn_client --host H --port P --id ID [--psk HEX] [--ciphers L] [--timeout-ms N] STEP...");
    }
    open_socket(host, port);
    if (psk_hex != NULL) {
        size_t n = strlen(psk_hex);
        if (n % 2 != 0 || n / 2 > sizeof psk) {
            fail(2, "bad --psk");
        }
        for (psk_len = 0; psk_len < n / 2; psk_len++) {
            unsigned int byte;
            if (sscanf(psk_hex + 2 * psk_len, "%2x", &byte) != 1) {
                fail(2, "bad --psk");
            }
            psk[psk_len] = (unsigned char)byte;
        }
        dtls_handshake(ciphers);
    }
    if (i == argc) {
        char line[BUF];
        while (fgets(line, sizeof line, stdin) != NULL) {
            line[strcspn(line, "\r\n")] = '\0';
            if (line[0] != '\0') {
                step(line);
            }
        }
    }
    for (; i < argc; i++) {
        step(argv[i]);
    }
    if (ssl) {
        SSL_shutdown(ssl);
    }
    return 0;
}
