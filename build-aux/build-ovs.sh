#!/bin/sh
# build-ovs.sh DIR: unpack Debian's openvswitch-source tarball into DIR and
# build the OVS libraries we link against (libopenvswitch), the way OVN builds
# against an OVS tree.  Idempotent: a finished build leaves DIR/.plink-stamp
# and is never rebuilt.
set -e
dir=${1:?usage: build-ovs.sh DIR}
tarball=/usr/src/openvswitch/openvswitch.tar.gz
if [ -f "$dir/.plink-stamp" ]; then
    exit 0
fi
if [ ! -f "$tarball" ]; then
    echo "build-ovs.sh: $tarball missing (apt-get install openvswitch-source)" >&2
    exit 1
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
stamp=$dir/.plink-stamp
echo "build-ovs.sh: building OVS libraries in $dir (about 80 s, once)"
tar xzf "$tarball" -C "$dir" --strip-components=1
cd "$dir"
./configure PYTHON3=/usr/bin/python3 --disable-libcapng --disable-afxdp \
    --enable-silent-rules >configure.log 2>&1 \
    || { tail -20 configure.log >&2; exit 1; }
printf 'print-%%:\n\t@echo $($*)\n' > print.mk
# Generated headers first: a parallel build of the library alone is racy.
make -j2 $(make -s -f Makefile -f print.mk print-BUILT_SOURCES) >build.log 2>&1 \
    || { tail -20 build.log >&2; exit 1; }
make -j2 lib/libopenvswitch.la >>build.log 2>&1 \
    || { tail -20 build.log >&2; exit 1; }
touch "$stamp"
echo "build-ovs.sh: done"
