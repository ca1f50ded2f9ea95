/*
 * pb-reflect.h: generic access to protobuf-c messages through their
 * descriptors, and the names a field has on each wire.
 *
 * plinkd's two API fronts (EC2 Query/XML and Twirp/protobuf) and plctl's
 * command line all work on the protobuf messages of proto/privatelink.proto.
 * This module lets the EC2 codec, the JSON printer and the command-line
 * parser walk any message, field by field, without per-operation code.
 */
#ifndef PB_REFLECT_H
#define PB_REFLECT_H 1

#include <stdbool.h>
#include <stddef.h>
#include <protobuf-c/protobuf-c.h>
#include "compiler.h"

struct ds;

/* Wire names of a field.  The result is written into 'out' (cleared
 * first). */
void pbr_query_key(const ProtobufCMessageDescriptor *,
                   const ProtobufCFieldDescriptor *, struct ds *out);
const char *pbr_query_name(const ProtobufCMessageDescriptor *,
                           const ProtobufCFieldDescriptor *);
const char *pbr_xml_name(const ProtobufCMessageDescriptor *,
                         const ProtobufCFieldDescriptor *);
void pbr_json_name(const ProtobufCMessageDescriptor *,
                   const ProtobufCFieldDescriptor *, struct ds *out);
void pbr_cli_flag(const ProtobufCFieldDescriptor *, struct ds *out);

/* Field access. */
bool pbr_is_repeated(const ProtobufCFieldDescriptor *);
bool pbr_is_present(const ProtobufCMessage *,
                    const ProtobufCFieldDescriptor *);
size_t pbr_count(const ProtobufCMessage *, const ProtobufCFieldDescriptor *);
const void *pbr_elem(const ProtobufCMessage *,
                     const ProtobufCFieldDescriptor *, size_t i);
void *pbr_slot(ProtobufCMessage *, const ProtobufCFieldDescriptor *);
void *pbr_append(ProtobufCMessage *, const ProtobufCFieldDescriptor *);
ProtobufCMessage *pbr_new_message(const ProtobufCMessageDescriptor *);

/* Scalars as text. */
char *pbr_parse_scalar(const ProtobufCFieldDescriptor *, void *slot,
                       const char *s) OVS_WARN_UNUSED_RESULT;
void pbr_format_scalar(const ProtobufCFieldDescriptor *, const void *slot,
                       struct ds *out);
bool pbr_scalar_is_default(const ProtobufCFieldDescriptor *,
                           const void *slot);

#endif /* pb-reflect.h */
