/*
 * policy.h: IAM policy documents as VPC endpoint policies use them.
 *
 * An endpoint policy is a resource policy attached to a VPC endpoint: it
 * decides which principals may perform which actions on which resources
 * through the endpoint.  This module checks that a document is one AWS
 * would accept (valid JSON, at most 20,480 characters, the elements a
 * policy needs, nothing it does not know).
 */
#ifndef POLICY_H
#define POLICY_H 1

#include "compiler.h"

/* The longest endpoint policy AWS accepts, in characters. */
#define POLICY_MAX_LEN 20480

/* The policies AWS attaches when none is given: gateway endpoints get the
 * 2008 form, interface endpoints the one without a Version. */
extern const char policy_default_gateway[];
extern const char policy_default_interface[];

char *policy_validate(const char *document) OVS_WARN_UNUSED_RESULT;

#endif /* policy.h */
