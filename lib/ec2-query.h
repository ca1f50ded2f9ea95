/*
 * ec2-query.h: the EC2 Query protocol codec.
 *
 * The AWS CLI and SDKs speak EC2 as a form-encoded request
 * ("Action=X&Version=2016-11-15&VpcEndpointId.1=...") answered in XML in
 * the EC2 namespace.  This module turns a request's parameters into the
 * protobuf request message of the operation and a protobuf response into
 * the XML AWS sends, following reference/ec2-api.md §2: lists flattened
 * with 1-based indexes on input, wrapper elements with <item> children
 * (empty when the list is) on output.
 */
#ifndef EC2_QUERY_H
#define EC2_QUERY_H 1

#include <protobuf-c/protobuf-c.h>
#include "compiler.h"

struct ds;
struct shash;

/* The EC2 API version and XML namespace. */
#define EC2Q_VERSION "2016-11-15"
#define EC2Q_XMLNS "http://ec2.amazonaws.com/doc/2016-11-15/"

/* Elastic Load Balancing v2 speaks the AWS Query protocol, EC2's elder
 * sibling: lists are "Name.member.N" on input and <Name><member>...
 * on output, elements keep the members' PascalCase names, and answers
 * wrap their result in <ActionResult> and <ResponseMetadata>. */
#define EC2Q_ELBV2_VERSION "2015-12-01"
#define EC2Q_ELBV2_XMLNS \
    "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"

/* The two dialects of the protocol. */
enum ec2q_dialect {
    EC2Q_EC2,                   /* EC2: Name.N, <item>, lowerCamel. */
    EC2Q_QUERY,                 /* AWS Query (ELBv2): Name.member.N. */
};

/* Parses the form-encoded 'body' (application/x-www-form-urlencoded) into
 * 'params', a map from key to decoded value (malloc'd strings).  Returns
 * NULL or a malloc'd error message. */
char *ec2q_parse_form(const char *body, struct shash *params)
    OVS_WARN_UNUSED_RESULT;

/* Decodes the request parameters 'params' into a new message of type
 * 'md', ignoring "Action" and "Version".  On success returns NULL and
 * stores the message in '*msgp' (free with
 * protobuf_c_message_free_unpacked()).  On failure returns a malloc'd
 * message and stores the AWS error code ("UnknownParameter",
 * "InvalidParameterValue") in '*codep'. */
char *ec2q_decode(const ProtobufCMessageDescriptor *md,
                  const struct shash *params, enum ec2q_dialect,
                  ProtobufCMessage **msgp, const char **codep)
    OVS_WARN_UNUSED_RESULT;

/* Appends the XML response of operation 'action' carrying 'msg' and
 * 'request_id' to 'out'. */
void ec2q_encode_response(const char *action, const ProtobufCMessage *msg,
                          const char *request_id, enum ec2q_dialect,
                          struct ds *out);

/* Appends the EC2 error document for 'code' and 'message' to 'out'. */
void ec2q_encode_error(const char *code, const char *message,
                       const char *request_id, enum ec2q_dialect,
                       struct ds *out);

/* Appends 's' to 'out' with XML's special characters escaped. */
void ec2q_put_xml_text(struct ds *out, const char *s);

#endif /* ec2-query.h */
