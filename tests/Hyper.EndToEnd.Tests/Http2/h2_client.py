"""A python3-h2 client that drives Hyper frame by frame (run with Debian's /usr/bin/python3).

Usage: h2_client.py PORT SCENARIO; prints one line per observation, the test asserts on them.
"""
import socket
import sys

import h2.config
import h2.connection
import h2.events


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    conn = h2.connection.H2Connection(config=h2.config.H2Configuration(client_side=True, header_encoding="utf-8"))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return sock, conn


def pump(sock, conn, until):
    """Reads until until(events_so_far) is true; returns all events."""
    seen = []
    while not until(seen):
        data = sock.recv(65536)
        if not data:
            seen.append("closed")
            break
        for event in conn.receive_data(data):
            seen.append(event)
            if isinstance(event, h2.events.DataReceived):
                conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
    return seen


def request(conn, stream_id, path, end_stream=True, extra=()):
    headers = [(":method", "GET"), (":scheme", "http"), (":path", path), (":authority", "localhost")] + list(extra)
    conn.send_headers(stream_id, headers, end_stream=end_stream)


def ended(stream_ids):
    return lambda seen: all(any(isinstance(e, h2.events.StreamEnded) and e.stream_id == s for e in seen) for s in stream_ids) or "closed" in seen


def scenario_concurrent(port):
    sock, conn = connect(port)
    for stream_id in (1, 3, 5):
        request(conn, stream_id, "/scope?s=%d" % stream_id)
    sock.sendall(conn.data_to_send())
    events = pump(sock, conn, ended([1, 3, 5]))
    for e in events:
        if isinstance(e, h2.events.RemoteSettingsChanged):
            for key, setting in sorted(e.changed_settings.items()):
                print("setting %s=%d" % (h2.settings.SettingCodes(key).name, setting.new_value))
        if isinstance(e, h2.events.ResponseReceived):
            print("response %d %s" % (e.stream_id, dict(e.headers)[":status"]))
        if isinstance(e, h2.events.DataReceived):
            print("data %d %s" % (e.stream_id, e.data.decode()))


def scenario_malformed(port):
    sock, conn = connect(port)
    # An upper-case field name is malformed (RFC 9113 §8.2.1): a stream error, the connection lives on.
    conn.send_headers(1, [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "localhost")], end_stream=True)
    sock.sendall(conn.data_to_send())
    pump(sock, conn, ended([1]))
    raw = conn.encoder.encode([(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "x"), ("X-Upper", "1")])
    frame = len(raw).to_bytes(3, "big") + bytes([0x1, 0x5]) + (3).to_bytes(4, "big") + raw
    sock.sendall(frame)
    data = b""
    sock.settimeout(5)
    while len(data) < 13:
        chunk = sock.recv(100)
        if not chunk:
            break
        data += chunk
    print("frame type=%d stream=%d code=%d" % (data[3], int.from_bytes(data[5:9], "big"), int.from_bytes(data[9:13], "big")))
    sock.sendall(b"\x00\x00\x08\x06\x00\x00\x00\x00\x00" + b"pingpong")
    data = sock.recv(100)
    print("ping-ack %s" % (data[3] == 6 and data[4] == 1 and data[9:17] == b"pingpong"))


def scenario_reset(port):
    sock, conn = connect(port)
    request(conn, 1, "/big")
    sock.sendall(conn.data_to_send())
    pump(sock, conn, lambda seen: any(isinstance(e, h2.events.DataReceived) for e in seen))
    conn.reset_stream(1, error_code=8)
    request(conn, 3, "/scope")
    sock.sendall(conn.data_to_send())
    events = pump(sock, conn, ended([3]))
    for e in events:
        if isinstance(e, h2.events.DataReceived) and e.stream_id == 3:
            print("data 3 %s" % e.data.decode())


{"concurrent": scenario_concurrent, "malformed": scenario_malformed, "reset": scenario_reset}[sys.argv[2]](int(sys.argv[1]))
