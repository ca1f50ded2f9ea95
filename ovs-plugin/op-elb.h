/*
 * op-elb.h: the operations of the Elastic Load Balancing v2 area, as
 * OP(AwsName, snake_name, WRITES) rows for ops.h.  Their messages are
 * ELBv2's, generated into proto/elbv2.proto with the prefix "Elb".
 *
 * op-elb.c: load balancers; op-elb-listener.c: listeners;
 * op-elb-target.c: target groups and targets; op-elb-tags.c: tags.
 */
#ifndef OP_ELB_H
#define OP_ELB_H 1

#define PL_OPS_ELB                                                          \
    OP(ElbCreateLoadBalancer, elb_create_load_balancer, true)               \
    OP(ElbDescribeLoadBalancers, elb_describe_load_balancers, false)        \
    OP(ElbDeleteLoadBalancer, elb_delete_load_balancer, true)               \
    OP(ElbDescribeLoadBalancerAttributes,                                   \
       elb_describe_load_balancer_attributes, false)                        \
    OP(ElbModifyLoadBalancerAttributes,                                     \
       elb_modify_load_balancer_attributes, true)                           \
    OP(ElbCreateListener, elb_create_listener, true)                        \
    OP(ElbDescribeListeners, elb_describe_listeners, false)                 \
    OP(ElbDeleteListener, elb_delete_listener, true)                        \
    OP(ElbCreateTargetGroup, elb_create_target_group, true)                 \
    OP(ElbDescribeTargetGroups, elb_describe_target_groups, false)          \
    OP(ElbDeleteTargetGroup, elb_delete_target_group, true)                 \
    OP(ElbDescribeTargetGroupAttributes,                                    \
       elb_describe_target_group_attributes, false)                         \
    OP(ElbModifyTargetGroupAttributes,                                      \
       elb_modify_target_group_attributes, true)                            \
    OP(ElbRegisterTargets, elb_register_targets, true)                      \
    OP(ElbDeregisterTargets, elb_deregister_targets, true)                  \
    OP(ElbDescribeTargetHealth, elb_describe_target_health, false)          \
    OP(ElbAddTags, elb_add_tags, true)                                      \
    OP(ElbRemoveTags, elb_remove_tags, true)                                \
    OP(ElbDescribeTags, elb_describe_tags, false)

#endif /* op-elb.h */
