#!/bin/bash
# plink-demo.sh: what "make demo" runs after building.  Starts a 2-chassis
# lab in /tmp/plink-lab (API on http://127.0.0.1:8780), shows it through
# plctl, the AWS CLI and ovs-ofctl, and says how to use it and stop it.
# The lab keeps running after the demo.

set -u -o pipefail
top=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
lab=$top/utilities/plink-lab
plctl=${PLCTL:-$top/utilities/plctl}
aws=/usr/bin/aws
dir=/tmp/plink-lab
port=8780
url=http://127.0.0.1:$port

# Only the lab's own variables: no stray credentials or profile.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE

if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
section() {
    printf '\n%s== %s%s\n' "$bold" "$*" "$plain"
}

# show CMD...: prints the command, then runs it.
show() {
    printf '$ %s\n' "$*"
    "$@"
}

section "Starting a lab with 2 chassis in $dir"
if [ -e "$dir/lab.conf" ]; then
    echo "(taking down the lab already in $dir)"
    "$lab" down --dir "$dir" || exit 1
fi
show "$lab" up --dir "$dir" --chassis 2 --api-port $port || exit 1
. "$dir/env"

section "The deployment, as the admin CLI sees it"
if [ ! -x "$plctl" ]; then
    echo "(plctl is not built: $plctl)"
elif ! show "$plctl" --endpoint-url "$url" --profile provider show; then
    echo "(plctl show failed: see above)"
fi

section "The EC2 API, through the real AWS CLI (signed with SigV4)"
if ! show "$aws" --endpoint-url "$url" --profile consumer ec2 describe-availability-zones --output table; then
    echo "(the AWS CLI call failed: see $dir/central/plinkd.log)"
fi

section "OpenFlow on chassis hv1 (first lines)"
printf '$ %s\n' "$lab exec hv1 -- ovs-ofctl -O OpenFlow15 --no-stats dump-flows br-int | head -12"
flows=$("$lab" exec --dir "$dir" hv1 -- ovs-ofctl -O OpenFlow15 --no-stats dump-flows br-int 2>&1)
printf '%s\n' "$flows" | head -12
echo "($(printf '%s\n' "$flows" | grep -c 'cookie=') flows on hv1's br-int)"

section "Using the lab"
cat <<EOF
The lab keeps running.  To use it from a shell:

    source $dir/env
    $aws --endpoint-url $url --profile consumer ec2 describe-availability-zones
    $aws --endpoint-url $url --profile consumer ec2 describe-vpc-endpoint-services
    $aws --endpoint-url $url --profile provider ec2 describe-vpc-endpoint-service-configurations
    $plctl --endpoint-url $url --profile provider show
    $lab status
    $lab exec hv1 -- ovs-vsctl show
    $lab exec hv1 -- ovs-ofctl -O OpenFlow15 dump-flows br-int
    $lab exec hv2 -- ping -c1 192.168.77.1

Profiles "provider" (account 111111111111) and "consumer" (222222222222)
are in $dir/credentials; add one with:
    $lab account-add 333333333333 third

To stop it:

    $lab down
EOF
