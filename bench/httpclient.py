"""The load bench's HTTP/1.1 client: kept-alive connections on asyncio streams, nothing else.

The bench's client shares the two cores with the server it measures, so it must spend as little of them as it can:
aiohttp took about 0.35 ms of CPU a request here, a tenth of the server's. This client writes each request in one
call and reads the answer with ``Content-Length`` or chunked framing; it keeps no cookies (the bench sends its own
``Cookie`` header) and follows no redirects. A request on a kept-alive connection that the server closed just then
is sent again once on a new one, as browsers do; any other failure (refused, reset, closed, time-out, malformed)
raises ``ClientError`` and closes the connection, and its next request reconnects.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

#: Sent with every request, as a browser sends them (the server parses these on every request too).
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Encoding": "gzip, deflate, br",
    "Accept-Language": "en-GB,en;q=0.9,fr;q=0.8,ar;q=0.7",
}


class ClientError(Exception):
    """The request got no complete answer."""


class _Unanswered(Exception):
    """The connection was reset or closed before a byte of the answer came."""


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]  # names in lower case; a repeated header keeps its last value
    body: bytes

    def json(self):
        return jsonlib.loads(self.body)


class Connection:
    """One kept-alive connection, opened on its first request and again after a failure or ``Connection: close``."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> Response:
        """Send and read the answer. A kept-alive connection the server closed just as this request went out
        (reset, or closed before a byte of the answer) is re-opened and the request sent once more, as browsers
        do: the server never saw it. Any other failure is a :class:`ClientError`."""
        if self._writer is not None and (self._reader.at_eof() or self._writer.is_closing()):
            self.close()  # the server closed it while it was idle (gunicorn keeps one alive 2 s)
        reused = self._writer is not None
        try:
            return await self._exchange(method, path, headers, body)
        except _Unanswered as exc:
            if reused:  # closed under it: again, on a new connection (not reused, so only once)
                return await self.request(method, path, headers, body)
            raise ClientError(str(exc)) from exc

    async def _exchange(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
        if self._writer is None:
            try:
                self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
            except OSError as exc:
                raise ClientError(repr(exc)) from exc
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        if body or method in ("POST", "PUT", "PATCH"):
            head.append(f"Content-Length: {len(body)}")
        self._writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        try:
            first = await self._reader.readuntil(b"\r\n\r\n")
        except (ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError) as exc:
            self.close()
            if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                raise ClientError(repr(exc)) from exc
            raise _Unanswered(repr(exc)) from exc
        except (OSError, asyncio.LimitOverrunError) as exc:
            self.close()
            raise ClientError(repr(exc)) from exc
        try:
            response = await self._read(method, first)
        except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            self.close()
            raise ClientError(repr(exc)) from exc
        if response.headers.get("connection", "").lower() == "close":
            self.close()
        return response

    async def _read(self, method: str, head: bytes) -> Response:
        reader = self._reader
        lines = head.decode("latin-1").split("\r\n")
        status_line = lines[0].split(" ", 2)
        if len(status_line) < 2 or not status_line[0].startswith("HTTP/1."):
            raise ValueError(f"not an HTTP/1.x status line: {lines[0]!r}")
        status = int(status_line[1])
        headers = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            body = b""
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
                if size == 0:
                    while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers, if any
                        pass
                    break
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
            body = b"".join(chunks)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:  # the body runs to the end of the connection
            body = await reader.read()
            headers["connection"] = "close"
        return Response(status, headers, body)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


class Client:
    """Connections to one server, at most ``limit`` at once: a request waits for a free one (its wait is part of
    its time). ``for_user(i)`` gives a caller its own connection instead, as a browser keeps one per user."""

    def __init__(self, base: str, limit: int, timeout: float = 30.0):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.limit, self.timeout = limit, timeout
        self._idle: asyncio.LifoQueue[Connection] = asyncio.LifoQueue()
        self._made = 0
        self._own: dict[int, _UserClient] = {}
        self._all: list[Connection] = []

    def _new(self) -> Connection:
        connection = Connection(self.host, self.port)
        self._all.append(connection)
        return connection

    def for_user(self, key: int) -> _UserClient:
        if key not in self._own:
            self._own[key] = _UserClient(self, self._new())
        return self._own[key]

    async def request(self, method: str, path: str, *, headers: dict[str, str] | None = None, data: dict | None = None,
                      json=None, connection: Connection | None = None) -> Response:
        headers = BROWSER_HEADERS | (headers or {})
        body = b""
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json is not None:
            body = jsonlib.dumps(json).encode()
            headers["Content-Type"] = "application/json"
        pooled = connection is None
        if pooled:
            if self._idle.empty() and self._made < self.limit:
                self._made += 1
                connection = self._new()
            else:
                connection = await self._idle.get()
        try:
            async with asyncio.timeout(self.timeout):
                return await connection.request(method, path, headers, body)
        except TimeoutError as exc:
            connection.close()
            raise ClientError("timed out") from exc
        finally:
            if pooled:
                self._idle.put_nowait(connection)

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc) -> None:
        for connection in self._all:
            connection.close()


@dataclass(frozen=True, slots=True)
class _UserClient:
    """A :class:`Client` whose requests all go through one connection of their own."""

    client: Client
    own: Connection

    async def request(self, method: str, path: str, **kwargs) -> Response:
        return await self.client.request(method, path, connection=self.own, **kwargs)
