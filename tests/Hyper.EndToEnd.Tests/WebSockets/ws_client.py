"""python3-websockets (Debian's, in /usr/bin/python3) as a WebSocket client of Hyper, for the end-to-end tests.

Usage: ws_client.py PORT SCENARIO [compress]. Prints one line per check; exits non-zero on the first failure.
"""
import asyncio
import os
import sys

import websockets

PORT = int(sys.argv[1])
SCENARIO = sys.argv[2]
COMPRESS = len(sys.argv) > 3 and sys.argv[3] == "compress"
URL = f"ws://127.0.0.1:{PORT}"


def connect(path, **kwargs):
    return websockets.connect(
        URL + path,
        compression="deflate" if COMPRESS else None,
        max_size=None,
        open_timeout=10,
        close_timeout=10,
        ping_interval=None,
        **kwargs,
    )


async def echo():
    async with connect("/echo", subprotocols=["chat.v2"]) as ws:
        assert ws.subprotocol == "chat.v2", ws.subprotocol
        extensions = [type(e).__name__ for e in ws.protocol.extensions] if hasattr(ws, "protocol") else [type(e).__name__ for e in ws.extensions]
        print("extensions", ",".join(extensions) or "none")
        await ws.send("hello")
        assert await ws.recv() == "hello"
        for size in (1024 * 1024, 16 * 1024 * 1024):
            data = os.urandom(size // 2) * 2 if COMPRESS else os.urandom(size)
            await ws.send(data)
            back = await asyncio.wait_for(ws.recv(), 60)
            assert back == data, f"{size}: got {len(back)} bytes"
            print("echoed", size)
        for i in range(1000):
            await ws.send(f"message {i}")
        for i in range(1000):
            got = await ws.recv()
            assert got == f"message {i}", got
        print("echoed 1000 in a row")
        await ws.close(code=4321, reason="bye")
        assert ws.close_code == 4321, ws.close_code
        print("closed", ws.close_code)


async def app_close():
    async with connect("/echo") as ws:
        await ws.send("close:4002")
        try:
            await asyncio.wait_for(ws.recv(), 10)
            raise AssertionError("expected the server to close")
        except websockets.ConnectionClosed:
            pass
        print("server closed", ws.close_code, ws.close_reason)
        assert ws.close_code == 4002


async def too_big():
    async with connect("/echo") as ws:
        await ws.send(b"x" * (16 * 1024 * 1024 + 1))
        try:
            await asyncio.wait_for(ws.recv(), 30)
            raise AssertionError("expected a close")
        except websockets.ConnectionClosed:
            pass
        print("closed", ws.close_code)
        assert ws.close_code == 1009, ws.close_code


SCENARIOS = {"echo": echo, "app_close": app_close, "too_big": too_big}
asyncio.run(SCENARIOS[SCENARIO]())
print("ok")
