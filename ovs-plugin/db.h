/*
 * db.h: plinkd's housekeeping of the PrivateLink database.
 *
 * Like ovn-northd for OVN, plinkd keeps a few things in the database
 * right by itself: the PrivateLink_Global row and the region's
 * Availability Zones exist (created on first start), and
 * PrivateLink_Global:hv_cfg is the lowest cfg that every chassis has
 * realized.  Housekeeping uses the IDL's one transaction only when the
 * API does not.
 */
#ifndef DB_H
#define DB_H 1

#include <stdbool.h>

struct ovsdb_idl;

struct pldb *pldb_create(struct ovsdb_idl *, const char *region,
                         const char *remotes);
void pldb_destroy(struct pldb *);
void pldb_run(struct pldb *, bool may_start_txn);
bool pldb_has_txn(const struct pldb *);
void pldb_wait(struct pldb *);

#endif /* db.h */
