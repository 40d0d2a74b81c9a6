"""Two python3-websockets clients talking through the Chat sample, for the end-to-end tests.

Usage: chat_client.py PORT. Prints one line per check; exits non-zero on the first failure.
"""
import asyncio
import json
import sys

import websockets

URL = f"ws://127.0.0.1:{int(sys.argv[1])}/chat"


def connect():
    return websockets.connect(URL, open_timeout=10, close_timeout=10, ping_interval=None)


async def receive(ws):
    return json.loads(await asyncio.wait_for(ws.recv(), 10))


async def welcome(ws):
    line = await receive(ws)
    assert line["from"] == "server" and line["text"].startswith("welcome guest-"), line
    return line["text"].split(" ")[1]


async def main():
    async with connect() as alice, connect() as bob:
        alice_name, bob_name = await welcome(alice), await welcome(bob)
        print(f"joined {alice_name} {bob_name}")

        await alice.send("hello from alice")
        for ws in (alice, bob):
            line = await receive(ws)
            assert line == {"from": alice_name, "text": "hello from alice"}, line
        print("bob heard alice")

        await bob.send("héllo from bob ✓")
        for ws in (alice, bob):
            line = await receive(ws)
            assert line == {"from": bob_name, "text": "héllo from bob ✓"}, line
        print("alice heard bob")

        # Many lines in a row reach both ends, each sender's in the order sent (two senders' lines may interleave).
        for i in range(200):
            await (alice if i % 2 == 0 else bob).send(f"line {i}")
        for ws in (alice, bob):
            lines = [await receive(ws) for _ in range(200)]
            from_alice = [line["text"] for line in lines if line["from"] == alice_name]
            from_bob = [line["text"] for line in lines if line["from"] == bob_name]
            assert from_alice == [f"line {i}" for i in range(0, 200, 2)], from_alice[:5]
            assert from_bob == [f"line {i}" for i in range(1, 200, 2)], from_bob[:5]
        print("200 lines at both ends, each sender's in order")

        # Binary is refused with 1003 (unsupported data); the other member stays.
        await bob.send(b"\x00\x01")
        try:
            await asyncio.wait_for(bob.recv(), 10)
            raise AssertionError("bob's connection stayed open after binary data")
        except websockets.ConnectionClosed as closed:
            assert closed.rcvd is not None and closed.rcvd.code == 1003, closed
        await alice.send("still here")
        assert (await receive(alice))["text"] == "still here"
        print("binary closed 1003, alice still chatting")


asyncio.run(main())
