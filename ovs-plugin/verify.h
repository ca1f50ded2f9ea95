/*
 * verify.h: ownership verification of endpoint services' private DNS
 * names.
 *
 * A provider that gives its service a private DNS name ("api.example.com")
 * must prove it owns the domain: plinkd hands out a TXT record name and
 * value (Endpoint_Service:private_dns_verification_name and _value), and
 * the name is verified once a real DNS query finds that record.  As the
 * AWS guide says, the record may be at "_name.domain" or at the domain
 * itself, a parent domain verifies its subdomains, and values compare
 * exactly.  Checks run when StartVpcEndpointServicePrivateDnsVerification
 * asks (private_dns_checked_at is 0) and then every
 * PrivateLink_Global:options:verification_interval seconds (default 300),
 * against PrivateLink_Global:options:verification_resolver ("ip[:port]",
 * default: the system's resolver).  A verified name whose record goes away
 * becomes failed.
 *
 * Like the notifier, it has its own IDL connection (service DNS columns
 * and the global options only) and its own thread for the blocking DNS
 * queries.
 */
#ifndef VERIFY_H
#define VERIFY_H 1

#include <stdbool.h>

struct ds;

struct verify *verify_create(const char *db_remote);
void verify_destroy(struct verify *);
void verify_run(struct verify *);
void verify_wait(struct verify *);
void verify_get_status(const struct verify *, struct ds *);

/* The pure part, exposed for tests: does the TXT record 'value' found at
 * 'record_name' prove 'domain' for a service whose verification record is
 * 'vname' / 'vvalue'? */
bool verify_record_matches(const char *domain, const char *vname,
                           const char *vvalue, const char *record_name,
                           const char *value);

#endif /* verify.h */
