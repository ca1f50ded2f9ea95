/*
 * Copyright (c) 2026 OVS PrivateLink authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at:
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

#ifndef PLINK_ID_H
#define PLINK_ID_H 1

/* AWS-style resource identifiers and other random names.
 *
 * Every object plinkd creates gets an id in AWS's form: a type prefix, a
 * dash and 17 lower-case hex digits ("vpce-0a1b2c3d4e5f60718",
 * "vpce-svc-...", "vpc-...").  Older AWS ids have 8 hex digits, and clients
 * may still send those, so plink_id_valid() accepts both lengths.  The
 * module also makes the UUIDs EC2 returns as requestId and the random
 * alphanumeric strings used in DNS names and access keys.
 *
 * All randomness comes from OpenSSL's RAND_bytes(). */

#include <stdbool.h>
#include <stddef.h>

/* Number of hex digits in the ids plink_id_new() makes. */
enum { PLINK_ID_HEX_LEN = 17 };

char *plink_id_new(const char *prefix);
bool plink_id_valid(const char *id, const char *prefix);
char *plink_id_request_id(void);
char *plink_id_random_alnum(size_t n, bool upper);
void plink_id_random_bytes(void *, size_t);

#endif /* plink-id.h */
