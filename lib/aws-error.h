/*
 * aws-error.h: AWS error codes and how each front reports them.
 *
 * Every operation fails with an AWS error code ("InvalidVpcID.NotFound")
 * and a message.  The EC2 Query front sends the code in EC2 error XML with
 * the HTTP status AWS uses; the Twirp front sends a Twirp error whose
 * "code" is the Twirp class and whose meta "aws_code" is the AWS code.
 */
#ifndef AWS_ERROR_H
#define AWS_ERROR_H 1

/* The HTTP status AWS answers 'code' with on the EC2 Query front: 400 for
 * client errors, 401/403 for authentication and authorization, 412 for
 * DryRunOperation, 5xx only for server-side failures. */
int aws_error_http_status(const char *code);

/* The Twirp error class ("invalid_argument", "not_found", ...) and its
 * HTTP status for 'code'. */
const char *aws_error_twirp_code(const char *code);
int aws_error_twirp_status(const char *twirp_code);

#endif /* aws-error.h */
