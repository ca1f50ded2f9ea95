/*
 * op-endpoint.h: the PrivateLink operations, as OP(AwsName, snake_name,
 * ACCESS) rows for ops.h.
 */
#ifndef OP_ENDPOINT_H
#define OP_ENDPOINT_H 1

#define PL_OPS_ENDPOINT                                                     \
    OP(CreateVpcEndpointServiceConfiguration,                               \
       create_vpc_endpoint_service_configuration, WRITES)                   \
    OP(ModifyVpcEndpointServiceConfiguration,                               \
       modify_vpc_endpoint_service_configuration, WRITES)                   \
    OP(DeleteVpcEndpointServiceConfigurations,                              \
       delete_vpc_endpoint_service_configurations, DELETES)                 \
    OP(DescribeVpcEndpointServiceConfigurations,                            \
       describe_vpc_endpoint_service_configurations, READS)                 \
    OP(ModifyVpcEndpointServicePayerResponsibility,                         \
       modify_vpc_endpoint_service_payer_responsibility, WRITES)            \
    OP(StartVpcEndpointServicePrivateDnsVerification,                       \
       start_vpc_endpoint_service_private_dns_verification, WRITES)         \
    OP(ModifyVpcEndpointServicePermissions,                                 \
       modify_vpc_endpoint_service_permissions, DELETES)                    \
    OP(DescribeVpcEndpointServicePermissions,                               \
       describe_vpc_endpoint_service_permissions, READS)                    \
    OP(DescribeVpcEndpointServices, describe_vpc_endpoint_services, READS)  \
    OP(CreateVpcEndpoint, create_vpc_endpoint, WRITES)                      \
    OP(ModifyVpcEndpoint, modify_vpc_endpoint, DELETES)                     \
    OP(DeleteVpcEndpoints, delete_vpc_endpoints, DELETES)                   \
    OP(DescribeVpcEndpoints, describe_vpc_endpoints, READS)                 \
    OP(DescribeVpcEndpointAssociations,                                     \
       describe_vpc_endpoint_associations, READS)                           \
    OP(AcceptVpcEndpointConnections,                                        \
       accept_vpc_endpoint_connections, WRITES)                             \
    OP(RejectVpcEndpointConnections,                                        \
       reject_vpc_endpoint_connections, DELETES)                            \
    OP(DescribeVpcEndpointConnections,                                      \
       describe_vpc_endpoint_connections, READS)                            \
    OP(CreateVpcEndpointConnectionNotification,                             \
       create_vpc_endpoint_connection_notification, WRITES)                 \
    OP(ModifyVpcEndpointConnectionNotification,                             \
       modify_vpc_endpoint_connection_notification, WRITES)                 \
    OP(DeleteVpcEndpointConnectionNotifications,                            \
       delete_vpc_endpoint_connection_notifications, DELETES)               \
    OP(DescribeVpcEndpointConnectionNotifications,                          \
       describe_vpc_endpoint_connection_notifications, READS)

#endif /* op-endpoint.h */
