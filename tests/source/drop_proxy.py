#!/usr/bin/env python3
"""A TCP proxy on 127.0.0.1 that forwards to a server and drops every
connection after passing LIMIT bytes back to the client: a remote that
goes away in the middle of a clone. Prints its port, then serves until
killed. Usage: drop_proxy.py SERVER_PORT LIMIT"""
import socket
import sys
import threading


def pipe(src, dst, limit):
    passed = 0
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if limit is not None:
                data = data[: max(0, limit - passed)]
            dst.sendall(data)
            passed += len(data)
            if limit is not None and passed >= limit:
                break
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def main():
    server_port, limit = int(sys.argv[1]), int(sys.argv[2])
    lsn = socket.socket()
    lsn.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lsn.bind(("127.0.0.1", 0))
    lsn.listen(8)
    print(lsn.getsockname()[1], flush=True)
    while True:
        client, _ = lsn.accept()
        server = socket.create_connection(("127.0.0.1", server_port))
        threading.Thread(target=pipe, args=(client, server, None), daemon=True).start()
        threading.Thread(target=pipe, args=(server, client, limit), daemon=True).start()


if __name__ == "__main__":
    main()
