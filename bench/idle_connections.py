#!/usr/bin/python3
"""Opens N keep-alive connections to a server, sends one GET on each and reads its answer, then holds them all idle.

bench/run.sh (idle-memory) uses it to measure the resident memory a server spends per idle keep-alive connection.
Prints "ready N" on stdout once every connection has had its response (N = connections still open), then waits until
stdin closes or the process is terminated, and closes them. With --tls the connections are HTTPS (the certificate is
not verified, as with the other load tools).

Usage: idle_connections.py HOST PORT COUNT [--tls]
"""
import resource
import socket
import ssl
import sys

RESPONSE_END = b"Hello, World!"  # the body of GET / on both bench servers


def main() -> int:
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    tls = "--tls" in sys.argv[4:]
    # One descriptor per connection: lift the soft limit to the hard one.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    context = None
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    request = f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    held = []
    failed = 0
    for _ in range(count):
        try:
            sock = socket.create_connection((host, port), timeout=10)
            if context is not None:
                sock = context.wrap_socket(sock, server_hostname="localhost")
            sock.sendall(request)
            answer = b""
            while not answer.endswith(RESPONSE_END):
                chunk = sock.recv(4096)
                if not chunk:
                    raise ConnectionError("closed before the response ended")
                answer += chunk
            held.append(sock)
        except OSError as error:
            failed += 1
            if failed == 1:
                print(f"connection failed: {error}", file=sys.stderr)
    print(f"ready {len(held)}", flush=True)
    sys.stdin.read()  # hold until run.sh closes our stdin (or terminates us)
    for sock in held:
        sock.close()
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
