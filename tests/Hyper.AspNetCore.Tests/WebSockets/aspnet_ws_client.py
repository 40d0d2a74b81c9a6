"""python3-websockets (Debian's, in /usr/bin/python3) as a client of an ASP.NET Core WebSocket application.

Usage: aspnet_ws_client.py PORT SCENARIO [compress]. Prints one line per check; exits non-zero on the first failure.
The application is WebSocketTests' (/echo echoes every frame, /close closes first with 4002).
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
    async with connect("/echo?compress=1" if COMPRESS else "/echo", subprotocols=["chat.v2"]) as ws:
        assert ws.subprotocol == "chat.v2", ws.subprotocol
        print("extensions", ",".join(type(e).__name__ for e in ws.extensions) or "none")
        await ws.send("hello ✓")
        assert await ws.recv() == "hello ✓"
        data = os.urandom(512 * 1024) * 2 if COMPRESS else os.urandom(1024 * 1024)
        await ws.send(data)
        back = await asyncio.wait_for(ws.recv(), 60)
        assert back == data, f"got {len(back)} bytes"
        print("echoed", len(data))
        # A fragmented message: websockets sends an iterable as one message in fragments.
        await ws.send([b"frag-1 ", b"frag-2 ", b"frag-3"])
        assert await ws.recv() == b"frag-1 frag-2 frag-3"
        print("echoed fragments")
        for i in range(1000):
            await ws.send(f"message {i}")
        for i in range(1000):
            got = await ws.recv()
            assert got == f"message {i}", got
        print("echoed 1000 in a row")
        await ws.close(code=4321, reason="bye")
        assert ws.close_code == 4321, ws.close_code
        print("closed", ws.close_code, ws.close_reason)


async def server_close():
    async with connect("/close") as ws:
        try:
            await asyncio.wait_for(ws.recv(), 10)
            raise AssertionError("a message came instead of the close")
        except websockets.ConnectionClosed:
            pass
        print("server closed", ws.close_code, ws.close_reason)


asyncio.run({"echo": echo, "server_close": server_close}[SCENARIO]())
