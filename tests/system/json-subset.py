#!/usr/bin/python3
"""json-subset.py A.json B.json KEY: checks that everything the AWS CLI
printed in A (under KEY) is the same in plctl's B.  The AWS CLI's model may
be older than plinkd's, so B may have more members; timestamps are compared
as times (the CLI reformats them)."""
import datetime
import json
import sys


def norm(v):
    if isinstance(v, str) and "T" in v and v.endswith(("Z", "+00:00")):
        try:
            return datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
        except ValueError:
            return v
    return v


def subset(a, b, path):
    if isinstance(a, dict):
        assert isinstance(b, dict), path
        for k, v in a.items():
            assert k in b, "%s.%s missing" % (path, k)
            subset(v, b[k], "%s.%s" % (path, k))
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            subset(x, y, "%s[%d]" % (path, i))
    else:
        assert norm(a) == norm(b), "%s: %r != %r" % (path, a, b)


a = json.load(open(sys.argv[1]))[sys.argv[3]]
b = json.load(open(sys.argv[2]))[sys.argv[3]]
assert a, "nothing to compare"
subset(a, b, sys.argv[3])
