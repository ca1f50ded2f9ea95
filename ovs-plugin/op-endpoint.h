/*
 * op-endpoint.h: the PrivateLink operations, as OP(AwsName, snake_name,
 * WRITES) rows for ops.h.
 */
#ifndef OP_ENDPOINT_H
#define OP_ENDPOINT_H 1

#define PL_OPS_ENDPOINT                                                 \
    OP(CreateVpcEndpointServiceConfiguration,                           \
       create_vpc_endpoint_service_configuration, true)                 \
    OP(ModifyVpcEndpointServiceConfiguration,                           \
       modify_vpc_endpoint_service_configuration, true)                 \
    OP(DeleteVpcEndpointServiceConfigurations,                          \
       delete_vpc_endpoint_service_configurations, true)                \
    OP(DescribeVpcEndpointServiceConfigurations,                        \
       describe_vpc_endpoint_service_configurations, false)             \
    OP(ModifyVpcEndpointServicePayerResponsibility,                     \
       modify_vpc_endpoint_service_payer_responsibility, true)          \
    OP(StartVpcEndpointServicePrivateDnsVerification,                   \
       start_vpc_endpoint_service_private_dns_verification, true)       \
    OP(ModifyVpcEndpointServicePermissions,                             \
       modify_vpc_endpoint_service_permissions, true)                   \
    OP(DescribeVpcEndpointServicePermissions,                           \
       describe_vpc_endpoint_service_permissions, false)                \
    OP(DescribeVpcEndpointServices, describe_vpc_endpoint_services, false) \
    OP(CreateVpcEndpoint, create_vpc_endpoint, true)                    \
    OP(ModifyVpcEndpoint, modify_vpc_endpoint, true)                    \
    OP(DeleteVpcEndpoints, delete_vpc_endpoints, true)                  \
    OP(DescribeVpcEndpoints, describe_vpc_endpoints, false)             \
    OP(DescribeVpcEndpointAssociations,                                 \
       describe_vpc_endpoint_associations, false)                       \
    OP(AcceptVpcEndpointConnections, accept_vpc_endpoint_connections, true) \
    OP(RejectVpcEndpointConnections, reject_vpc_endpoint_connections, true) \
    OP(DescribeVpcEndpointConnections, describe_vpc_endpoint_connections,  \
       false)                                                           \
    OP(CreateVpcEndpointConnectionNotification,                         \
       create_vpc_endpoint_connection_notification, true)               \
    OP(ModifyVpcEndpointConnectionNotification,                         \
       modify_vpc_endpoint_connection_notification, true)               \
    OP(DeleteVpcEndpointConnectionNotifications,                        \
       delete_vpc_endpoint_connection_notifications, true)              \
    OP(DescribeVpcEndpointConnectionNotifications,                      \
       describe_vpc_endpoint_connection_notifications, false)

#endif /* op-endpoint.h */
