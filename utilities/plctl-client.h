/*
 * plctl-client.h: plctl's connection to plinkd: credentials found the way
 * the AWS CLI finds them, and signed Twirp calls over HTTP.
 */
#ifndef PLCTL_CLIENT_H
#define PLCTL_CLIENT_H 1

#include <stdbool.h>
#include <protobuf-c/protobuf-c.h>
#include "compiler.h"

/* Where and as whom plctl calls plinkd. */
struct plctl_client {
    char *endpoint_url;         /* e.g. "http://127.0.0.1:8780". */
    char *region;               /* Region to sign for. */
    char *access_key_id;        /* Credentials. */
    char *secret_access_key;
    int timeout;                /* Seconds to wait for an answer. */
};

char *plctl_client_init(struct plctl_client *, const char *endpoint_url,
                        const char *profile, const char *region)
    OVS_WARN_UNUSED_RESULT;
void plctl_client_destroy(struct plctl_client *);

/* The error of a failed call. */
struct plctl_error {
    char *code;                 /* AWS error code. */
    char *message;              /* Its message. */
};

char *plctl_client_call(const struct plctl_client *, const char *method,
                        const ProtobufCMessage *request,
                        const ProtobufCMessageDescriptor *response_md,
                        ProtobufCMessage **responsep,
                        struct plctl_error *) OVS_WARN_UNUSED_RESULT;
void plctl_error_destroy(struct plctl_error *);

#endif /* plctl-client.h */
