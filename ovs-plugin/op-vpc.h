/*
 * op-vpc.h: the operations of the vpc area, as OP(AwsName, snake_name,
 * WRITES) rows for ops.h.
 */
#ifndef OP_VPC_H
#define OP_VPC_H 1

#define PL_OPS_VPC

#endif /* op-vpc.h */
