#!/usr/bin/python3
"""geneve-send.py: plays a Gateway Load Balancer towards an appliance.

Builds GENEVE datagrams (RFC 8926) the way AWS's Gateway Load Balancer
sends them: the 8-byte GENEVE header (Protocol Type 0x0800), the GWLB
options of class 0x0108 (type 1: endpoint id, 8 bytes; type 2: attachment
id, 8 bytes; type 3: flow cookie, 4 bytes) and an inner IPv4 packet with
no Ethernet header.  Sends them from UDP port 6081 (--from-port) to the
appliance, one at a time, and after each one waits for the appliance's
answer on port 6081 (--reply-port), printing one line per datagram:

    identical reply from IP:PORT    the same bytes came back
    different reply from IP:PORT    something else came back
    reply on source port PORT       the answer went to --from-port, not 6081
    no reply                        nothing within --timeout seconds

It exits 0 once every datagram was sent, whatever came back, so that a
test asserts on the output.  Options that break the datagram (--omit,
--geneve-version, --protocol-type, --inner-version, --truncate, --raw)
make the invalid inputs an appliance must drop; --fuzz N sends N random
mutations of the datagram without waiting for answers and prints
"sent N".  Only the Python 3 standard library is used.
"""
import argparse
import random
import select
import socket
import struct
import sys
import time

GWLB_CLASS = 0x0108
GWLB_ENDPOINT, GWLB_ATTACHMENT, GWLB_COOKIE = 1, 2, 3
PROTOS = {"tcp": 6, "udp": 17, "icmp": 1}


def checksum(data):
    """The Internet checksum (RFC 1071) of 'data'."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def l4_segment(args, src, dst):
    """The inner packet's transport header and payload, checksummed."""
    payload = args.payload.encode()
    proto = PROTOS[args.proto]
    if proto == 1:
        hdr = struct.pack("!BBHHH", 8, 0, 0, 0x1234, args.seq)
        csum = checksum(hdr + payload)
        return struct.pack("!BBHHH", 8, 0, csum, 0x1234, args.seq) + payload
    if proto == 6:
        hdr = struct.pack("!HHIIBBHHH", args.sport, args.dport, args.seq, 0,
                          5 << 4, 0x18, 65535, 0, 0)
    else:
        hdr = struct.pack("!HHHH", args.sport, args.dport,
                          8 + len(payload), 0)
    seg = hdr + payload
    pseudo = src + dst + struct.pack("!BBH", 0, proto, len(seg))
    csum = checksum(pseudo + seg) or 0xffff
    ofs = 16 if proto == 6 else 6
    return seg[:ofs] + struct.pack("!H", csum) + seg[ofs + 2:]


def inner_packet(args):
    """The inner IPv4 packet, with a valid header checksum."""
    src = socket.inet_aton(args.src)
    dst = socket.inet_aton(args.dst)
    seg = l4_segment(args, src, dst)
    hdr = struct.pack("!BBHHHBBH4s4s", (args.inner_version << 4) | 5, 0,
                      20 + len(seg), args.seq & 0xffff, 0, 64,
                      PROTOS[args.proto], 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    return hdr + seg


def geneve_option(opt_class, opt_type, data):
    """One GENEVE option: class, type, length in 4-byte words, data."""
    return struct.pack("!HBB", opt_class, opt_type, len(data) // 4) + data


def geneve_datagram(args):
    """The whole GENEVE payload of the UDP datagram."""
    opts = b""
    if "endpoint" not in args.omit:
        opts += geneve_option(GWLB_CLASS, GWLB_ENDPOINT,
                              struct.pack("!Q", args.endpoint))
    if "attachment" not in args.omit:
        opts += geneve_option(GWLB_CLASS, GWLB_ATTACHMENT,
                              struct.pack("!Q", args.attachment))
    if "cookie" not in args.omit:
        opts += geneve_option(GWLB_CLASS, GWLB_COOKIE,
                              struct.pack("!I", args.cookie))
    if args.extra_option:
        opts += geneve_option(0x0101, 0x42, b"\xde\xad\xbe\xef")
    if args.critical_option:
        opts += geneve_option(0x0101, 0xc2, b"\xde\xad\xbe\xef")
    flags = 0x40 if args.critical_bit else 0
    hdr = struct.pack("!BBHI", (args.geneve_version << 6) | (len(opts) // 4),
                      flags, args.protocol_type, args.vni << 8)
    return hdr + opts + inner_packet(args)


def mutate(data, rng):
    """A random mutation of 'data': truncated, bytes flipped, or both."""
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        pos = rng.randrange(len(data))
        data[pos] = rng.randrange(256)
    if rng.random() < 0.5:
        data = data[:rng.randrange(len(data) + 1)]
    return bytes(data) or b"\0"


def open_sockets(args):
    """The socket to send from and the one the answers come to."""
    send = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    send.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    send.bind((args.bind, args.from_port))
    if args.from_port == args.reply_port:
        return send, send
    recv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    recv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    recv.bind((args.bind, args.reply_port))
    return send, recv


def await_reply(args, send, recv, sent):
    """Waits for the answer to 'sent' and returns the line that says it."""
    deadline = time.monotonic() + args.timeout
    socks = [recv] if send is recv else [recv, send]
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return "no reply"
        ready, _, _ = select.select(socks, [], [], left)
        if not ready:
            return "no reply"
        data, (ip, port) = ready[0].recvfrom(65536)
        if ready[0] is not recv:
            return "reply on source port %d" % args.from_port
        word = "identical" if data == sent else "different"
        return "%s reply from %s:%d" % (word, ip, port)


def parse_args():
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--to", required=True, help="the appliance's IPv4 address")
    p.add_argument("--to-port", type=int, default=6081,
                   help="the appliance's UDP port (6081)")
    p.add_argument("--bind", default="0.0.0.0", help="local address")
    p.add_argument("--from-port", type=int, default=6081,
                   help="UDP source port of the datagrams (6081)")
    p.add_argument("--reply-port", type=int, default=6081,
                   help="where the answers are awaited (6081)")
    p.add_argument("--count", type=int, default=1,
                   help="datagrams to send, each awaiting its answer (1)")
    p.add_argument("--timeout", type=float, default=1.0,
                   help="seconds to wait for each answer (1.0)")
    p.add_argument("--vni", type=lambda s: int(s, 0), default=0x123456)
    p.add_argument("--endpoint", type=lambda s: int(s, 0),
                   default=0x0123456789abcdef, help="GWLB endpoint id")
    p.add_argument("--attachment", type=lambda s: int(s, 0),
                   default=0x1122334455667788, help="attachment id")
    p.add_argument("--cookie", type=lambda s: int(s, 0), default=0xc00c1e01,
                   help="flow cookie")
    p.add_argument("--omit", action="append", default=[],
                   choices=["endpoint", "attachment", "cookie"],
                   help="leave out this GWLB option (repeatable)")
    p.add_argument("--extra-option", action="store_true",
                   help="add a non-critical option of class 0x0101")
    p.add_argument("--critical-option", action="store_true",
                   help="add an unknown critical option of class 0x0101")
    p.add_argument("--critical-bit", action="store_true",
                   help="set the GENEVE header's C bit")
    p.add_argument("--proto", choices=sorted(PROTOS), default="tcp")
    p.add_argument("--src", default="10.1.0.5", help="inner source")
    p.add_argument("--dst", default="10.2.0.9", help="inner destination")
    p.add_argument("--sport", type=int, default=33000)
    p.add_argument("--dport", type=int, default=80)
    p.add_argument("--seq", type=int, default=1, help="TCP seq, IP id")
    p.add_argument("--payload", default="hello appliance")
    p.add_argument("--geneve-version", type=int, default=0, choices=range(4))
    p.add_argument("--protocol-type", type=lambda s: int(s, 0),
                   default=0x0800, help="GENEVE Protocol Type (0x0800)")
    p.add_argument("--inner-version", type=int, default=4,
                   help="the inner IP header's version field (4)")
    p.add_argument("--truncate", type=int,
                   help="send only the first N bytes of the datagram")
    p.add_argument("--raw", help="send these hex bytes instead")
    p.add_argument("--fuzz", type=int, metavar="N",
                   help="send N random mutations, await no answers")
    p.add_argument("--seed", type=int, default=1, help="--fuzz's seed")
    return p.parse_args()


def main():
    args = parse_args()
    send, recv = open_sockets(args)
    dest = (args.to, args.to_port)
    data = bytes.fromhex(args.raw) if args.raw else geneve_datagram(args)
    if args.truncate is not None:
        data = data[:args.truncate]

    if args.fuzz:
        rng = random.Random(args.seed)
        for _ in range(args.fuzz):
            send.sendto(mutate(data, rng), dest)
            time.sleep(0.002)
        time.sleep(0.2)     # Let late answers die with this process.
        print("sent %d" % args.fuzz)
        return 0

    for _ in range(args.count):
        send.sendto(data, dest)
        print(await_reply(args, send, recv, data), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
