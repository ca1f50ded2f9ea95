#!/usr/bin/python3
"""sign-request.py URL PATH CONTENT-TYPE BODY-FILE ACCESS-KEY SECRET:
prints a wrk Lua script that replays one SigV4-signed POST (region
us-east-1, service ec2).  plinkd accepts a signature for 15 minutes, which
is what a benchmark of a few seconds needs."""
import datetime
import hashlib
import hmac
import sys
import urllib.parse


def sign(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def main():
    url, path, ctype, body_file, akid, secret = sys.argv[1:7]
    body = open(body_file, 'rb').read()
    host = urllib.parse.urlparse(url).netloc
    now = datetime.datetime.utcnow()
    amz_date = now.strftime('%Y%m%dT%H%M%SZ')
    date = now.strftime('%Y%m%d')
    signed = 'content-type;host;x-amz-date'
    canonical = '\n'.join([
        'POST', path, '',
        'content-type:%s' % ctype, 'host:%s' % host,
        'x-amz-date:%s' % amz_date, '', signed,
        hashlib.sha256(body).hexdigest()])
    scope = '%s/us-east-1/ec2/aws4_request' % date
    to_sign = '\n'.join(['AWS4-HMAC-SHA256', amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    k = sign(('AWS4' + secret).encode(), date)
    for part in ('us-east-1', 'ec2', 'aws4_request'):
        k = sign(k, part)
    signature = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
    auth = ('AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, '
            'Signature=%s' % (akid, scope, signed, signature))
    lua_body = ''.join('\\%d' % b for b in body)
    print('wrk.method = "POST"')
    print('wrk.path = "%s"' % path)
    print('wrk.body = "%s"' % lua_body)
    print('wrk.headers["Content-Type"] = "%s"' % ctype)
    print('wrk.headers["X-Amz-Date"] = "%s"' % amz_date)
    print('wrk.headers["Authorization"] = "%s"' % auth)


main()
