/*
 * ec2-query.c: the EC2 Query protocol codec (see ec2-query.h).
 */
#include <config.h>
#include "ec2-query.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/shash.h"
#include "pb-reflect.h"
#include "sset.h"
#include "util.h"

/* Decoding state shared by the recursive walk over a request. */
struct ec2q_decoder {
    const struct shash *params;   /* All request parameters. */
    enum ec2q_dialect dialect;    /* How lists are flattened. */
    struct sset used;             /* Keys consumed so far. */
    const char *code;             /* AWS error code, on error. */
};

static char *ec2q_decode_message(struct ec2q_decoder *, const char *prefix,
                                 ProtobufCMessage *);

/* Decodes one "%XX"/"+"-encoded form component of 'n' bytes at 's'. */
static char *
ec2q_url_decode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1), *p = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            *p++ = ' ';
        } else if (s[i] == '%' && i + 2 < n
                   && isxdigit((unsigned char) s[i + 1])
                   && isxdigit((unsigned char) s[i + 2])) {
            bool ok;
            *p++ = hexits_value(&s[i + 1], 2, &ok);
            i += 2;
        } else {
            *p++ = s[i];
        }
    }
    *p = '\0';
    return out;
}

char *
ec2q_parse_form(const char *body, struct shash *params)
{
    const char *p = body;
    while (*p) {
        size_t len = strcspn(p, "&");
        const char *eq = memchr(p, '=', len);
        if (len) {
            size_t klen = eq ? eq - p : len;
            char *key = ec2q_url_decode(p, klen);
            char *value = eq ? ec2q_url_decode(eq + 1, len - klen - 1)
                             : xstrdup("");
            if (!shash_add_once(params, key, value)) {
                char *error = xasprintf("The parameter %s is given more "
                                        "than once", key);
                free(key);
                free(value);
                return error;
            }
            free(key);
        }
        p += len;
        if (*p == '&') {
            p++;
        }
    }
    return NULL;
}

/* Returns true if any parameter's key starts with 'prefix'. */
static bool
ec2q_has_prefix(const struct shash *params, const char *prefix)
{
    size_t n = strlen(prefix);
    struct shash_node *node;
    SHASH_FOR_EACH (node, params) {
        if (!strncmp(node->name, prefix, n)) {
            return true;
        }
    }
    return false;
}

/* Decodes the scalar parameter 'key' into 'slot', if it is given. */
static char *
ec2q_decode_scalar(struct ec2q_decoder *d, const char *key,
                   const ProtobufCFieldDescriptor *fd, void *slot)
{
    const char *value = shash_find_data(d->params, key);
    char *error = pbr_parse_scalar(fd, slot, value);
    if (error) {
        char *msg = xasprintf("Value (%s) for parameter %s is invalid. %s",
                              value, key, error);
        free(error);
        d->code = "InvalidParameterValue";
        return msg;
    }
    sset_add(&d->used, key);
    return NULL;
}

/* Decodes field 'fd' of 'msg', whose key is 'key'. */
static char *
ec2q_decode_field(struct ec2q_decoder *d, const char *key,
                  const ProtobufCFieldDescriptor *fd, ProtobufCMessage *msg)
{
    bool is_msg = fd->type == PROTOBUF_C_TYPE_MESSAGE;
    char *error = NULL;

    if (pbr_is_repeated(fd)) {
        for (int i = 1; !error; i++) {
            char *elem_key = xasprintf(d->dialect == EC2Q_QUERY
                                       ? "%s.member.%d" : "%s.%d", key, i);
            char *sub_prefix = xasprintf("%s.", elem_key);
            if (is_msg && ec2q_has_prefix(d->params, sub_prefix)) {
                ProtobufCMessage *sub = pbr_new_message(fd->descriptor);
                *(ProtobufCMessage **) pbr_append(msg, fd) = sub;
                error = ec2q_decode_message(d, sub_prefix, sub);
            } else if (!is_msg && shash_find(d->params, elem_key)) {
                error = ec2q_decode_scalar(d, elem_key, fd,
                                           pbr_append(msg, fd));
            } else {
                free(elem_key);
                free(sub_prefix);
                break;
            }
            free(elem_key);
            free(sub_prefix);
        }
    } else if (is_msg) {
        char *sub_prefix = xasprintf("%s.", key);
        if (ec2q_has_prefix(d->params, sub_prefix)) {
            ProtobufCMessage *sub = pbr_new_message(fd->descriptor);
            *(ProtobufCMessage **) pbr_slot(msg, fd) = sub;
            error = ec2q_decode_message(d, sub_prefix, sub);
        }
        free(sub_prefix);
    } else if (shash_find(d->params, key)) {
        error = ec2q_decode_scalar(d, key, fd, pbr_slot(msg, fd));
    }
    return error;
}

/* Decodes every field of 'msg' from the parameters under 'prefix'. */
static char *
ec2q_decode_message(struct ec2q_decoder *d, const char *prefix,
                    ProtobufCMessage *msg)
{
    const ProtobufCMessageDescriptor *md = msg->descriptor;
    struct ds key = DS_EMPTY_INITIALIZER;
    char *error = NULL;

    for (unsigned int i = 0; i < md->n_fields && !error; i++) {
        const ProtobufCFieldDescriptor *fd = &md->fields[i];
        pbr_query_key(md, fd, &key);
        char *full_key = xasprintf("%s%s", prefix, ds_cstr(&key));
        error = ec2q_decode_field(d, full_key, fd, msg);
        free(full_key);
    }
    ds_destroy(&key);
    return error;
}

char *
ec2q_decode(const ProtobufCMessageDescriptor *md, const struct shash *params,
            enum ec2q_dialect dialect, ProtobufCMessage **msgp,
            const char **codep)
{
    struct ec2q_decoder d = { .params = params, .dialect = dialect };
    sset_init(&d.used);
    sset_add(&d.used, "Action");
    sset_add(&d.used, "Version");

    ProtobufCMessage *msg = pbr_new_message(md);
    char *error = ec2q_decode_message(&d, "", msg);
    if (!error) {
        struct shash_node *node;
        SHASH_FOR_EACH (node, params) {
            if (!sset_contains(&d.used, node->name)) {
                error = xasprintf("The parameter %s is not recognized",
                                  node->name);
                d.code = "UnknownParameter";
                break;
            }
        }
    }
    sset_destroy(&d.used);

    if (error) {
        protobuf_c_message_free_unpacked(msg, NULL);
        *msgp = NULL;
        *codep = d.code;
        return error;
    }
    *msgp = msg;
    *codep = NULL;
    return NULL;
}

void
ec2q_put_xml_text(struct ds *out, const char *s)
{
    size_t n = strcspn(s, "<>&\"'");
    ds_put_buffer(out, s, n);
    for (s += n; *s; s++) {
        switch (*s) {
        case '<': ds_put_cstr(out, "&lt;"); break;
        case '>': ds_put_cstr(out, "&gt;"); break;
        case '&': ds_put_cstr(out, "&amp;"); break;
        case '"': ds_put_cstr(out, "&quot;"); break;
        case '\'': ds_put_cstr(out, "&apos;"); break;
        default: ds_put_char(out, *s); break;
        }
    }
}

static void ec2q_encode_fields(const ProtobufCMessage *, enum ec2q_dialect,
                               struct ds *);

/* Appends one value of field 'fd' (at 'elem') as the content of an
 * element. */
static void
ec2q_encode_value(const ProtobufCFieldDescriptor *fd, const void *elem,
                  enum ec2q_dialect dialect, struct ds *out)
{
    if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
        ec2q_encode_fields(*(ProtobufCMessage *const *) elem, dialect, out);
    } else if (fd->type == PROTOBUF_C_TYPE_STRING) {
        const char *s = *(char *const *) elem;
        ec2q_put_xml_text(out, s ? s : "");
    } else {
        pbr_format_scalar(fd, elem, out);
    }
}

/* Appends field 'fd' of 'msg' as XML.  Repeated fields become a wrapper
 * with <item> (EC2) or <member> (AWS Query) children, an empty element
 * when there are none; absent strings and messages are left out. */
static void
ec2q_encode_field(const ProtobufCMessage *msg,
                  const ProtobufCFieldDescriptor *fd,
                  enum ec2q_dialect dialect, struct ds *out)
{
    const char *name = (dialect == EC2Q_QUERY
                        ? pbr_query_name(msg->descriptor, fd)
                        : pbr_xml_name(msg->descriptor, fd));
    const char *item = dialect == EC2Q_QUERY ? "member" : "item";

    if (pbr_is_repeated(fd)) {
        size_t n = pbr_count(msg, fd);
        if (!n) {
            ds_put_format(out, "<%s/>", name);
        } else {
            ds_put_format(out, "<%s>", name);
            for (size_t i = 0; i < n; i++) {
                ds_put_format(out, "<%s>", item);
                ec2q_encode_value(fd, pbr_elem(msg, fd, i), dialect, out);
                ds_put_format(out, "</%s>", item);
            }
            ds_put_format(out, "</%s>", name);
        }
    } else if (pbr_is_present(msg, fd)
               && !pbr_scalar_is_default(fd, pbr_elem(msg, fd, 0))) {
        ds_put_format(out, "<%s>", name);
        ec2q_encode_value(fd, pbr_elem(msg, fd, 0), dialect, out);
        ds_put_format(out, "</%s>", name);
    }
}

static void
ec2q_encode_fields(const ProtobufCMessage *msg, enum ec2q_dialect dialect,
                   struct ds *out)
{
    for (unsigned int i = 0; i < msg->descriptor->n_fields; i++) {
        ec2q_encode_field(msg, &msg->descriptor->fields[i], dialect, out);
    }
}

void
ec2q_encode_response(const char *action, const ProtobufCMessage *msg,
                     const char *request_id, enum ec2q_dialect dialect,
                     struct ds *out)
{
    ds_put_cstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (dialect == EC2Q_QUERY) {
        ds_put_format(out, "<%sResponse xmlns=\"%s\"><%sResult>", action,
                      EC2Q_ELBV2_XMLNS, action);
        if (msg) {
            ec2q_encode_fields(msg, dialect, out);
        }
        ds_put_format(out, "</%sResult><ResponseMetadata><RequestId>%s"
                      "</RequestId></ResponseMetadata></%sResponse>", action,
                      request_id, action);
        return;
    }
    ds_put_format(out, "<%sResponse xmlns=\"%s\"><requestId>%s</requestId>",
                  action, EC2Q_XMLNS, request_id);
    if (msg) {
        ec2q_encode_fields(msg, dialect, out);
    }
    ds_put_format(out, "</%sResponse>", action);
}

/* Appends the AWS Query error document of 'code' and 'message'. */
static void
ec2q_encode_query_error(const char *code, const char *message,
                        const char *request_id, struct ds *out)
{
    ds_put_format(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                  "<ErrorResponse xmlns=\"%s\"><Error><Type>Sender</Type>"
                  "<Code>", EC2Q_ELBV2_XMLNS);
    ec2q_put_xml_text(out, code);
    ds_put_cstr(out, "</Code><Message>");
    ec2q_put_xml_text(out, message);
    ds_put_format(out, "</Message></Error><RequestId>%s</RequestId>"
                  "</ErrorResponse>", request_id);
}

void
ec2q_encode_error(const char *code, const char *message,
                  const char *request_id, enum ec2q_dialect dialect,
                  struct ds *out)
{
    if (dialect == EC2Q_QUERY) {
        ec2q_encode_query_error(code, message, request_id, out);
        return;
    }
    ds_put_cstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<Response><Errors><Error><Code>");
    ec2q_put_xml_text(out, code);
    ds_put_cstr(out, "</Code><Message>");
    ec2q_put_xml_text(out, message);
    ds_put_format(out, "</Message></Error></Errors><RequestID>%s"
                  "</RequestID></Response>", request_id);
}
