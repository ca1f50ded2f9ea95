#!/bin/sh
# install-deps.sh: install, with apt-get, the Debian 12 packages that the
# build, the lab and the tests need, when any is missing.  Run as root.
set -e
pkgs="build-essential autoconf automake libtool pkg-config
      openvswitch-switch openvswitch-common openvswitch-source
      python3-openvswitch ovn-central ovn-host
      libevent-dev libprotobuf-c-dev protobuf-c-compiler libcmocka-dev
      libssl-dev awscli iproute2 ethtool tcpdump curl dnsmasq-base
      iputils-ping netcat-openbsd dnsutils procps valgrind bc wrk"
missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "install-deps.sh: missing packages:$missing (run as root)" >&2
    exit 1
fi
echo "install-deps.sh: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends $missing >/dev/null
