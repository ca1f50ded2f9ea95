/*
 * op-vpc.h: the operations of the vpc area, as OP(AwsName, snake_name,
 * ACCESS) rows for ops.h: the VPC substrate that a user builds a topology
 * with before using PrivateLink (op-vpc.c, op-igw.c, op-subnet.c,
 * op-rtb.c, op-route.c, op-sg.c, op-sg-rule.c, op-eni.c, op-tags.c,
 * op-prefix.c).
 */
#ifndef OP_VPC_H
#define OP_VPC_H 1

#define PL_OPS_VPC                                                          \
    OP(CreateVpc, create_vpc, WRITES)                                       \
    OP(DescribeVpcs, describe_vpcs, READS)                                  \
    OP(DeleteVpc, delete_vpc, DELETES)                                      \
    OP(ModifyVpcAttribute, modify_vpc_attribute, WRITES)                    \
    OP(DescribeVpcAttribute, describe_vpc_attribute, READS)                 \
    OP(CreateInternetGateway, create_internet_gateway, WRITES)              \
    OP(AttachInternetGateway, attach_internet_gateway, WRITES)              \
    OP(DetachInternetGateway, detach_internet_gateway, WRITES)              \
    OP(DeleteInternetGateway, delete_internet_gateway, DELETES)             \
    OP(DescribeInternetGateways, describe_internet_gateways, READS)         \
    OP(CreateSubnet, create_subnet, WRITES)                                 \
    OP(DescribeSubnets, describe_subnets, READS)                            \
    OP(DeleteSubnet, delete_subnet, DELETES)                                \
    OP(CreateRouteTable, create_route_table, WRITES)                        \
    OP(DescribeRouteTables, describe_route_tables, READS)                   \
    OP(DeleteRouteTable, delete_route_table, DELETES)                       \
    OP(AssociateRouteTable, associate_route_table, WRITES)                  \
    OP(DisassociateRouteTable, disassociate_route_table, DELETES)           \
    OP(CreateRoute, create_route, WRITES)                                   \
    OP(ReplaceRoute, replace_route, WRITES)                                 \
    OP(DeleteRoute, delete_route, DELETES)                                  \
    OP(CreateSecurityGroup, create_security_group, WRITES)                  \
    OP(DescribeSecurityGroups, describe_security_groups, READS)             \
    OP(DeleteSecurityGroup, delete_security_group, DELETES)                 \
    OP(AuthorizeSecurityGroupIngress,                                       \
       authorize_security_group_ingress, WRITES)                            \
    OP(AuthorizeSecurityGroupEgress,                                        \
       authorize_security_group_egress, WRITES)                             \
    OP(RevokeSecurityGroupIngress, revoke_security_group_ingress, DELETES)  \
    OP(RevokeSecurityGroupEgress, revoke_security_group_egress, DELETES)    \
    OP(CreateNetworkInterface, create_network_interface, WRITES)            \
    OP(DescribeNetworkInterfaces, describe_network_interfaces, READS)       \
    OP(DeleteNetworkInterface, delete_network_interface, DELETES)           \
    OP(CreateTags, create_tags, WRITES)                                     \
    OP(DeleteTags, delete_tags, WRITES)                                     \
    OP(DescribeTags, describe_tags, READS)                                  \
    OP(DescribePrefixLists, describe_prefix_lists, READS)                   \
    OP(DescribeManagedPrefixLists, describe_managed_prefix_lists, READS)    \
    OP(GetManagedPrefixListEntries, get_managed_prefix_list_entries, READS)

#endif /* op-vpc.h */
