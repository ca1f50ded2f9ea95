#!/usr/bin/python3
"""sign-request.py URL PATH CONTENT-TYPE BODY-FILE ACCESS-KEY SECRET:
prints a wrk Lua script that replays one SigV4-signed POST (region
us-east-1, service ec2).  plinkd accepts a signature for 15 minutes, which
is what a benchmark of a few seconds needs."""
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from sigv4 import sign_headers  # noqa: E402


def main():
    url, path, ctype, body_file, akid, secret = sys.argv[1:7]
    body = open(body_file, 'rb').read()
    host = urllib.parse.urlparse(url).netloc
    headers = sign_headers(host, path, ctype, body, akid, secret)
    lua_body = ''.join('\\%d' % b for b in body)
    print('wrk.method = "POST"')
    print('wrk.path = "%s"' % path)
    print('wrk.body = "%s"' % lua_body)
    for name in ('Content-Type', 'X-Amz-Date', 'Authorization'):
        print('wrk.headers["%s"] = "%s"' % (name, headers[name]))


main()
