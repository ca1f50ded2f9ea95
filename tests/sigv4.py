"""tests/sigv4.py: SigV4 signing of a POST for the test and benchmark
scripts (region us-east-1, service ec2), as the AWS CLI signs it.
Imported by tests/system/api-burst.py and tests/bench/sign-request.py."""
import datetime
import hashlib
import hmac


def _hmac(key, msg):
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def sign_headers(host, path, ctype, body, akid, secret):
    """Returns the headers of a SigV4-signed POST of 'body' (bytes) to
    'path' on 'host', with Content-Type 'ctype'."""
    now = datetime.datetime.now(datetime.timezone.utc)
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
    key = _hmac(('AWS4' + secret).encode(), date)
    for part in ('us-east-1', 'ec2', 'aws4_request'):
        key = _hmac(key, part)
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return {
        'Content-Type': ctype,
        'X-Amz-Date': amz_date,
        'Authorization': ('AWS4-HMAC-SHA256 Credential=%s/%s, '
                          'SignedHeaders=%s, Signature=%s'
                          % (akid, scope, signed, signature)),
    }
