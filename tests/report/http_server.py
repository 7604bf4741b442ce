#!/usr/bin/env python3
"""A local HTTP server on 127.0.0.1 for the delivery tests: a webhook and a
small GitHub issues API, with scripted failures. Prints its port, then
serves until killed; every request is appended to LOG as one JSON line.

Paths:
  POST /hook/ok          200
  POST /hook/500         500, always
  POST /hook/flaky       500 twice, then 200
  POST /hook/hang        no answer for 10 s
  POST /hook/close       closes the connection without an answer
  /gh/...                GitHub issues of one repository, kept in memory
  /gh401/... /gh403/... /gh422/...   that status, always

  GET /openapi.json      the OPENAPI file (bearer token "api-token" needed)
  GET /openapi500        500, always

Usage: http_server.py LOG [OPENAPI]
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOG = sys.argv[1]
OPENAPI = sys.argv[2] if len(sys.argv) > 2 else None
lock = threading.Lock()
issues = []
counts = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, payload=None):
        body = json.dumps(payload if payload is not None else {}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        with lock:
            counts[self.path] = counts.get(self.path, 0) + 1
            seen = counts[self.path]
            with open(LOG, "a") as f:
                f.write(json.dumps({"method": self.command, "path": self.path,
                                    "auth": self.headers.get("Authorization"),
                                    "body": raw.decode(errors="replace")}) + "\n")
        p = self.path
        if p == "/hook/ok":
            return self.answer(200)
        if p == "/hook/500":
            return self.answer(500)
        if p == "/hook/flaky":
            return self.answer(500 if seen <= 2 else 200)
        if p == "/hook/hang":
            time.sleep(10)
            return self.answer(200)
        if p == "/hook/close":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if p == "/openapi.json":
            doc = json.load(open(OPENAPI))
            if self.headers.get("Authorization") != "Bearer api-token":
                return self.answer(401, {"detail": "no token"})
            return self.answer(200, doc)
        if p == "/openapi500":
            return self.answer(500, {"detail": "down"})
        for code in (401, 403, 422):
            if p.startswith(f"/gh{code}/"):
                return self.answer(code, {"message": "scripted"})
        if p.startswith("/gh/repos/o/r/issues"):
            with lock:
                if self.command == "GET":
                    return self.answer(200, [i for i in issues if i["state"] == "open"])
                data = json.loads(raw or b"{}")
                if self.command == "POST":
                    issue = {"number": len(issues) + 1, "title": data["title"],
                             "body": data["body"], "state": "open"}
                    issues.append(issue)
                    return self.answer(201, issue)
                if self.command == "PATCH":
                    number = int(p.rsplit("/", 1)[1])
                    issue = issues[number - 1]
                    issue.update(data)
                    return self.answer(200, issue)
        return self.answer(404, {"message": "not found"})

    do_GET = do_POST = do_PATCH = handle_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
