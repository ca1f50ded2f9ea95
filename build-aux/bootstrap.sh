#!/bin/sh
# bootstrap.sh: what a fresh clone needs before 'make' can run: the Debian
# packages, the cached OVS library build in _build/ovs, then autoreconf and
# configure.  Each step is skipped when already done.
set -e
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
build-aux/install-deps.sh
build-aux/build-ovs.sh "$top/_build/ovs"
if [ ! -x configure ] || [ configure.ac -nt configure ]; then
    autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
if [ ! -f Makefile ]; then
    ./configure --with-ovs="$top/_build/ovs" >/dev/null \
        || { echo "bootstrap.sh: configure failed, see config.log" >&2; exit 1; }
fi
