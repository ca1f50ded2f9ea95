/*
 * op-vpc.h: the operations of the vpc area, as OP(AwsName, snake_name,
 * WRITES) rows for ops.h: the VPC substrate that a user builds a topology
 * with before using PrivateLink (op-vpc.c, op-igw.c, op-subnet.c,
 * op-rtb.c, op-route.c, op-sg.c, op-sg-rule.c, op-eni.c, op-tags.c,
 * op-prefix.c).
 */
#ifndef OP_VPC_H
#define OP_VPC_H 1

#define PL_OPS_VPC                                                          \
    OP(CreateVpc, create_vpc, true)                                         \
    OP(DescribeVpcs, describe_vpcs, false)                                  \
    OP(DeleteVpc, delete_vpc, true)                                         \
    OP(ModifyVpcAttribute, modify_vpc_attribute, true)                      \
    OP(DescribeVpcAttribute, describe_vpc_attribute, false)                 \
    OP(CreateInternetGateway, create_internet_gateway, true)                \
    OP(AttachInternetGateway, attach_internet_gateway, true)                \
    OP(DetachInternetGateway, detach_internet_gateway, true)                \
    OP(DeleteInternetGateway, delete_internet_gateway, true)                \
    OP(DescribeInternetGateways, describe_internet_gateways, false)         \
    OP(CreateSubnet, create_subnet, true)                                   \
    OP(DescribeSubnets, describe_subnets, false)                            \
    OP(DeleteSubnet, delete_subnet, true)                                   \
    OP(CreateRouteTable, create_route_table, true)                          \
    OP(DescribeRouteTables, describe_route_tables, false)                   \
    OP(DeleteRouteTable, delete_route_table, true)                          \
    OP(AssociateRouteTable, associate_route_table, true)                    \
    OP(DisassociateRouteTable, disassociate_route_table, true)              \
    OP(CreateRoute, create_route, true)                                     \
    OP(ReplaceRoute, replace_route, true)                                   \
    OP(DeleteRoute, delete_route, true)                                     \
    OP(CreateSecurityGroup, create_security_group, true)                    \
    OP(DescribeSecurityGroups, describe_security_groups, false)             \
    OP(DeleteSecurityGroup, delete_security_group, true)                    \
    OP(AuthorizeSecurityGroupIngress, authorize_security_group_ingress,     \
       true)                                                                \
    OP(AuthorizeSecurityGroupEgress, authorize_security_group_egress, true) \
    OP(RevokeSecurityGroupIngress, revoke_security_group_ingress, true)     \
    OP(RevokeSecurityGroupEgress, revoke_security_group_egress, true)       \
    OP(CreateNetworkInterface, create_network_interface, true)              \
    OP(DescribeNetworkInterfaces, describe_network_interfaces, false)       \
    OP(DeleteNetworkInterface, delete_network_interface, true)              \
    OP(CreateTags, create_tags, true)                                       \
    OP(DeleteTags, delete_tags, true)                                       \
    OP(DescribeTags, describe_tags, false)                                  \
    OP(DescribePrefixLists, describe_prefix_lists, false)                   \
    OP(DescribeManagedPrefixLists, describe_managed_prefix_lists, false)    \
    OP(GetManagedPrefixListEntries, get_managed_prefix_list_entries, false)

#endif /* op-vpc.h */
