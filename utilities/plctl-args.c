/*
 * plctl-args.c: command-line options to protobuf requests (see
 * plctl-args.h).
 */
#include <config.h>
#include "plctl-args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "openvswitch/shash.h"
#include "pb-reflect.h"
#include "util.h"

static char *plctl_args_from_json(ProtobufCMessage *, const struct json *);

/* Stores in 'out' the option of field 'fd' ("--vpc-id").  A field whose
 * name the generator escaped with a trailing underscore because it is a
 * keyword ("type_") keeps the AWS CLI's option ("--type", not "--type-"). */
static void
plctl_args_flag(const ProtobufCFieldDescriptor *fd, struct ds *out)
{
    pbr_cli_flag(fd, out);
    if (ds_last(out) == '-' && out->length > 2) {
        ds_chomp(out, '-');
    }
}

/* Finds the field of 'md' whose option is 'flag' ("--vpc-id"), or whose
 * negated boolean option is 'flag' ("--no-dry-run", '*negated' set). */
static const ProtobufCFieldDescriptor *
plctl_args_find(const ProtobufCMessageDescriptor *md, const char *flag,
                bool *negated)
{
    struct ds name = DS_EMPTY_INITIALIZER;
    const ProtobufCFieldDescriptor *found = NULL;

    *negated = false;
    for (unsigned int i = 0; i < md->n_fields && !found; i++) {
        const ProtobufCFieldDescriptor *fd = &md->fields[i];
        plctl_args_flag(fd, &name);
        if (!strcmp(ds_cstr(&name), flag)) {
            found = fd;
        } else if (fd->type == PROTOBUF_C_TYPE_BOOL && !strncmp(flag, "--no-", 5)
                   && !strcmp(ds_cstr(&name) + 2, flag + 5)) {
            found = fd;
            *negated = true;
        }
    }
    ds_destroy(&name);
    return found;
}

/* Returns the field of 'md' whose AWS JSON name is 'name'. */
static const ProtobufCFieldDescriptor *
plctl_args_find_json(const ProtobufCMessageDescriptor *md, const char *name)
{
    struct ds json_name = DS_EMPTY_INITIALIZER;
    const ProtobufCFieldDescriptor *found = NULL;
    for (unsigned int i = 0; i < md->n_fields && !found; i++) {
        pbr_json_name(md, &md->fields[i], &json_name);
        if (!strcmp(ds_cstr(&json_name), name)) {
            found = &md->fields[i];
        }
    }
    ds_destroy(&json_name);
    return found;
}

/* Sets a scalar from a JSON value. */
static char *
plctl_args_scalar_json(const ProtobufCFieldDescriptor *fd, void *slot,
                       const struct json *j)
{
    switch (j->type) {
    case JSON_STRING:
        return pbr_parse_scalar(fd, slot, j->string);
    case JSON_TRUE:
    case JSON_FALSE:
        return pbr_parse_scalar(fd, slot, j->type == JSON_TRUE ? "true"
                                                               : "false");
    case JSON_INTEGER: {
        char *s = xasprintf("%lld", j->integer);
        char *error = pbr_parse_scalar(fd, slot, s);
        free(s);
        return error;
    }
    case JSON_NULL:
    case JSON_REAL:
    case JSON_OBJECT:
    case JSON_ARRAY:
    case JSON_SERIALIZED_OBJECT:
    case JSON_N_TYPES:
    default:
        return xasprintf("%s: unexpected JSON %s", fd->name,
                         json_type_to_string(j->type));
    }
}

/* Stores one JSON value 'j' as an element of field 'fd' of 'msg'. */
static char *
plctl_args_elem_json(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
                     const struct json *j)
{
    void *slot = pbr_is_repeated(fd) ? pbr_append(msg, fd) : pbr_slot(msg, fd);
    if (fd->type != PROTOBUF_C_TYPE_MESSAGE) {
        return plctl_args_scalar_json(fd, slot, j);
    }
    ProtobufCMessage *sub = pbr_new_message(fd->descriptor);
    *(ProtobufCMessage **) slot = sub;
    return plctl_args_from_json(sub, j);
}

/* Fills 'msg' from the JSON object 'j' whose keys are AWS JSON names. */
static char *
plctl_args_from_json(ProtobufCMessage *msg, const struct json *j)
{
    if (j->type != JSON_OBJECT) {
        return xasprintf("expected a JSON object for %s",
                         msg->descriptor->short_name);
    }
    struct shash_node *node;
    SHASH_FOR_EACH (node, j->object) {
        const ProtobufCFieldDescriptor *fd
            = plctl_args_find_json(msg->descriptor, node->name);
        const struct json *v = node->data;
        char *error = NULL;
        if (!fd) {
            return xasprintf("unknown member %s of %s", node->name,
                             msg->descriptor->short_name);
        } else if (v->type == JSON_ARRAY && pbr_is_repeated(fd)) {
            for (size_t i = 0; i < v->array.n && !error; i++) {
                error = plctl_args_elem_json(msg, fd, v->array.elems[i]);
            }
        } else {
            error = plctl_args_elem_json(msg, fd, v);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Parses one AWS shorthand structure "Key=v,Key2=v1,v2" into 'msg': a value
 * that follows a comma without "=" continues the previous list member. */
static char *
plctl_args_shorthand(ProtobufCMessage *msg, const char *text)
{
    char *copy = xstrdup(text), *save = NULL;
    const ProtobufCFieldDescriptor *last = NULL;
    char *error = NULL;

    for (char *tok = strtok_r(copy, ",", &save); tok && !error;
         tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        const char *value = tok;
        if (eq) {
            *eq = '\0';
            value = eq + 1;
            last = plctl_args_find_json(msg->descriptor, tok);
            if (!last) {
                error = xasprintf("unknown member %s of %s", tok,
                                  msg->descriptor->short_name);
                break;
            }
        } else if (!last || !pbr_is_repeated(last)) {
            error = xasprintf("%s: expected Key=Value", text);
            break;
        }
        if (last->type == PROTOBUF_C_TYPE_MESSAGE) {
            error = xasprintf("%s: nested structures need JSON", text);
        } else {
            void *slot = pbr_is_repeated(last) ? pbr_append(msg, last)
                                               : pbr_slot(msg, last);
            error = pbr_parse_scalar(last, slot, value);
        }
    }
    free(copy);
    return error;
}

/* Sets field 'fd' of 'msg' from the option's words 'words[0..n-1]'. */
static char *
plctl_args_set(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
               char **words, int n)
{
    if (n && (words[0][0] == '[' || words[0][0] == '{')
        && fd->type == PROTOBUF_C_TYPE_MESSAGE) {
        struct json *j = json_from_string(words[0]);
        char *error = NULL;
        if (j->type == JSON_STRING) {
            error = xasprintf("%s: %s", fd->name, j->string);
        } else if (j->type == JSON_ARRAY) {
            for (size_t i = 0; i < j->array.n && !error; i++) {
                error = plctl_args_elem_json(msg, fd, j->array.elems[i]);
            }
        } else {
            error = plctl_args_elem_json(msg, fd, j);
        }
        json_destroy(j);
        return error;
    }
    if (!pbr_is_repeated(fd) && n != 1) {
        return xasprintf("option --%s takes exactly one value", fd->name);
    }
    for (int i = 0; i < n; i++) {
        void *slot = pbr_is_repeated(fd) ? pbr_append(msg, fd)
                                         : pbr_slot(msg, fd);
        char *error;
        if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
            ProtobufCMessage *sub = pbr_new_message(fd->descriptor);
            *(ProtobufCMessage **) slot = sub;
            error = plctl_args_shorthand(sub, words[i]);
        } else {
            error = pbr_parse_scalar(fd, slot, words[i]);
        }
        if (error) {
            return error;
        }
    }
    return NULL;
}

/* Parses the options 'argv[0..argc-1]' of an operation whose request is
 * 'md'.  Returns NULL and the request in '*msgp', or an error message. */
char *
plctl_args_parse(const ProtobufCMessageDescriptor *md, int argc,
                 char *argv[], ProtobufCMessage **msgp)
{
    ProtobufCMessage *msg = pbr_new_message(md);
    char *error = NULL;

    for (int i = 0; i < argc && !error; ) {
        bool negated;
        const ProtobufCFieldDescriptor *fd = plctl_args_find(md, argv[i],
                                                             &negated);
        if (!fd) {
            error = xasprintf("unknown option %s", argv[i]);
            break;
        }
        int n = 0;
        while (i + 1 + n < argc && strncmp(argv[i + 1 + n], "--", 2)) {
            n++;
        }
        if (fd->type == PROTOBUF_C_TYPE_BOOL && !n) {
            *(protobuf_c_boolean *) pbr_slot(msg, fd) = !negated;
        } else if (!n) {
            error = xasprintf("option %s needs a value", argv[i]);
        } else {
            error = plctl_args_set(msg, fd, &argv[i + 1], n);
        }
        i += 1 + n;
    }
    if (error) {
        protobuf_c_message_free_unpacked(msg, NULL);
        return error;
    }
    *msgp = msg;
    return NULL;
}

/* Prints the options of a request of type 'md'. */
void
plctl_args_usage(const ProtobufCMessageDescriptor *md)
{
    struct ds flag = DS_EMPTY_INITIALIZER;
    for (unsigned int i = 0; i < md->n_fields; i++) {
        const ProtobufCFieldDescriptor *fd = &md->fields[i];
        plctl_args_flag(fd, &flag);
        const char *arg = (fd->type == PROTOBUF_C_TYPE_BOOL ? ""
                           : fd->type == PROTOBUF_C_TYPE_MESSAGE
                           ? (pbr_is_repeated(fd) ? " KEY=VALUE,... ..."
                                                  : " KEY=VALUE,...")
                           : pbr_is_repeated(fd) ? " VALUE..." : " VALUE");
        printf("  %s%s%s\n", ds_cstr(&flag), arg,
               fd->type == PROTOBUF_C_TYPE_BOOL ? " (or --no-...)" : "");
    }
    ds_destroy(&flag);
}
