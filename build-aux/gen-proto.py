#!/usr/bin/python3
"""gen-proto.py: writes proto/ec2.proto and proto/elbv2.proto, the protobuf
messages of the AWS operations plinkd serves, from the botocore service
models that Debian's awscli ships, and the rpc list of
proto/privatelink.proto (between its BEGIN/END GENERATED RPCS markers).

Run it by hand ("make proto-regen") when an operation is added; its output
is committed, so the build does not depend on the model.

Naming (see the head of proto/privatelink.proto): a field is the snake_case
of the AWS member name; where the wire key or XML element differs from what
that name implies, a trailing comment says so ("// query:VpcEndpointId",
"// xml:vpcEndpointSet"), taken from the model's queryName/locationName.
Every scalar is proto2 "optional", so that "not given" and "false" differ,
as they do for AWS.
"""
import json
import keyword
import os
import re
import sys

import glob
import gzip

# The newest botocore model on the machine: pip's botocore when present
# (it has DescribeVpcEndpointAssociations), else Debian's awscli.
MODEL_DIRS = sorted(glob.glob('/root/.pyenv/versions/*/lib/python3*/'
                              'site-packages/botocore/data')) + [
    '/usr/lib/python3/dist-packages/awscli/botocore/data']


def load_model(service, version):
    for d in MODEL_DIRS:
        for name in ('service-2.json.gz', 'service-2.json'):
            path = '%s/%s/%s/%s' % (d, service, version, name)
            if os.path.exists(path):
                opener = gzip.open if path.endswith('.gz') else open
                return json.load(opener(path, 'rt'))
    sys.exit('gen-proto.py: no botocore model for %s' % service)

EC2_OPS = """
AcceptVpcEndpointConnections AssociateRouteTable AttachInternetGateway
AuthorizeSecurityGroupEgress AuthorizeSecurityGroupIngress CreateInternetGateway
CreateNetworkInterface CreateRoute CreateRouteTable CreateSecurityGroup
CreateSubnet CreateTags CreateVpc CreateVpcEndpoint
CreateVpcEndpointConnectionNotification CreateVpcEndpointServiceConfiguration
DeleteInternetGateway DeleteNetworkInterface DeleteRoute DeleteRouteTable
DeleteSecurityGroup DeleteSubnet DeleteTags DeleteVpc
DeleteVpcEndpointConnectionNotifications DeleteVpcEndpointServiceConfigurations
DeleteVpcEndpoints DescribeAvailabilityZones DescribeInternetGateways
DescribeManagedPrefixLists DescribeNetworkInterfaces DescribePrefixLists
DescribeRouteTables DescribeSecurityGroups DescribeSubnets DescribeTags
DescribeVpcAttribute DescribeVpcEndpointAssociations
DescribeVpcEndpointConnectionNotifications DescribeVpcEndpointConnections
DescribeVpcEndpointServiceConfigurations DescribeVpcEndpointServicePermissions
DescribeVpcEndpointServices DescribeVpcEndpoints DescribeVpcs
DetachInternetGateway DisassociateRouteTable GetManagedPrefixListEntries
ModifyVpcAttribute ModifyVpcEndpoint ModifyVpcEndpointConnectionNotification
ModifyVpcEndpointServiceConfiguration ModifyVpcEndpointServicePayerResponsibility
ModifyVpcEndpointServicePermissions RejectVpcEndpointConnections ReplaceRoute
RevokeSecurityGroupEgress RevokeSecurityGroupIngress
StartVpcEndpointServicePrivateDnsVerification
""".split()

ELBV2_OPS = """
AddTags CreateListener CreateLoadBalancer CreateTargetGroup DeleteListener
DeleteLoadBalancer DeleteTargetGroup DeregisterTargets DescribeListeners
DescribeLoadBalancerAttributes DescribeLoadBalancers DescribeTags
DescribeTargetGroupAttributes DescribeTargetGroups DescribeTargetHealth
ModifyLoadBalancerAttributes ModifyTargetGroupAttributes RegisterTargets
RemoveTags
""".split()

SCALARS = {'string': 'string', 'boolean': 'bool', 'integer': 'int32',
           'long': 'int64', 'double': 'double', 'float': 'double',
           'timestamp': 'string', 'blob': 'bytes'}


def snake(name):
    s = re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', name)
    s = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', s)
    s = s.lower()
    if keyword.iskeyword(s) or s in ('return', 'default', 'case', 'switch',
                                     'auto', 'register', 'signed', 'type'):
        s += '_'
    return s


def camel(s, upper):
    out, up = [], upper
    for c in s:
        if c == '_':
            up = True
        else:
            out.append(c.upper() if up else c)
            up = False
    return ''.join(out)


class Generator:
    def __init__(self, model, ops, prefix, dialect):
        self.model = model
        self.shapes = model['shapes']
        self.ops = ops
        self.prefix = prefix            # Message name prefix ("Elb").
        self.dialect = dialect          # "ec2" or "query".
        self.messages = {}              # Shape name -> message name.
        self.order = []                 # Shapes to emit, in order.
        self.out = []

    def msg_name(self, shape):
        return self.messages.setdefault(shape, self.prefix + shape)

    def visit(self, shape):
        if shape in self.order:
            return
        self.order.append(shape)
        for m in self.shapes[shape].get('members', {}).values():
            target = self.shapes[m['shape']]
            if target['type'] == 'list':
                target = self.shapes[target['member']['shape']]
                inner = self.shapes[m['shape']]['member']['shape']
            else:
                inner = m['shape']
            if target['type'] == 'structure':
                self.msg_name(inner)
                self.visit(inner)

    def field_type(self, ref):
        shape = self.shapes[ref['shape']]
        if shape['type'] == 'list':
            member = shape['member']['shape']
            return 'repeated', self.elem_type(member), shape
        return 'optional', self.elem_type(ref['shape']), None

    def elem_type(self, shape_name):
        shape = self.shapes[shape_name]
        if shape['type'] == 'structure':
            return self.msg_name(shape_name)
        if shape['type'] == 'map':
            return 'string'
        return SCALARS[shape['type']]

    def annotations(self, name, ref, list_shape):
        field = snake(name)
        ann = []
        if camel(field, True) != name:
            ann.append('json:%s' % name)
        if self.dialect == 'ec2':
            key = ref.get('queryName') or (
                ref['locationName'][0].upper() + ref['locationName'][1:]
                if 'locationName' in ref else name)
            xml = ref.get('locationName', name)
            if key != camel(field, True):
                ann.append('query:%s' % key)
            if xml != camel(field, False):
                ann.append('xml:%s' % xml)
        else:
            key = ref.get('locationName', name)
            if key != camel(field, True):
                ann.append('query:%s' % key)
            if key != camel(field, True):
                ann.append('xml:%s' % key)
        return field, ann

    def emit_message(self, msg, shape_name):
        shape = self.shapes.get(shape_name, {'members': {}})
        self.out.append('message %s {' % msg)
        for i, (name, ref) in enumerate(shape.get('members', {}).items(), 1):
            label, typ, list_shape = self.field_type(ref)
            field, ann = self.annotations(name, ref, list_shape)
            line = '  %s %s %s = %d;' % (label, typ, field, i)
            if ann:
                line += '  // ' + ' '.join(ann)
            self.out.append(line)
        if not shape.get('members') and msg.endswith('Response'):
            self.out.append('  optional bool return_ = 1;  // json:Return')
        self.out.append('}')
        self.out.append('')

    def generate(self):
        for op in self.ops:
            o = self.model['operations'][op]
            req = o['input']['shape']
            self.messages[req] = self.prefix + op + 'Request'
            self.visit(req)
            if 'output' in o:
                res = o['output']['shape']
                self.messages[res] = self.prefix + op + 'Response'
                self.visit(res)
        for shape in self.order:
            self.emit_message(self.messages[shape], shape)
        for op in self.ops:
            if 'output' not in self.model['operations'][op]:
                self.emit_message(self.prefix + op + 'Response', None)
        return self.out

    def rpcs(self):
        lines = []
        for op in self.ops:
            lines.append('  rpc %s%s(%s%sRequest) returns (%s%sResponse);'
                         % (self.prefix, op, self.prefix, op, self.prefix, op))
        return lines


HEADER = """// %s: GENERATED by build-aux/gen-proto.py from the botocore model
// of %s (%s).  Do not edit: run "make proto-regen".
syntax = "proto2";

package privatelink.v1;

"""


def write(path, text):
    with open(path + '.tmp', 'w') as f:
        f.write(text)
    os.rename(path + '.tmp', path)


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else '.'
    ec2 = load_model('ec2', '2016-11-15')
    elb = load_model('elbv2', '2015-12-01')
    g1 = Generator(ec2, EC2_OPS, '', 'ec2')
    g2 = Generator(elb, ELBV2_OPS, 'Elb', 'query')
    write(top + '/proto/ec2.proto',
          HEADER % ('ec2.proto', 'Amazon EC2', 'EC2 Query protocol')
          + '\n'.join(g1.generate()))
    write(top + '/proto/elbv2.proto',
          HEADER % ('elbv2.proto', 'Elastic Load Balancing v2',
                    'AWS Query protocol') + '\n'.join(g2.generate()))

    path = top + '/proto/privatelink.proto'
    text = open(path).read()
    begin = '  // BEGIN GENERATED RPCS\n'
    end = '  // END GENERATED RPCS\n'
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    rpcs = '\n'.join(g1.rpcs() + g2.rpcs()) + '\n'
    write(path, head + begin + rpcs + end + tail)


main()
