#!/usr/bin/python3
"""Writes the seed corpora under fuzz/corpus/<target>/ (run it from anywhere; needs Debian's python3-h2).

Seeds come from the repository's own test vectors where there are any (tests/vectors/hpack-test-case.tar.gz,
the RFC 9001 and RFC 8448 vectors of tests/Hyper.Quic.Tests) and from small well-formed messages built here for
the rest, so that the fuzzer starts from inputs that reach deep into each parser. The output is deterministic:
running it again rewrites the same files.
"""
import io, json, os, re, struct, sys, tarfile, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")

def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)

def csharp_hex(path, field):
    """The hex literal of `field` in a C# test file (concatenated string pieces; a trailing zero padding is dropped)."""
    text = open(os.path.join(ROOT, path)).read()
    m = re.search(field + r"\s*=\s*Convert\.FromHexString\(\s*(.*?)\);", text, re.S)
    return bytes.fromhex("".join(re.findall(r'"([0-9a-fA-F]*)"', m.group(1))))

# --- HTTP/1.1 requests (fuzz target http11-request) -------------------------------------------------------------
http11 = {
    "get": b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    "get-query": b"GET /a/b%20c?x=1&y=%00 HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\nUser-Agent: fuzz\r\n\r\n",
    "pipelined": b"GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /3 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    "post-length": b"POST /form HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world",
    "post-chunked": b"POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n",
    "expect-continue": b"PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata",
    "http10": b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "absolute-form": b"GET http://example.com/p?q HTTP/1.1\r\nHost: example.com\r\n\r\n",
    "options-star": b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    "connect": b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
    "upgrade-h2c": b"GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n",
    "upgrade-websocket": b"GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
    "smuggle-cl-te": b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "te-not-final": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
    "obs-fold": b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: one\r\n two\r\n\r\n",
    "bare-lf": b"GET / HTTP/1.1\nHost: a\n\n",
    "leading-crlf": b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    "chunk-overflow": b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
}
for name, data in http11.items():
    write("http11-request", name, data)

# --- HTTP/2 frames after the preface (http2-connection) ---------------------------------------------------------
from hyperframe.frame import (SettingsFrame, HeadersFrame, ContinuationFrame, DataFrame, PingFrame, WindowUpdateFrame,
                              RstStreamFrame, PriorityFrame, GoAwayFrame, PushPromiseFrame)
from hpack import Encoder

def block(headers):
    return Encoder().encode(headers)

def headers(stream_id, hdrs, end_stream=True, end_headers=True):
    f = HeadersFrame(stream_id)
    f.data = block(hdrs)
    f.flags = set(([ "END_STREAM"] if end_stream else []) + (["END_HEADERS"] if end_headers else []))
    return f.serialize()

def frame(f, *flags):
    f.flags = set(flags)
    return f.serialize()

GET = [(":method", "GET"), (":scheme", "http"), (":path", "/"), (":authority", "a")]
POST = [(":method", "POST"), (":scheme", "http"), (":path", "/up"), (":authority", "a"), ("content-length", "5")]
settings = SettingsFrame(0, settings={SettingsFrame.INITIAL_WINDOW_SIZE: 65535, SettingsFrame.MAX_CONCURRENT_STREAMS: 100}).serialize()
ack = frame(SettingsFrame(0), "ACK")

def data(stream_id, payload, *flags):
    f = DataFrame(stream_id)
    f.data = payload
    return frame(f, *flags)

h2 = {
    "get": settings + ack + headers(1, GET),
    "two-gets": settings + headers(1, GET) + headers(3, GET + [("accept", "*/*")]),
    "post-body": settings + headers(1, POST, end_stream=False) + data(1, b"hello", "END_STREAM"),
    "trailers": settings + headers(1, POST, end_stream=False) + data(1, b"hello") + headers(1, [("x-trailer", "1")]),
    "continuation": settings + headers(1, GET, end_headers=False) + frame(ContinuationFrame(1, data=block([("x-a", "b" * 20)])), "END_HEADERS"),
    "ping-window": settings + frame(PingFrame(0, opaque_data=b"12345678")) + WindowUpdateFrame(0, window_increment=1000).serialize(),
    "reset": settings + headers(1, GET, end_stream=False) + RstStreamFrame(1, error_code=8).serialize(),
    "priority": settings + PriorityFrame(1, depends_on=0, stream_weight=16).serialize() + headers(1, GET),
    "goaway": settings + headers(1, GET) + GoAwayFrame(0, last_stream_id=1, error_code=0).serialize(),
    "padded-data": settings + headers(1, POST, end_stream=False) + frame(DataFrame(1, data=b"hello", pad_length=3), "END_STREAM", "PADDED"),
    "window-update-stream": settings + headers(1, GET) + WindowUpdateFrame(1, window_increment=65535).serialize(),
    "unknown-frame": settings + struct.pack(">I", 4)[1:] + bytes([0xFA, 0, 0, 0, 0, 0]) + b"abcd" + headers(1, GET),
}
for name, payload in h2.items():
    write("http2-connection", name, payload)

# --- HPACK blocks from the hpack-test-case corpus (hpack-decoder) -----------------------------------------------
with tarfile.open(os.path.join(ROOT, "tests", "vectors", "hpack-test-case.tar.gz")) as tar:
    members = sorted((m for m in tar.getmembers() if m.name.endswith(".json") and "raw-data" not in m.name), key=lambda m: m.name)
    for m in members:
        encoder, story = m.name.split("/")[-2], m.name.split("/")[-1]
        if story not in ("story_00.json", "story_01.json", "story_30.json"):
            continue
        cases = json.load(tar.extractfile(m))["cases"]
        seed = b""
        for case in cases:
            wire = bytes.fromhex(case["wire"])
            if len(seed) + len(wire) > 2048:
                break
            seed += struct.pack(">H", len(wire)) + wire
        write("hpack-decoder", f"{encoder}-{story[:-5]}", seed)

# --- WebSocket client frames (websocket-connection) -------------------------------------------------------------
def ws_frame(opcode, payload, fin=True, rsv1=False, mask=b"\x37\xfa\x21\x3d"):
    head = bytes([(0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode])
    n = len(payload)
    if n < 126: head += bytes([0x80 | n])
    elif n < 65536: head += bytes([0x80 | 126]) + struct.pack(">H", n)
    else: head += bytes([0x80 | 127]) + struct.pack(">Q", n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))

def deflate(message):
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    out = c.compress(message) + c.flush(zlib.Z_SYNC_FLUSH)
    assert out.endswith(b"\x00\x00\xff\xff")
    return out[:-4]

ws = {
    "text": b"\x00" + ws_frame(1, b"Hello"),
    "binary-126": b"\x00" + ws_frame(2, bytes(range(200))),
    "fragmented": b"\x00" + ws_frame(1, b"Hel", fin=False) + ws_frame(9, b"ping") + ws_frame(0, b"lo"),
    "close": b"\x00" + ws_frame(1, "héllo".encode()) + ws_frame(8, struct.pack(">H", 1000) + b"bye"),
    "pong": b"\x20" + ws_frame(10, b"p") + ws_frame(2, b"x" * 300, fin=False) + ws_frame(0, b"y"),
    "compressed": b"\x01" + ws_frame(1, deflate(b"Hello Hello Hello"), rsv1=True) + ws_frame(2, deflate(b"\x00" * 500), rsv1=True),
    "compressed-fragments": b"\x1f" + ws_frame(1, deflate(b"abcabcabc")[:3], fin=False, rsv1=True) + ws_frame(0, deflate(b"abcabcabc")[3:]),
}
for name, payload in ws.items():
    write("websocket-connection", name, payload)

# --- raw deflate messages (websocket-inflater) ------------------------------------------------------------------
bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
bomb_data = bomb.compress(b"\x00" * 200_000) + bomb.flush(zlib.Z_SYNC_FLUSH)
inflater = {
    "hello": b"\x07" + deflate(b"Hello"),
    "two-messages": b"\x07" + deflate(b"first message") + b"\xff\xfe" + deflate(b"second message"),
    "no-context": b"\x0f" + deflate(b"aaaaaaaaaaaaaaaa") + b"\xff\xfe" + deflate(b"bbbbbbbb"),
    "window-9": b"\x00" + zlib.compressobj(6, zlib.DEFLATED, -9).compress(b"xyz" * 50) + b"\x00",
    "bomb": b"\x07" + bomb_data[:-4],
    "final-block": b"\x07" + zlib.compress(b"done", 6)[2:-4],
}
for name, payload in inflater.items():
    write("websocket-inflater", name, payload)

# --- QUIC (quic-packet-header, quic-frames, quic-transport-parameters, tls-client-hello) -----------------------
vectors = "tests/Hyper.Quic.Tests/Crypto/Rfc9001Vectors.cs"
client_initial = csharp_hex(vectors, "ClientInitialProtected")
server_initial = csharp_hex(vectors, "ServerInitialProtected")
retry = csharp_hex(vectors, "Retry")
chacha = csharp_hex(vectors, "ChaChaHeader") + csharp_hex(vectors, "ChaChaProtected")
write("quic-packet-header", "client-initial", bytes([8]) + client_initial)
write("quic-packet-header", "server-initial", bytes([8]) + server_initial)
write("quic-packet-header", "coalesced", bytes([8]) + server_initial + server_initial)
write("quic-packet-header", "retry", bytes([0]) + retry)
write("quic-packet-header", "short", bytes([0]) + chacha)
write("quic-packet-header", "version-negotiation", bytes([8]) + bytes.fromhex("80000000000408aabbccdd0811223344556677880000000100000002"))

client_payload = csharp_hex(vectors, "ClientInitialPayload")
server_payload = csharp_hex(vectors, "ServerInitialPayload")
write("quic-frames", "client-initial", bytes([0]) + client_payload[:300])
write("quic-frames", "server-initial", bytes([4]) + server_payload)
# 1-RTT: STREAM (offset, length, fin), ACK with two ranges, MAX_DATA, MAX_STREAM_DATA, MAX_STREAMS, NEW_CONNECTION_ID,
# RETIRE_CONNECTION_ID, PATH_CHALLENGE, STOP_SENDING, RESET_STREAM, DATA_BLOCKED, CONNECTION_CLOSE.
one_rtt = bytes.fromhex(
    "0f0440100568656c6c6f"              # STREAM id 4 offset 16 len 5 fin
    "0a08026869"                        # STREAM id 8 len 2 "hi"
    "020a00010102"                      # ACK largest 10 delay 0 1 range first 1 gap 1 len 2
    "104400"                            # MAX_DATA 1024
    "11044400"                          # MAX_STREAM_DATA id 4 1024
    "1264"                              # MAX_STREAMS (bidi) 100
    "1801000811223344556677880123456789abcdef0123456789abcdef"  # NEW_CONNECTION_ID seq 1 retire 0 len 8 token 16
    "1900"                              # RETIRE_CONNECTION_ID 0
    "1a0102030405060708"                # PATH_CHALLENGE
    "050400"                            # STOP_SENDING id 4 code 0
    "0408000a"                          # RESET_STREAM id 8 code 0 final 10
    "1410"                              # DATA_BLOCKED 16
    "01"                                # PING
    "1c0a000474657374"                  # CONNECTION_CLOSE code 10 frame 0 reason "test"
)
write("quic-frames", "one-rtt", bytes([3]) + one_rtt)
write("quic-frames", "handshake-crypto", bytes([2]) + bytes.fromhex("0600050102030405" "06050403060708" "0000"))
write("quic-frames", "ack-ecn", bytes([3]) + bytes.fromhex("03640005020403010101020203"))
write("quic-frames", "client-receives", bytes([7]) + bytes.fromhex("07040102030400" "1e"))

# Transport parameters: the client's from RFC 9001 A.2 (extension 0x39 inside the ClientHello), and a server's.
m = client_payload.find(bytes.fromhex("0039"))
length = struct.unpack(">H", client_payload[m + 2:m + 4])[0]
write("quic-transport-parameters", "client-rfc9001", b"\x00" + client_payload[m + 4:m + 4 + length])
write("quic-transport-parameters", "server", b"\x01" + bytes.fromhex(
    "0008" "0123456789abcdef" "0f08" "8394c8f03e515708" "0010" + "11" * 16 + "0104" "80007530" "0302" "45ac"
    "0c00" "0e0104" "0b0119"))

hello_rfc9001 = client_payload[4:4 + 4 + 0xed][4:]
write("tls-client-hello", "rfc9001", hello_rfc9001)
write("tls-client-hello", "rfc8448", csharp_hex("tests/Hyper.Quic.Tests/Tls/Rfc8448Tests.cs", "ClientHelloMessage")[4:])
# --- configuration (config-toml, bind-address) ------------------------------------------------------------------
config = {
    "basic": 'bind = ["127.0.0.1:8000", "[::1]:8001"]\nworker_class = "thread-pool"\nkeep_alive_timeout = 5\n',
    "limits": 'h11_max_request_line_size = 8192\nh11_max_header_size = 32768\nmax_body_size = 0\nh2_max_concurrent_streams = 100\nh2_glitch_rate = 33\n',
    "tls": 'bind = "0.0.0.0:443"\ninsecure_bind = ["0.0.0.0:80"]\ncertfile = "cert.pem"\nkeyfile = "key.pem"\nverify_mode = "CERT_OPTIONAL"\ntls_min_version = "1.3"\nalpn_protocols = ["h2", "http/1.1"]\n',
    "tables": '[[tls_certificates]]\ncertfile = "a.pem"\nkeyfile = "a.key"\nserver_names = ["a.example", "*.b.example"]\n',
    "logging": 'accesslog = "-"\naccess_log_format = "%(h)s %(r)s %(s)s %(b)s %(D)s"\nloglevel = "debug"\nlog_json = true\ngraceful_timeout = 2.5\n',
    "bad-values": 'keep_alive_timeout = -1\nworker_class = "threads"\nunknown_key = 1\n',
    "websocket": 'websocket_max_message_size = 16777216\nwebsocket_ping_interval = 20\nwebsocket_allowed_origins = ["https://a.example"]\n',
}
for name, text in config.items():
    write("config-toml", name, text.encode())

binds = {
    "v4": "127.0.0.1:8000", "host-only": "localhost", "v6": "[::1]:8443", "unix": "unix:/tmp/hyper.sock",
    "fd": "fd://3", "any": "0.0.0.0:0", "bad-port": "127.0.0.1:70000", "v6-bare": "[fe80::1%eth0]",
}
for name, text in binds.items():
    write("bind-address", name, text.encode())

print("seeds written under", CORPUS)
