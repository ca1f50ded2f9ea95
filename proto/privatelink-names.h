/*
 * privatelink-names.h: the EC2 wire names of protobuf fields.
 *
 * The fields of proto/privatelink.proto are named after the AWS JSON
 * members in snake_case; most EC2 Query keys and XML elements follow from
 * that name.  Where AWS uses another name (the botocore model's
 * locationName or queryName), the .proto annotates the field and the
 * build generates this table from the annotations.
 */
#ifndef PRIVATELINK_NAMES_H
#define PRIVATELINK_NAMES_H 1

#include <stddef.h>

/* The wire names of one field that differ from the defaults. */
struct pl_field_name {
    const char *message;        /* Full message name, "privatelink.v1.X". */
    const char *field;          /* Field name in the .proto. */
    const char *query;          /* EC2 Query key, or NULL for the default. */
    const char *xml;            /* XML element, or NULL for the default. */
    const char *json;           /* AWS JSON member, or NULL for the
                                 * default. */
};

extern const struct pl_field_name pl_field_names[];
extern const size_t pl_n_field_names;

#endif /* privatelink-names.h */
