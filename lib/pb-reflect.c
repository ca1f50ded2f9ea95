/*
 * pb-reflect.c: generic access to protobuf-c messages (see pb-reflect.h).
 *
 * protobuf-c lays out a message as a C struct described by its
 * descriptor: a scalar field lives at 'offset'; a repeated field is a
 * pointer at 'offset' to an array whose length is the size_t at
 * 'quantifier_offset'; a proto3 "optional" field has a presence flag at
 * 'quantifier_offset'.  Everything here allocates with malloc so that
 * protobuf_c_message_free_unpacked(msg, NULL) frees what we built.
 */
#include <config.h>
#include "pb-reflect.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/hmap.h"
#include "hash.h"
#include "proto/privatelink-names.h"
#include "util.h"

/* An entry of the name-override index. */
struct pbr_override {
    struct hmap_node node;      /* In 'overrides', by message and field. */
    const struct pl_field_name *names;  /* The generated table row. */
};

/* Index over pl_field_names[], built on first use. */
static struct hmap overrides = HMAP_INITIALIZER(&overrides);

static uint32_t
pbr_hash(const char *message, const char *field)
{
    return hash_string(field, hash_string(message, 0));
}

static const struct pl_field_name *
pbr_find_override(const ProtobufCMessageDescriptor *md,
                  const ProtobufCFieldDescriptor *fd)
{
    if (hmap_is_empty(&overrides)) {
        for (size_t i = 0; i < pl_n_field_names; i++) {
            struct pbr_override *o = xmalloc(sizeof *o);
            o->names = &pl_field_names[i];
            hmap_insert(&overrides, &o->node,
                        pbr_hash(o->names->message, o->names->field));
        }
    }

    struct pbr_override *o;
    HMAP_FOR_EACH_WITH_HASH (o, node, pbr_hash(md->name, fd->name),
                             &overrides) {
        if (!strcmp(o->names->message, md->name)
            && !strcmp(o->names->field, fd->name)) {
            return o->names;
        }
    }
    return NULL;
}

/* Appends 'name' (snake_case) to 'out' in CamelCase, with the first
 * letter upper-cased if 'upper_first'. */
static void
pbr_camel(const char *name, bool upper_first, struct ds *out)
{
    bool upper = upper_first;
    for (const char *p = name; *p; p++) {
        if (*p == '_') {
            upper = true;
        } else {
            ds_put_char(out, upper ? toupper((unsigned char) *p) : *p);
            upper = false;
        }
    }
}

/* The wire names of one field, computed once. */
struct pbr_names {
    struct hmap_node node;      /* In 'names_cache', by field descriptor. */
    const ProtobufCFieldDescriptor *fd;  /* The field. */
    char *query;                /* EC2 Query key. */
    char *xml;                  /* EC2 XML element. */
    char *json;                 /* AWS JSON member. */
};

/* Every field's names, filled on first use.  (plinkd and plctl use this
 * module from one thread only.) */
static struct hmap names_cache = HMAP_INITIALIZER(&names_cache);

/* Returns a malloc'd copy of 'override', or of 'name' in CamelCase. */
static char *
pbr_name(const char *override, const char *name, bool upper_first)
{
    if (override) {
        return xstrdup(override);
    }
    struct ds s = DS_EMPTY_INITIALIZER;
    pbr_camel(name, upper_first, &s);
    return ds_steal_cstr(&s);
}

/* Returns the wire names of field 'fd' of message 'md'. */
static const struct pbr_names *
pbr_names(const ProtobufCMessageDescriptor *md,
          const ProtobufCFieldDescriptor *fd)
{
    struct pbr_names *n;
    uint32_t hash = hash_pointer(fd, 0);
    HMAP_FOR_EACH_WITH_HASH (n, node, hash, &names_cache) {
        if (n->fd == fd) {
            return n;
        }
    }

    const struct pl_field_name *o = pbr_find_override(md, fd);
    n = xmalloc(sizeof *n);
    n->fd = fd;
    n->query = pbr_name(o ? o->query : NULL, fd->name, true);
    n->xml = pbr_name(o ? o->xml : NULL, fd->name, false);
    n->json = pbr_name(o ? o->json : NULL, fd->name, true);
    hmap_insert(&names_cache, &n->node, hash);
    return n;
}

/* Stores in 'out' the EC2 Query key of field 'fd' of message 'md'. */
void
pbr_query_key(const ProtobufCMessageDescriptor *md,
              const ProtobufCFieldDescriptor *fd, struct ds *out)
{
    ds_clear(out);
    ds_put_cstr(out, pbr_names(md, fd)->query);
}

/* Returns the EC2 Query key of field 'fd' of 'md' (also its element
 * name in AWS Query XML). */
const char *
pbr_query_name(const ProtobufCMessageDescriptor *md,
               const ProtobufCFieldDescriptor *fd)
{
    return pbr_names(md, fd)->query;
}

/* Returns the EC2 XML element name of field 'fd' of 'md'. */
const char *
pbr_xml_name(const ProtobufCMessageDescriptor *md,
             const ProtobufCFieldDescriptor *fd)
{
    return pbr_names(md, fd)->xml;
}

/* Stores in 'out' the AWS JSON member name of field 'fd' of 'md'
 * ("VpcEndpointIds"). */
void
pbr_json_name(const ProtobufCMessageDescriptor *md,
              const ProtobufCFieldDescriptor *fd, struct ds *out)
{
    ds_clear(out);
    ds_put_cstr(out, pbr_names(md, fd)->json);
}

/* Stores in 'out' the command-line flag of 'fd' ("--vpc-endpoint-ids"). */
void
pbr_cli_flag(const ProtobufCFieldDescriptor *fd, struct ds *out)
{
    ds_clear(out);
    ds_put_cstr(out, "--");
    for (const char *p = fd->name; *p; p++) {
        ds_put_char(out, *p == '_' ? '-' : *p);
    }
}

bool
pbr_is_repeated(const ProtobufCFieldDescriptor *fd)
{
    return fd->label == PROTOBUF_C_LABEL_REPEATED;
}

/* Returns the size in bytes of one element of 'fd' as stored in the
 * message struct. */
static size_t
pbr_elem_size(const ProtobufCFieldDescriptor *fd)
{
    switch (fd->type) {
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_ENUM:
        return 4;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        return 8;
    case PROTOBUF_C_TYPE_FLOAT:
        return sizeof(float);
    case PROTOBUF_C_TYPE_DOUBLE:
        return sizeof(double);
    case PROTOBUF_C_TYPE_BOOL:
        return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_STRING:
    case PROTOBUF_C_TYPE_MESSAGE:
        return sizeof(void *);
    case PROTOBUF_C_TYPE_BYTES:
        return sizeof(ProtobufCBinaryData);
    }
    OVS_NOT_REACHED();
}

/* Returns the number of elements of 'fd' in 'msg': the array length for a
 * repeated field, otherwise 1 if the field is present and 0 if not. */
size_t
pbr_count(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd)
{
    if (pbr_is_repeated(fd)) {
        return *(const size_t *) ((const char *) msg + fd->quantifier_offset);
    }
    return pbr_is_present(msg, fd) ? 1 : 0;
}

/* Returns true if the singular field 'fd' is set in 'msg': a non-NULL
 * message, a proto3 "optional" with its flag set, or any other scalar
 * (proto3 scalars are always present). */
bool
pbr_is_present(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd)
{
    const char *base = (const char *) msg;
    if (pbr_is_repeated(fd)) {
        return pbr_count(msg, fd) > 0;
    } else if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
        return *(void *const *) (base + fd->offset) != NULL;
    } else if (fd->label == PROTOBUF_C_LABEL_OPTIONAL
               && fd->type != PROTOBUF_C_TYPE_STRING) {
        return *(const protobuf_c_boolean *) (base + fd->quantifier_offset);
    } else if (fd->type == PROTOBUF_C_TYPE_STRING
               && fd->label == PROTOBUF_C_LABEL_OPTIONAL) {
        return *(char *const *) (base + fd->offset) != NULL;
    }
    return true;
}

/* Returns a pointer to element 'i' of 'fd' in 'msg' (i must be 0 for a
 * singular field).  For message fields the element is the message pointer
 * itself, for strings the char pointer. */
const void *
pbr_elem(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
         size_t i)
{
    const char *base = (const char *) msg;
    if (pbr_is_repeated(fd)) {
        const char *array = *(char *const *) (base + fd->offset);
        return array + i * pbr_elem_size(fd);
    }
    return base + fd->offset;
}

/* Returns the storage of the singular field 'fd' of 'msg', marking a
 * proto3 "optional" scalar as present. */
void *
pbr_slot(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd)
{
    char *base = (char *) msg;
    if (fd->label == PROTOBUF_C_LABEL_OPTIONAL
        && fd->type != PROTOBUF_C_TYPE_STRING
        && fd->type != PROTOBUF_C_TYPE_MESSAGE) {
        *(protobuf_c_boolean *) (base + fd->quantifier_offset) = true;
    }
    return base + fd->offset;
}

/* Appends a zeroed element to the repeated field 'fd' of 'msg' and returns
 * its storage. */
void *
pbr_append(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd)
{
    char *base = (char *) msg;
    size_t *n = (size_t *) (base + fd->quantifier_offset);
    char **array = (char **) (base + fd->offset);
    size_t size = pbr_elem_size(fd);

    *array = xrealloc(*array, (*n + 1) * size);
    memset(*array + *n * size, 0, size);
    return *array + (*n)++ * size;
}

/* Allocates and initializes an empty message of type 'md'. */
ProtobufCMessage *
pbr_new_message(const ProtobufCMessageDescriptor *md)
{
    ProtobufCMessage *msg = xmalloc(md->sizeof_message);
    md->message_init(msg);
    return msg;
}

/* Parses 's' as the scalar type of 'fd' into 'slot'.  Returns NULL, or a
 * malloc'd error message.  Strings are copied. */
char *
pbr_parse_scalar(const ProtobufCFieldDescriptor *fd, void *slot,
                 const char *s)
{
    char *end;

    switch (fd->type) {
    case PROTOBUF_C_TYPE_STRING:
        *(char **) slot = xstrdup(s);
        return NULL;
    case PROTOBUF_C_TYPE_BOOL:
        if (!strcmp(s, "true") || !strcmp(s, "false")) {
            *(protobuf_c_boolean *) slot = s[0] == 't';
            return NULL;
        }
        return xasprintf("'%s' is not a valid boolean", s);
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64: {
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (!*s || *end || errno
            || (pbr_elem_size(fd) == 4 && (v < INT32_MIN || v > INT32_MAX))) {
            return xasprintf("'%s' is not a valid integer", s);
        }
        if (pbr_elem_size(fd) == 4) {
            *(int32_t *) slot = v;
        } else {
            *(int64_t *) slot = v;
        }
        return NULL;
    }
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64: {
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (!*s || *end || errno || *s == '-'
            || (pbr_elem_size(fd) == 4 && v > UINT32_MAX)) {
            return xasprintf("'%s' is not a valid integer", s);
        }
        if (pbr_elem_size(fd) == 4) {
            *(uint32_t *) slot = v;
        } else {
            *(uint64_t *) slot = v;
        }
        return NULL;
    }
    case PROTOBUF_C_TYPE_FLOAT:
    case PROTOBUF_C_TYPE_DOUBLE:
    case PROTOBUF_C_TYPE_ENUM:
    case PROTOBUF_C_TYPE_BYTES:
    case PROTOBUF_C_TYPE_MESSAGE:
        break;
    }
    return xasprintf("field %s cannot be given as text", fd->name);
}

/* Appends the scalar in 'slot', of the type of 'fd', to 'out' as text:
 * booleans as true/false, integers in decimal, strings as they are. */
void
pbr_format_scalar(const ProtobufCFieldDescriptor *fd, const void *slot,
                  struct ds *out)
{
    switch (fd->type) {
    case PROTOBUF_C_TYPE_STRING: {
        const char *s = *(char *const *) slot;
        ds_put_cstr(out, s ? s : "");
        break;
    }
    case PROTOBUF_C_TYPE_BOOL:
        ds_put_cstr(out, *(const protobuf_c_boolean *) slot ? "true"
                                                            : "false");
        break;
    case PROTOBUF_C_TYPE_INT32:
    case PROTOBUF_C_TYPE_SINT32:
    case PROTOBUF_C_TYPE_SFIXED32:
    case PROTOBUF_C_TYPE_ENUM:
        ds_put_format(out, "%"PRId32, *(const int32_t *) slot);
        break;
    case PROTOBUF_C_TYPE_UINT32:
    case PROTOBUF_C_TYPE_FIXED32:
        ds_put_format(out, "%"PRIu32, *(const uint32_t *) slot);
        break;
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
        ds_put_format(out, "%"PRId64, *(const int64_t *) slot);
        break;
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
        ds_put_format(out, "%"PRIu64, *(const uint64_t *) slot);
        break;
    case PROTOBUF_C_TYPE_FLOAT:
        ds_put_format(out, "%g", *(const float *) slot);
        break;
    case PROTOBUF_C_TYPE_DOUBLE:
        ds_put_format(out, "%g", *(const double *) slot);
        break;
    case PROTOBUF_C_TYPE_BYTES:
    case PROTOBUF_C_TYPE_MESSAGE:
        break;
    }
}

/* Returns true if 'slot' holds a proto3 string that is empty, which the
 * EC2 and JSON encoders treat as absent.  (A proto2 "optional" string is
 * absent only when it is NULL: an empty tag value is a value.) */
bool
pbr_scalar_is_default(const ProtobufCFieldDescriptor *fd, const void *slot)
{
    if (fd->type == PROTOBUF_C_TYPE_STRING
        && fd->label != PROTOBUF_C_LABEL_OPTIONAL) {
        const char *s = *(char *const *) slot;
        return !s || !*s;
    }
    return false;
}
