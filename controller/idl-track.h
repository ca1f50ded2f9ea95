/* SPDX-License-Identifier: Apache-2.0 */

#ifndef PLINK_IDL_TRACK_H
#define PLINK_IDL_TRACK_H 1

/* idl-track: what the modules that process the PrivateLink IDL's tracked
 * changes incrementally (flows-inc.c, dns.c) ask about a tracked row, and
 * a membership test for the column lists they and the main program keep. */

#include <stdbool.h>
#include <stddef.h>

struct ovsdb_idl_column;
struct ovsdb_idl_row;
struct ovsdb_idl_table_class;

bool idl_track_column_in(const struct ovsdb_idl_column *,
                         const struct ovsdb_idl_column *const columns[],
                         size_t n);
bool idl_track_is_new_or_deleted(const struct ovsdb_idl_row *);
bool idl_track_only_columns(const struct ovsdb_idl_table_class *,
                            const struct ovsdb_idl_row *,
                            const struct ovsdb_idl_column *const columns[],
                            size_t n);

#endif /* controller/idl-track.h */
