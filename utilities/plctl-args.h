/*
 * plctl-args.h: turning AWS-CLI-style command-line options into a
 * protobuf request.
 *
 * Every field of an operation's request is an option named after it in
 * kebab-case, as the AWS CLI names them: "--vpc-id X", "--subnet-ids A B"
 * (a list takes every word up to the next option), "--dry-run" and
 * "--no-dry-run" for booleans, "--max-results 5", and for structures
 * either AWS's shorthand ("--filters Name=vpc-id,Values=vpc-1,vpc-2
 * Name=tag:Name,Values=x") or JSON ('[{"Name": "vpc-id", "Values": [...]}]').
 */
#ifndef PLCTL_ARGS_H
#define PLCTL_ARGS_H 1

#include <protobuf-c/protobuf-c.h>
#include "compiler.h"

char *plctl_args_parse(const ProtobufCMessageDescriptor *, int argc,
                       char *argv[], ProtobufCMessage **)
    OVS_WARN_UNUSED_RESULT;
void plctl_args_usage(const ProtobufCMessageDescriptor *);

#endif /* plctl-args.h */
