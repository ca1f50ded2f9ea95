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

/* AWS-style ids: see plink-id.h.  Ids name rows in the PrivateLink
 * database and appear in every API response, so they must be unique in
 * practice (17 hex digits give 68 random bits) and must never be mistaken
 * for an id of another type. */

#include <config.h>
#include "plink-id.h"

#include <stdint.h>
#include <string.h>

#include <openssl/rand.h>

#include "util.h"

static const char plink_id_hex_digits[] = "0123456789abcdef";

/* Fills the 'n' bytes at 'p' with cryptographically strong random bytes.
 * Aborts the program if the random number generator fails, since no id we
 * could make without it would be safe to hand out. */
void
plink_id_random_bytes(void *p, size_t n)
{
    if (n && RAND_bytes(p, n) != 1) {
        ovs_abort(0, "RAND_bytes failed: no random numbers available");
    }
}

/* Returns a new id made of 'prefix', a dash and PLINK_ID_HEX_LEN random
 * lower-case hex digits, e.g. plink_id_new("vpce") might return
 * "vpce-0a1b2c3d4e5f60718".  The caller must free the result. */
char *
plink_id_new(const char *prefix)
{
    uint8_t bytes[(PLINK_ID_HEX_LEN + 1) / 2];
    size_t prefix_len = strlen(prefix);
    char *id = xmalloc(prefix_len + 1 + PLINK_ID_HEX_LEN + 1);
    char *p = id;

    plink_id_random_bytes(bytes, sizeof bytes);
    memcpy(p, prefix, prefix_len);
    p += prefix_len;
    *p++ = '-';
    for (size_t i = 0; i < PLINK_ID_HEX_LEN; i++) {
        uint8_t b = bytes[i / 2];
        *p++ = plink_id_hex_digits[i % 2 ? b & 15 : b >> 4];
    }
    *p = '\0';
    return id;
}

/* Returns true if 'id' is a well-formed id of type 'prefix': 'prefix', a
 * dash, and exactly 8 or 17 lower-case hex digits.
 *
 * Since the part after the dash must be all hex digits, an id whose type
 * merely starts with 'prefix' is rejected: "vpce-svc-0123456789abcdef0" is
 * not a "vpce" id, because "svc-..." is not hex. */
bool
plink_id_valid(const char *id, const char *prefix)
{
    size_t prefix_len = strlen(prefix);

    if (!id || strncmp(id, prefix, prefix_len) || id[prefix_len] != '-') {
        return false;
    }

    const char *hex = id + prefix_len + 1;
    size_t hex_len = strlen(hex);
    return ((hex_len == 8 || hex_len == PLINK_ID_HEX_LEN)
            && strspn(hex, plink_id_hex_digits) == hex_len);
}

/* Returns a new random (version 4) UUID in its usual text form, 8-4-4-4-12
 * lower-case hex digits, e.g. "f9a6d3f0-4a8e-4b8c-9f5e-2c1d0b7a6e3f", as
 * EC2 uses for the requestId of each response.  The caller must free the
 * result. */
char *
plink_id_request_id(void)
{
    uint8_t b[16];

    plink_id_random_bytes(b, sizeof b);
    b[6] = (b[6] & 0x0f) | 0x40;    /* Version 4: random. */
    b[8] = (b[8] & 0x3f) | 0x80;    /* Variant: RFC 4122. */

    char *s = xmalloc(37);
    char *p = s;
    for (size_t i = 0; i < sizeof b; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            *p++ = '-';
        }
        *p++ = plink_id_hex_digits[b[i] >> 4];
        *p++ = plink_id_hex_digits[b[i] & 15];
    }
    *p = '\0';
    return s;
}

/* Returns a new string of 'n' random characters drawn uniformly from the
 * digits and the lower-case letters, or the upper-case letters if 'upper'
 * is true.  Used for DNS name suffixes and for access keys.  The caller
 * must free the result. */
char *
plink_id_random_alnum(size_t n, bool upper)
{
    const char *alphabet = (upper
                            ? "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            : "0123456789abcdefghijklmnopqrstuvwxyz");
    char *s = xmalloc(n + 1);
    size_t i = 0;

    while (i < n) {
        uint8_t buf[64];

        plink_id_random_bytes(buf, sizeof buf);
        for (size_t j = 0; j < sizeof buf && i < n; j++) {
            /* 252 is the largest multiple of 36 that fits in a byte;
             * rejecting bytes above it keeps the choice uniform. */
            if (buf[j] < 252) {
                s[i++] = alphabet[buf[j] % 36];
            }
        }
    }
    s[n] = '\0';
    return s;
}
