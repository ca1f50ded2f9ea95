/*
 * op-elb.h: the operations of the Elastic Load Balancing v2 area, as
 * OP(AwsName, snake_name, ACCESS) rows for ops.h.  Their messages are
 * ELBv2's, generated into proto/elbv2.proto with the prefix "Elb".
 *
 * op-elb.c: load balancers; op-elb-listener.c: listeners;
 * op-elb-target.c: target groups and targets; op-elb-tags.c: tags.
 */
#ifndef OP_ELB_H
#define OP_ELB_H 1

#define PL_OPS_ELB                                                          \
    OP(ElbCreateLoadBalancer, elb_create_load_balancer, WRITES)             \
    OP(ElbDescribeLoadBalancers, elb_describe_load_balancers, READS)        \
    OP(ElbDeleteLoadBalancer, elb_delete_load_balancer, DELETES)            \
    OP(ElbDescribeLoadBalancerAttributes,                                   \
       elb_describe_load_balancer_attributes, READS)                        \
    OP(ElbModifyLoadBalancerAttributes,                                     \
       elb_modify_load_balancer_attributes, WRITES)                         \
    OP(ElbCreateListener, elb_create_listener, WRITES)                      \
    OP(ElbDescribeListeners, elb_describe_listeners, READS)                 \
    OP(ElbDeleteListener, elb_delete_listener, DELETES)                     \
    OP(ElbCreateTargetGroup, elb_create_target_group, WRITES)               \
    OP(ElbDescribeTargetGroups, elb_describe_target_groups, READS)          \
    OP(ElbDeleteTargetGroup, elb_delete_target_group, DELETES)              \
    OP(ElbDescribeTargetGroupAttributes,                                    \
       elb_describe_target_group_attributes, READS)                         \
    OP(ElbModifyTargetGroupAttributes,                                      \
       elb_modify_target_group_attributes, WRITES)                          \
    OP(ElbRegisterTargets, elb_register_targets, WRITES)                    \
    OP(ElbDeregisterTargets, elb_deregister_targets, DELETES)               \
    OP(ElbDescribeTargetHealth, elb_describe_target_health, READS)          \
    OP(ElbAddTags, elb_add_tags, WRITES)                                    \
    OP(ElbRemoveTags, elb_remove_tags, WRITES)                              \
    OP(ElbDescribeTags, elb_describe_tags, READS)

#endif /* op-elb.h */
