#!/bin/bash
# tests/system/api-group-commit.sh: plinkd's group commit.  Writes that
# arrive together share one transaction, yet every call gets the answer it
# would get alone, in arrival order: of two creates of the same group name
# exactly one wins, a DryRun, an invalid call and a call that fails after
# writing leave nothing behind, a delete and a create of the same name agree
# on who came first, every created object is there in the describe calls
# that follow, each transaction bumps PrivateLink_Global:cfg once, and the
# counters show fewer transactions than calls.  plinkd runs under valgrind.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/api-harness.bash"
test_init api-group-commit
API_VALGRIND=1 api_lab_up

EC2=Version=2016-11-15
ELB=Version=2015-12-01

# burst: sends the requests on stdin ("PROFILE FORM-BODY" lines) all at
# once, one connection each; prints "STATUS BODY" per request, in order.
burst() {
    /usr/bin/python3 "$top_srcdir/tests/system/api-burst.py" "$API_URL" \
        "$LAB/credentials" 64
}

# counter NAME: the number after "NAME: " in plinkd's status.
counter() {
    ovs-appctl -t "$LAB/central/plinkd.ctl" status |
        sed -n "s/^$1: \([0-9]*\).*/\1/p"
}

# got N CODE|200: true if line N of $TEST_DIR/answers has HTTP status 200
# or names AWS error CODE.
got() {
    local line
    line=$(sed -n "$1p" "$TEST_DIR/answers")
    case $2 in
        200) [[ $line == "200 "* ]] ;;
        *) [[ $line == *"<Code>$2</Code>"* ]] ;;
    esac
}

# answer N CODE|200: like 'got', but fails the test if not; prints the
# line.
answer() {
    got "$1" "$2" ||
        fail "request $1: expected $2, got:" \
             "$(sed -n "$1p" "$TEST_DIR/answers" | cut -c1-300)"
    sed -n "$1p" "$TEST_DIR/answers"
}

# group_count NAME: the number of the provider's groups called NAME.
group_count() {
    ec2 provider describe-security-groups \
        --filters Name=group-name,Values="$1" --query 'length(SecurityGroups)'
}

# ---------------------------------------------------------------- setup
vpc=$(ec2 provider create-vpc --cidr-block 10.0.0.0/16 --query Vpc.VpcId) ||
    fail "create-vpc"
sub=$(ec2 provider create-subnet --vpc-id "$vpc" --cidr-block 10.0.0.0/20 \
          --availability-zone us-east-1a --query Subnet.SubnetId) ||
    fail "create-subnet"
old=$(ec2 provider create-security-group --vpc-id "$vpc" --group-name old \
          --description old --query GroupId) || fail "group old"
tg=$(aws_text provider elbv2 create-target-group --name tg --protocol TCP \
         --port 80 --vpc-id "$vpc" --target-type ip \
         --query 'TargetGroups[0].TargetGroupArn') || fail "target group"

# One RegisterTargets with one target more than a group may have: plinkd
# inserts the targets before it counts them, so the call fails after
# writing into the shared transaction.
too_many=$(/usr/bin/python3 -c '
print("&".join("Targets.member.%d.Id=10.0.%d.%d" % (i + 1, i // 200,
                                                   i % 200 + 10)
               for i in range(1001)))')
tg_q=$(/usr/bin/python3 -c '
import sys, urllib.parse
print(urllib.parse.quote(sys.argv[1], safe=""))' "$tg")

# 44 requests, numbered as in the comments: 5 that fail whatever the
# order, two creates of "dup" of which one must fail, a create of "old"
# that fails if it runs before the delete of "old", and 36 that succeed.
sg="Action=CreateSecurityGroup&$EC2&VpcId=$vpc"
vpc_tag="TagSpecification.1.ResourceType=vpc&TagSpecification.1.Tag.1.Key=Name"
{
    for i in $(seq 1 12); do
        echo "provider $sg&GroupName=g$i&GroupDescription=d"
    done
    echo "provider $sg&GroupName=dup&GroupDescription=first"            # 13
    echo "provider $sg&GroupName=dry&GroupDescription=d&DryRun=true"    # 14
    echo "provider Action=CreateVpc&$EC2&CidrBlock=10.1.0.0/33"         # 15
    echo "provider Action=RegisterTargets&$ELB&TargetGroupArn=$tg_q&$too_many"
    echo "provider $sg&GroupName=dup&GroupDescription=second"           # 17
    echo "consumer $sg&GroupName=theirs&GroupDescription=d"             # 18
    echo "provider Action=CreateTags&$EC2&ResourceId.1=vpc-0123456789abcdef0&Tag.1.Key=k"
    echo "provider Action=DeleteSecurityGroup&$EC2&GroupId=$old"        # 20
    echo "provider $sg&GroupName=old&GroupDescription=new"              # 21
    for i in $(seq 1 8); do  # 22..29
        echo "consumer Action=CreateVpc&$EC2&CidrBlock=10.$((i + 10)).0.0/16&$vpc_tag&TagSpecification.1.Tag.1.Value=c$i"
    done
    for i in $(seq 1 8); do  # 30..37
        echo "provider Action=CreateTags&$EC2&ResourceId.1=$vpc&Tag.1.Key=k$i&Tag.1.Value=v$i"
    done
    for i in $(seq 13 19); do  # 38..44
        echo "provider $sg&GroupName=g$i&GroupDescription=d"
    done
} >"$TEST_DIR/requests"
[ "$(wc -l <"$TEST_DIR/requests")" = 44 ] || fail "44 requests expected"

# ---------------------------------------------------------------- burst
# (At debug level, plinkd logs each call that failed after writing into a
# shared transaction, so that the others ran again without it.)
check ovs-appctl -t "$LAB/central/plinkd.ctl" vlog/set api:file:dbg
txns0=$(counter transactions)
cfg0=$(counter cfg)
calls0=$(counter calls)
burst <"$TEST_DIR/requests" >"$TEST_DIR/answers" || fail "api-burst.py"
txns=$(( $(counter transactions) - txns0 ))
calls=$(( $(counter calls) - calls0 ))
[ "$calls" = 44 ] || fail "plinkd answered $calls calls, not 44"

# Each successful answer's object is there in a describe that follows.
for i in $(seq 1 12) $(seq 38 44); do
    id=$(answer "$i" 200 | sed -n 's/.*<groupId>\(sg-[0-9a-f]*\)<.*/\1/p')
    [ -n "$id" ] || fail "request $i: no id"
    n=$((i <= 12 ? i : i - 25))
    check_output "g$n" ec2 provider describe-security-groups --group-ids "$id" \
        --query 'SecurityGroups[0].GroupName'
done
for i in $(seq 22 29); do
    id=$(answer "$i" 200 | sed -n 's/.*<vpcId>\(vpc-[0-9a-f]*\)<.*/\1/p')
    [ -n "$id" ] || fail "request $i: no id"
    check_output "c$((i - 21)) 10.$((i - 11)).0.0/16" aws_text consumer ec2 \
        describe-vpcs --vpc-ids "$id" \
        --query 'Vpcs[0].[Tags[?Key==`Name`].Value|[0],CidrBlock]'
done
# The VPCs that came in one transaction have distinct tunnel keys: each
# call saw the keys that the calls before it took.
[ -z "$(ovsdb-client -f csv --no-headings dump "$PL_DB" PrivateLink Vpc \
            tunnel_key | tail -n +2 | sort | uniq -d)" ] ||
    fail "VPC tunnel keys not unique"
for i in $(seq 30 37); do
    answer "$i" 200 >/dev/null
done
check_output "k1 k2 k3 k4 k5 k6 k7 k8" aws_words provider ec2 describe-tags \
    --filters Name=resource-id,Values="$vpc" --query 'sort(Tags[].Key)'

# Of the two creates of "dup", exactly one won, and the group that exists
# is the winner's.
if got 13 200; then
    winner=13 loser=17 desc=first
else
    winner=17 loser=13 desc=second
fi
id=$(answer $winner 200 | sed -n 's/.*<groupId>\(sg-[0-9a-f]*\)<.*/\1/p')
answer $loser InvalidGroup.Duplicate >/dev/null
check_output "$id $desc" aws_text provider ec2 describe-security-groups \
    --filters Name=group-name,Values=dup --query 'SecurityGroups[].[GroupId,Description]'

# The failed calls left nothing: no "dry" or "theirs" group, no VPC of the
# invalid block, no tag on the missing VPC, no target.
answer 14 DryRunOperation >/dev/null
answer 15 InvalidParameterValue >/dev/null
answer 16 TooManyTargets >/dev/null
answer 18 InvalidVpcID.NotFound >/dev/null
answer 19 InvalidVpcID.NotFound >/dev/null
check_output 0 group_count dry
check_output 0 group_count theirs
check_output 9 db_count Vpc
check_output 0 db_count Target
check_output 0 aws_text provider elbv2 describe-target-health \
    --target-group-arn "$tg" --query 'length(TargetHealthDescriptions)'

# The delete and the create of "old" agree on their order: the create
# succeeded if and only if it ran after the delete.
answer 20 200 >/dev/null
if got 21 200; then
    check_output 1 group_count old
else
    answer 21 InvalidGroup.Duplicate >/dev/null
    check_output 0 group_count old
fi
# 12 + 7 groups, dup, old or not, and the default group.
n_old=$(group_count old)
check_output $((21 + n_old)) ec2 provider describe-security-groups \
    --filters Name=vpc-id,Values="$vpc" --query 'length(SecurityGroups)'

# Fewer transactions than calls, each bumping cfg by one, and the chassis
# (none here) have realized the last one.
n_ok=$(grep -c '^200 ' "$TEST_DIR/answers")
echo "44 concurrent writes, $n_ok successful: $txns transactions" \
     "($(ovs-appctl -t "$LAB/central/plinkd.ctl" status | grep '^transactions'))"
[ "$txns" -ge 1 ] && [ "$txns" -lt "$n_ok" ] ||
    fail "$txns transactions for $n_ok successful writes"
check_output $((cfg0 + txns)) counter cfg
wait_until '[ "$(counter hv_cfg)" = "$(counter cfg)" ]'

check_no_warnings "$LAB/central/plinkd.log"
api_lab_down
api_lab_check_valgrind
