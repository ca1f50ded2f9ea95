#!/usr/bin/python3
# tests/system/scale-endpoints.py DB ENDPOINT-ID SUBNET-ID N [GROUP-ID]: adds
# N interface endpoints to the PrivateLink database DB (e.g.
# unix:/tmp/lab/central/pl.sock), inserted directly, 1000 per transaction,
# for the scale tests and benchmarks.
#
# Each new endpoint is a copy of the existing endpoint ENDPOINT-ID (same
# service, state, security groups) with its own requester-managed ENI, a
# copy of that endpoint's first ENI, in subnet SUBNET-ID: addresses from
# the subnet's 10th on that no interface of the subnet holds yet (so that
# it can run again on the same subnet), MACs 0a:xx:xx:xx:xx:xx.  If
# SUBNET-ID is in another VPC than ENDPOINT-ID, the copies are in that
# VPC, with security group GROUP-ID (or none).  (plinkd's API allows 50
# endpoints per VPC; these inserts do not ask it.)  Every chassis where the
# VPC is local realizes them all.  Prints the number of endpoints inserted.
#
# (It speaks JSON-RPC to the unix socket itself: a transaction of 1000
# endpoints is too long for an ovsdb-client argument.)

import ipaddress
import json
import random
import socket
import sys


def rpc(sock, method, params):
    """Sends one JSON-RPC request on 'sock' and returns its result."""
    msg_id = random.getrandbits(31)
    sock.sendall(json.dumps({"method": method, "params": params,
                             "id": msg_id}).encode())
    buf = b""
    dec = json.JSONDecoder()
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            sys.exit("scale-endpoints: connection closed")
        buf += chunk
        while buf:
            try:
                msg, end = dec.raw_decode(buf.decode())
            except ValueError:
                break
            buf = buf.decode()[end:].lstrip().encode()
            if msg.get("method") == "echo":
                sock.sendall(json.dumps({"result": msg["params"],
                                         "error": None,
                                         "id": msg["id"]}).encode())
            elif msg.get("id") == msg_id:
                if msg.get("error"):
                    sys.exit("scale-endpoints: %s" % msg["error"])
                return msg["result"]


def select(sock, table, column, value):
    res = rpc(sock, "transact", ["PrivateLink", {
        "op": "select", "table": table,
        "where": [[column, "==", value]]}])
    rows = res[0].get("rows")
    if not rows:
        sys.exit("scale-endpoints: no %s %s" % (table, value))
    return rows[0]


def strip(row, drop):
    return {k: v for k, v in row.items()
            if not k.startswith("_") and k not in drop}


def main():
    db, ept_id, subnet_id, n = sys.argv[1:5]
    n = int(n)
    group = sys.argv[5] if len(sys.argv) > 5 else None
    batch = 1000
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(db[len("unix:"):])

    ept = select(sock, "Vpc_Endpoint", "vpc_endpoint_id", ept_id)
    enis = ept["network_interfaces"]
    first = enis[1] if enis[0] == "uuid" else enis[1][0][1]
    eni = rpc(sock, "transact", ["PrivateLink", {
        "op": "select", "table": "Network_Interface",
        "where": [["_uuid", "==", ["uuid", first]]]}])[0]["rows"][0]
    subnet = select(sock, "Subnet", "subnet_id", subnet_id)
    net = ipaddress.ip_network(subnet["cidr_block"])
    used = rpc(sock, "transact", ["PrivateLink", {
        "op": "select", "table": "Network_Interface",
        "where": [["subnet", "==", ["uuid", subnet["_uuid"][1]]]],
        "columns": ["private_ip_address"]}])[0]["rows"]
    used = {r["private_ip_address"] for r in used}
    free = [off for off in range(10, net.num_addresses - 1)
            if str(net.network_address + off) not in used]
    if n > len(free):
        sys.exit("scale-endpoints: %s has %d free addresses, not %d"
                 % (net, len(free), n))

    ept_base = strip(ept, {"vpc_endpoint_id", "network_interfaces",
                           "subnets", "dns_entries", "connection_id",
                           "client_token", "creation_timestamp", "tags",
                           "pending_cfg"})
    eni_base = strip(eni, {"network_interface_id", "subnet", "mac_address",
                           "private_ip_address", "chassis", "tags",
                           "description"})
    if subnet["vpc"] != ept["vpc"]:
        groups = ["set", []]
        if group:
            g = select(sock, "Security_Group", "group_id", group)
            groups = ["uuid", g["_uuid"][1]]
        ept_base.update({"vpc": subnet["vpc"], "security_groups": groups})
        eni_base["security_groups"] = groups
    tag = random.getrandbits(40)
    done = 0
    for start in range(0, n, batch):
        ops = ["PrivateLink"]
        for i in range(start, min(n, start + batch)):
            suffix = "%010x%07x" % (tag, i)
            name = "ni%d" % i
            off = free[i]
            row = dict(eni_base)
            row.update({
                "network_interface_id": "eni-" + suffix,
                "subnet": ["uuid", subnet["_uuid"][1]],
                "mac_address": "0a:%02x:%02x:%02x:%02x:%02x" % (
                    (tag >> 8) & 0xff, tag & 0xff, (off >> 16) & 0xff,
                    (off >> 8) & 0xff, off & 0xff),
                "private_ip_address": str(net.network_address + off),
                "description": "VPC Endpoint Interface vpce-" + suffix,
            })
            ops.append({"op": "insert", "table": "Network_Interface",
                        "uuid-name": name, "row": row})
            row = dict(ept_base)
            row.update({
                "vpc_endpoint_id": "vpce-" + suffix,
                "network_interfaces": ["named-uuid", name],
                "subnets": ["uuid", subnet["_uuid"][1]],
                "connection_id": "vpce-con-" + suffix,
                "creation_timestamp": 1700000000000 + i,
            })
            ops.append({"op": "insert", "table": "Vpc_Endpoint",
                        "row": row})
        res = rpc(sock, "transact", ops)
        for r in res:
            if "error" in r:
                sys.exit("scale-endpoints: %s" % json.dumps(r))
        done += (len(ops) - 1) // 2
    print(done)


main()
