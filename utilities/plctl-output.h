/*
 * plctl-output.h: printing protobuf responses the way the AWS CLI does.
 *
 * JSON uses the AWS member names ("VpcEndpoints", "VpcEndpointId") in the
 * order of the response, four spaces of indentation, as `aws --output
 * json` prints.  Tables print each list of structures as rows, one column
 * per scalar member.
 */
#ifndef PLCTL_OUTPUT_H
#define PLCTL_OUTPUT_H 1

#include <protobuf-c/protobuf-c.h>

struct ds;

void plctl_output_json(const ProtobufCMessage *, struct ds *);
void plctl_output_table(const ProtobufCMessage *, const char *title,
                        struct ds *);

#endif /* plctl-output.h */
