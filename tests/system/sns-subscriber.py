#!/usr/bin/python3
"""sns-subscriber.py PORT FILE: an HTTP subscriber of an SNS topic, as a
test needs one: it appends every POSTed SNS document (one JSON a line,
with the x-amz-sns-message-type header) to FILE and answers 200."""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        doc = json.loads(body)
        doc["_header_type"] = self.headers.get("x-amz-sns-message-type")
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps(doc) + "\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
