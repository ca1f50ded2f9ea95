/*
 * plctl-output.c: AWS-CLI-style JSON and table output (see
 * plctl-output.h).
 */
#include <config.h>
#include "plctl-output.h"

#include <string.h>

#include "openvswitch/dynamic-string.h"
#include "openvswitch/json.h"
#include "pb-reflect.h"
#include "util.h"

static void plctl_json_message(const ProtobufCMessage *, int indent,
                               struct ds *);

static void
plctl_indent(int indent, struct ds *out)
{
    ds_put_char_multiple(out, ' ', indent * 4);
}

/* Prints one value of 'fd' at 'elem'. */
static void
plctl_json_value(const ProtobufCFieldDescriptor *fd, const void *elem,
                 int indent, struct ds *out)
{
    if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
        plctl_json_message(*(ProtobufCMessage *const *) elem, indent, out);
    } else if (fd->type == PROTOBUF_C_TYPE_STRING) {
        const char *s = *(char *const *) elem;
        json_string_escape(s ? s : "", out);
    } else {
        pbr_format_scalar(fd, elem, out);
    }
}

/* Returns true if field 'fd' of 'msg' is printed: lists always, empty
 * strings and absent structures never. */
static bool
plctl_json_shown(const ProtobufCMessage *msg,
                 const ProtobufCFieldDescriptor *fd)
{
    return (pbr_is_repeated(fd)
            || (pbr_is_present(msg, fd)
                && !pbr_scalar_is_default(fd, pbr_elem(msg, fd, 0))));
}

static void
plctl_json_field(const ProtobufCMessage *msg,
                 const ProtobufCFieldDescriptor *fd, int indent,
                 struct ds *out)
{
    struct ds name = DS_EMPTY_INITIALIZER;
    pbr_json_name(msg->descriptor, fd, &name);
    plctl_indent(indent, out);
    ds_put_format(out, "\"%s\": ", ds_cstr(&name));
    ds_destroy(&name);

    if (!pbr_is_repeated(fd)) {
        plctl_json_value(fd, pbr_elem(msg, fd, 0), indent, out);
        return;
    }
    size_t n = pbr_count(msg, fd);
    if (!n) {
        ds_put_cstr(out, "[]");
        return;
    }
    ds_put_cstr(out, "[\n");
    for (size_t i = 0; i < n; i++) {
        plctl_indent(indent + 1, out);
        plctl_json_value(fd, pbr_elem(msg, fd, i), indent + 1, out);
        ds_put_cstr(out, i + 1 < n ? ",\n" : "\n");
    }
    plctl_indent(indent, out);
    ds_put_char(out, ']');
}

static void
plctl_json_message(const ProtobufCMessage *msg, int indent, struct ds *out)
{
    const ProtobufCMessageDescriptor *md = msg->descriptor;
    bool first = true;

    ds_put_char(out, '{');
    for (unsigned int i = 0; i < md->n_fields; i++) {
        if (plctl_json_shown(msg, &md->fields[i])) {
            ds_put_cstr(out, first ? "\n" : ",\n");
            plctl_json_field(msg, &md->fields[i], indent + 1, out);
            first = false;
        }
    }
    if (!first) {
        ds_put_char(out, '\n');
        plctl_indent(indent, out);
    }
    ds_put_char(out, '}');
}

void
plctl_output_json(const ProtobufCMessage *msg, struct ds *out)
{
    plctl_json_message(msg, 0, out);
    ds_put_char(out, '\n');
}

/* Appends the text of scalar field 'fd' of 'msg' (lists joined by ", "). */
static void
plctl_cell(const ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd,
           struct ds *out)
{
    size_t n = pbr_count(msg, fd);
    for (size_t i = 0; i < n; i++) {
        if (i) {
            ds_put_cstr(out, ", ");
        }
        pbr_format_scalar(fd, pbr_elem(msg, fd, i), out);
    }
}

/* Prints the 'n' messages of list 'fd' of 'msg' as a table: a header row
 * of member names and one row per message. */
static void
plctl_table_list(const ProtobufCMessage *msg,
                 const ProtobufCFieldDescriptor *fd, struct ds *out)
{
    const ProtobufCMessageDescriptor *md = fd->descriptor;
    size_t n = pbr_count(msg, fd);
    size_t n_cols = md->n_fields;
    struct ds *cells = xcalloc((n + 1) * n_cols, sizeof *cells);
    size_t *widths = xcalloc(n_cols, sizeof *widths);

    for (size_t c = 0; c < n_cols; c++) {
        ds_init(&cells[c]);
        pbr_json_name(md, &md->fields[c], &cells[c]);
    }
    for (size_t r = 0; r < n; r++) {
        const ProtobufCMessage *row
            = *(ProtobufCMessage *const *) pbr_elem(msg, fd, r);
        for (size_t c = 0; c < n_cols; c++) {
            struct ds *cell = &cells[(r + 1) * n_cols + c];
            ds_init(cell);
            if (md->fields[c].type != PROTOBUF_C_TYPE_MESSAGE) {
                plctl_cell(row, &md->fields[c], cell);
            }
        }
    }
    for (size_t i = 0; i < (n + 1) * n_cols; i++) {
        widths[i % n_cols] = MAX(widths[i % n_cols], cells[i].length);
    }
    for (size_t r = 0; r <= n; r++) {
        for (size_t c = 0; c < n_cols; c++) {
            if (md->fields[c].type == PROTOBUF_C_TYPE_MESSAGE) {
                continue;
            }
            ds_put_format(out, "%-*s  ", (int) widths[c],
                          ds_cstr(&cells[r * n_cols + c]));
        }
        while (out->length && out->string[out->length - 1] == ' ') {
            out->length--;
        }
        ds_put_char(out, '\n');
    }
    for (size_t i = 0; i < (n + 1) * n_cols; i++) {
        ds_destroy(&cells[i]);
    }
    free(cells);
    free(widths);
}

void
plctl_output_table(const ProtobufCMessage *msg, const char *title,
                   struct ds *out)
{
    const ProtobufCMessageDescriptor *md = msg->descriptor;
    struct ds name = DS_EMPTY_INITIALIZER;

    ds_put_format(out, "%s\n", title);
    for (unsigned int i = 0; i < md->n_fields; i++) {
        const ProtobufCFieldDescriptor *fd = &md->fields[i];
        pbr_json_name(msg->descriptor, fd, &name);
        if (fd->type == PROTOBUF_C_TYPE_MESSAGE && pbr_is_repeated(fd)) {
            ds_put_format(out, "\n%s\n", ds_cstr(&name));
            plctl_table_list(msg, fd, out);
        } else if (fd->type != PROTOBUF_C_TYPE_MESSAGE
                   && plctl_json_shown(msg, fd)) {
            ds_put_format(out, "%s: ", ds_cstr(&name));
            plctl_cell(msg, fd, out);
            ds_put_char(out, '\n');
        }
    }
    ds_destroy(&name);
}
