#!/usr/bin/python3
"""api-burst.py URL CREDENTIALS CONNECTIONS: sends the EC2 Query requests
read from stdin, one a line ("PROFILE FORM-BODY", e.g. "provider
Action=CreateVpc&Version=2016-11-15&CidrBlock=10.0.0.0/16"), signed with
SigV4 with the keys of PROFILE in the AWS shared-credentials file
CREDENTIALS, over CONNECTIONS concurrent HTTP connections that start
together.  Request i goes over connection i % CONNECTIONS, each connection
sending its requests one after another.  Prints, in input order, one line
per answer: the HTTP status, a space and the body on one line.

Many requests that arrive at once are what plinkd's group commit batches:
the AWS CLI takes about a second to start, this takes a millisecond."""
import configparser
import http.client
import os
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..'))
from sigv4 import sign_headers  # noqa: E402

CONTENT_TYPE = 'application/x-www-form-urlencoded; charset=utf-8'


def worker(url, jobs, answers, start):
    """Sends 'jobs' [(index, headers, body)] over one connection, once
    'start' lets it, and stores each answer in 'answers'."""
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    conn.connect()
    start.wait()
    for i, headers, body in jobs:
        try:
            conn.request('POST', '/', body=body, headers=headers)
            resp = conn.getresponse()
            text = resp.read().decode(errors='replace')
            answers[i] = '%d %s' % (resp.status, ' '.join(text.split()))
        except (OSError, http.client.HTTPException) as e:
            answers[i] = '0 %s' % e
            conn.close()
            conn = http.client.HTTPConnection(url.hostname, url.port,
                                              timeout=60)
    conn.close()


def main():
    url = urllib.parse.urlparse(sys.argv[1])
    creds = configparser.ConfigParser()
    creds.read(sys.argv[2])
    n_conns = int(sys.argv[3])

    requests = []
    for line in sys.stdin:
        if line.strip():
            profile, body = line.split(None, 1)
            keys = creds[profile]
            body = body.strip().encode()
            requests.append((sign_headers(url.netloc, '/', CONTENT_TYPE, body,
                                          keys['aws_access_key_id'],
                                          keys['aws_secret_access_key']),
                             body))
    n_conns = max(1, min(n_conns, len(requests)))
    answers = [None] * len(requests)
    start = threading.Barrier(n_conns)
    threads = [threading.Thread(
        target=worker,
        args=(url, [(i, h, b) for i, (h, b) in enumerate(requests)
                    if i % n_conns == c], answers, start))
        for c in range(n_conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a in answers:
        print(a)


main()
