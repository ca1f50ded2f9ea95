/* SPDX-License-Identifier: Apache-2.0 */

/* idl-track: helpers for the IDL's change tracking (idl-track.h). */

#include <config.h>

#include "idl-track.h"

#include "ovsdb-idl.h"
#include "ovsdb-idl-provider.h"

/* Returns true if 'column' is one of the 'n' 'columns'. */
bool
idl_track_column_in(const struct ovsdb_idl_column *column,
                    const struct ovsdb_idl_column *const columns[], size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (columns[i] == column) {
            return true;
        }
    }
    return false;
}

/* Returns true if the tracked 'row' was inserted or deleted since the
 * tracked changes were last cleared. */
bool
idl_track_is_new_or_deleted(const struct ovsdb_idl_row *row)
{
    return (ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_INSERT)
            || ovsdb_idl_row_get_seqno(row, OVSDB_IDL_CHANGE_DELETE));
}

/* Returns true if the tracked 'row', of table 'tc', was only modified,
 * and only in columns among the 'n' 'columns'. */
bool
idl_track_only_columns(const struct ovsdb_idl_table_class *tc,
                       const struct ovsdb_idl_row *row,
                       const struct ovsdb_idl_column *const columns[],
                       size_t n)
{
    if (idl_track_is_new_or_deleted(row)) {
        return false;
    }
    for (size_t i = 0; i < tc->n_columns; i++) {
        if (ovsdb_idl_track_is_updated(row, &tc->columns[i])
            && !idl_track_column_in(&tc->columns[i], columns, n)) {
            return false;
        }
    }
    return true;
}
