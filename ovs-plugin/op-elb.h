/*
 * op-elb.h: the operations of the elb area, as OP(AwsName, snake_name,
 * WRITES) rows for ops.h.
 */
#ifndef OP_ELB_H
#define OP_ELB_H 1

#define PL_OPS_ELB

#endif /* op-elb.h */
