# tests/pipeline/dns.bash: DNS messages for the pipeline tests of the VPC
# resolver, sourced after vpc.bash.  (Named .bash so that
# tests/run-tests.sh does not run it as a test.)

# dns_query_hex SRC-MAC DST-MAC SRC-IP DST-IP SPORT ID NAME QTYPE: an
# Ethernet frame with a UDP DNS query to port 53 (recursion desired, one
# question of class IN), in hex for netdev-dummy/receive; checksums
# correct.
dns_query_hex() {
    /usr/bin/python3 - "$@" <<'PY'
import struct, sys
smac, dmac, sip, dip, sport, qid, name, qtype = sys.argv[1:9]
mac = lambda m: bytes(int(x, 16) for x in m.split(":"))
ip4 = lambda a: bytes(int(x) for x in a.split("."))
def csum(b):
    b += b"\0" * (len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
qname = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".") if l)
msg = struct.pack("!HHHHHH", int(qid), 0x0100, 1, 0, 0, 0) + qname + b"\0" \
    + struct.pack("!HH", int(qtype), 1)
udp = struct.pack("!HHHH", int(sport), 53, 8 + len(msg), 0) + msg
pseudo = ip4(sip) + ip4(dip) + struct.pack("!BBH", 0, 17, len(udp))
udp = udp[:6] + struct.pack("!H", csum(pseudo + udp)) + udp[8:]
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17,
                 0, ip4(sip), ip4(dip))
ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
print((mac(dmac) + mac(smac) + b"\x08\x00" + ip + udp).hex())
PY
}

# dns_decode PCAP DPORT: the last DNS answer to UDP port DPORT in PCAP, as
# one line: "SRC:53>DST:DPORT id=ID rcode=RCODE flags=FLAGS ttl=TTLS
# a=ADDRESSES csum=ok|bad", FLAGS among qr,aa,rd,ra, TTLS and ADDRESSES of
# the A records, sorted, comma-separated.
dns_decode() {
    /usr/bin/python3 - "$@" <<'PY'
import socket, struct, sys
data = open(sys.argv[1], "rb").read()
dport = int(sys.argv[2])
def csum(b):
    b += b"\0" * (len(b) % 2)
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def skip_name(m, p):
    while m[p]:
        if m[p] >= 0xc0:
            return p + 2
        p += m[p] + 1
    return p + 1
last = None
off = 24
while off + 16 <= len(data):
    incl = struct.unpack("<I", data[off + 8:off + 12])[0]
    pkt = data[off + 16:off + 16 + incl]
    off += 16 + incl
    if pkt[12:14] != b"\x08\x00" or pkt[23] != 17:
        continue
    ihl = (pkt[14] & 15) * 4
    ip = pkt[14:14 + ihl]
    udp = pkt[14 + ihl:14 + struct.unpack("!H", ip[2:4])[0]]
    if struct.unpack("!H", udp[2:4])[0] == dport:
        last = (ip, udp)
if not last:
    sys.exit("no answer to port %d" % dport)
ip, udp = last
pseudo = ip[12:20] + struct.pack("!BBH", 0, 17, len(udp))
ok = csum(ip[:20]) == 0 and csum(pseudo + udp) == 0
m = udp[8:]
qid, flags, qd, an = struct.unpack("!HHHH", m[:8])
p = 12
for _ in range(qd):
    p = skip_name(m, p) + 4
ttls, addrs = set(), []
for _ in range(an):
    p = skip_name(m, p)
    rtype, rclass, ttl, rdlen = struct.unpack("!HHIH", m[p:p + 10])
    p += 10
    if rtype == 1:
        ttls.add(str(ttl))
        addrs.append(socket.inet_ntoa(m[p:p + 4]))
    p += rdlen
names = [n for n, bit in (("qr", 0x8000), ("aa", 0x400), ("rd", 0x100),
                          ("ra", 0x80)) if flags & bit]
print("%s:%d>%s:%d id=%d rcode=%d flags=%s ttl=%s a=%s csum=%s" % (
    socket.inet_ntoa(ip[12:16]), struct.unpack("!H", udp[:2])[0],
    socket.inet_ntoa(ip[16:20]), dport, qid, flags & 15, ",".join(names),
    ",".join(sorted(ttls)), ",".join(sorted(addrs)), "ok" if ok else "bad"))
PY
}
