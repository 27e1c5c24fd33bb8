"""The load bench's own HTTP client (bench/httpclient.py) against a small asyncio server that answers as told.

The bench's figures are only as good as its client: it must read each kind of answer whole (Content-Length,
chunked, to the end of the connection), reuse a kept-alive connection, reconnect when the server closed it, and
report a failure as an error rather than hang or crash.
"""

import asyncio
import json

from bench.httpclient import Client, ClientError


async def _serve(answers):
    """A server that reads one request at a time and writes ``answers[i]`` (bytes, or None to close without one)."""
    seen = {"connections": 0, "requests": []}

    async def handle(reader, writer):
        seen["connections"] += 1
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            length = 0
            for line in head.decode().split("\r\n"):
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":")[1])
            body = await reader.readexactly(length)
            seen["requests"].append((head.decode(), body))
            answer = answers.pop(0) if answers else None
            if answer is None:
                break
            writer.write(answer)
            await writer.drain()
            framed = b"Content-Length" in answer or b"chunked" in answer or b" 204 " in answer
            if b"Connection: close" in answer or not framed:
                break
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", seen


def test_reads_each_framing_on_one_kept_alive_connection():
    async def main():
        answers = [
            b"HTTP/1.1 302 Found\r\nLocation: /next/\r\nContent-Length: 0\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;x=1\r\n world\r\n0\r\n\r\n",
            b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"result":"ok"}',
        ]
        server, base, seen = await _serve(answers)
        async with server, Client(base, 4) as client:
            user = client.for_user(0)
            first = await user.request("POST", "/step/", data={"a": "1 2", "b": "é"}, headers={"Cookie": "x=y"})
            second = await user.request("GET", "/page/")
            third = await user.request("POST", "/scan/", json={"code": "c"})
        assert (first.status, first.headers["location"], first.body) == (302, "/next/", b"")
        assert (second.status, second.body) == (200, b"hello world")
        assert third.json() == {"result": "ok"}
        assert seen["connections"] == 1
        (head1, body1), _, (head3, body3) = seen["requests"]
        assert head1.startswith("POST /step/ HTTP/1.1\r\n") and "Cookie: x=y" in head1
        assert "Content-Type: application/x-www-form-urlencoded" in head1 and body1 == b"a=1+2&b=%C3%A9"
        assert "User-Agent: Mozilla/5.0" in head1 and "Accept-Language: en-GB" in head1
        assert json.loads(body3) == {"code": "c"} and "Content-Type: application/json" in head3

    asyncio.run(main())


def test_reconnects_after_close_and_reports_a_dropped_request():
    async def main():
        answers = [
            b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok",
            b"HTTP/1.1 200 OK\r\n\r\nto the end",  # no length: the body runs to the end of the connection
            None,  # the server drops the connection without answering
            b"HTTP/1.1 204 No Content\r\n\r\n",
        ]
        server, base, seen = await _serve(answers)
        async with server, Client(base, 1) as client:
            assert (await client.request("GET", "/a/")).body == b"ok"
            assert (await client.request("GET", "/b/")).body == b"to the end"
            try:
                await client.request("GET", "/c/")
            except ClientError:
                dropped = True
            else:
                dropped = False
            last = await client.request("GET", "/d/")
        assert dropped
        assert last.status == 204
        assert seen["connections"] == 4  # each close above made the next request open a new connection

    asyncio.run(main())


def test_a_kept_alive_connection_closed_under_a_request_is_reopened_and_the_request_sent_once_more():
    async def main():
        answers = [
            b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst",
            None,  # the server closes the kept-alive connection as the second request arrives
            b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond",
        ]
        server, base, seen = await _serve(answers)
        async with server, Client(base, 1) as client:
            assert (await client.request("GET", "/a/")).body == b"first"
            assert (await client.request("POST", "/b/", data={"x": "1"})).body == b"second"
        assert [head.split(" ")[1] for head, _ in seen["requests"]] == ["/a/", "/b/", "/b/"]
        assert seen["connections"] == 2

    asyncio.run(main())


def test_a_refused_connection_and_a_time_out_are_client_errors():
    async def main():
        server, base, _ = await _serve([])
        server.close()
        await server.wait_closed()
        async with Client(base, 1) as client:
            try:
                await client.request("GET", "/")
            except ClientError as exc:
                refused = str(exc)
        silent = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = silent.sockets[0].getsockname()[1]
        async with silent, Client(f"http://127.0.0.1:{port}", 1, timeout=0.2) as client:
            try:
                await client.request("GET", "/")
            except ClientError as exc:
                timed_out = str(exc)
        assert "Connect" in refused or "refused" in refused.lower()
        assert timed_out == "timed out"

    asyncio.run(main())
