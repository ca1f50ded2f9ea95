#!/usr/bin/python3
"""proto-names.py PROTO...: emits C for the table of wire names of the fields
of PROTO whose EC2 Query key or XML element differs from the default.

A field's defaults come from its name, which is the snake_case of the AWS
JSON member name: "vpc_endpoint_ids" is "VpcEndpointIds" in JSON and on
the EC2 Query wire and "vpcEndpointIds" in XML.  A trailing comment on the
field overrides them, as the botocore model's locationName does:

    repeated string zone_names = 1;  // query:ZoneName
    repeated AvailabilityZone availability_zones = 1;  // xml:availabilityZoneInfo
"""
import re
import sys

MSG_RE = re.compile(r'^\s*message\s+(\w+)\s*\{')
FIELD_RE = re.compile(r'^\s*(?:repeated\s+|optional\s+)?[\w.]+\s+(\w+)\s*=\s*\d+\s*;'
                      r'\s*(?://(.*))?$')
ANN_RE = re.compile(r'\b(query|xml|json):([\w.]+)')


def main():
    rows = []
    for path in sys.argv[1:]:
        rows += parse(path)
    emit(rows)


def parse(path):
    package = ''
    stack = []
    rows = []
    for line in open(path):
        m = re.match(r'^\s*package\s+([\w.]+)\s*;', line)
        if m:
            package = m.group(1)
            continue
        m = MSG_RE.match(line)
        if m:
            stack.append(m.group(1))
            continue
        if re.match(r'^\s*\}', line) and stack:
            stack.pop()
            continue
        m = FIELD_RE.match(line)
        if m and stack and m.group(2):
            ann = dict(ANN_RE.findall(m.group(2)))
            if ann:
                rows.append(('%s.%s' % (package, '.'.join(stack)), m.group(1),
                             ann.get('query'), ann.get('xml'),
                             ann.get('json')))
    return rows


def emit(rows):
    print('/* Generated from %s by build-aux/proto-names.py.  Do not edit. */'
          % ' '.join(p.split('/')[-1] for p in sys.argv[1:]))
    print('#include <stddef.h>')
    print('#include "proto/privatelink-names.h"')
    print('const struct pl_field_name pl_field_names[] = {')
    for msg, field, query, xml, json in rows:
        q = '"%s"' % query if query else 'NULL'
        x = '"%s"' % xml if xml else 'NULL'
        j = '"%s"' % json if json else 'NULL'
        print('    { "%s", "%s", %s, %s, %s },' % (msg, field, q, x, j))
    print('};')
    print('const size_t pl_n_field_names = %d;' % len(rows))


main()
