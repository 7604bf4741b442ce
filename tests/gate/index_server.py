#!/usr/bin/env python3
"""A package index on 127.0.0.1 for the gate tests, speaking PyPI's JSON
API (GET /pypi/NAME/json and /pypi/NAME/VERSION/json) under a scenario
prefix. Prints its port, then serves until killed; every request is
appended to LOG as one line: "METHOD PATH".

Scenarios (the index URL is http://127.0.0.1:PORT/SCENARIO):
  /has      the project exists with RELEASES (comma list, default
            1.0.0,1.0.0.post1,1.1.0rc1); their version pages answer 200,
            any other 404
  /none     404 for everything: the project was never uploaded
  /hidden   the project lists no releases, but a version page of RELEASES
            answers 200 (a release the listing leaves out)
  /html     200 with a page that is not PyPI's JSON
  /500      500, always
  /hang     no answer for 10 s

Usage: index_server.py LOG [RELEASES]
"""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]
RELEASES = (sys.argv[2] if len(sys.argv) > 2 else "1.0.0,1.0.0.post1,1.1.0rc1").split(",")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(LOG, "a") as f:
            f.write("GET %s\n" % self.path)
        parts = self.path.strip("/").split("/")
        scenario, rest = parts[0], parts[1:]
        if scenario == "500":
            return self.answer(500, {"message": "boom"})
        if scenario == "html":
            body = b"<html>not an index</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if scenario == "hang":
            time.sleep(10)
            return self.answer(500, {})
        if scenario == "none" or len(rest) < 3 or rest[0] != "pypi":
            return self.answer(404, {"message": "Not Found"})
        name = rest[1]
        if len(rest) == 3 and rest[2] == "json":
            listed = RELEASES if scenario == "has" else []
            return self.answer(200, {"info": {"name": name},
                                     "releases": {v: [] for v in listed}})
        if len(rest) == 4 and rest[3] == "json" and rest[2] in RELEASES:
            return self.answer(200, {"info": {"name": name, "version": rest[2]}})
        return self.answer(404, {"message": "Not Found"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
