"""Closed-loop HTTP/1.1 load generator for loopback benchmarks.

N keep-alive connections each send one request (a GET unless told otherwise), wait for the
whole response, and send the next, for D seconds. Raw asyncio streams (on uvloop when
installed) instead of an HTTP client library keep the per-request client cost low, so the
server, not the client, is what is measured. Loopback targets only, with hard caps on
connections, duration and requests.

    python bench/http_load.py http://127.0.0.1:8000/health/live -c 32 -d 5
    python bench/http_load.py http://127.0.0.1:8000/api/v1/me -H "Authorization: Bearer $TOKEN"
    python bench/http_load.py http://127.0.0.1:8000/api/v1/auth/login -X POST --data '{"email": ...}'
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import math
import re
import time
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MAX_CONCURRENCY = 1024
MAX_SECONDS = 300.0
MAX_REQUESTS = 20_000_000  # latencies are kept as 8-byte doubles: 160 MB at most
RECONNECT_PAUSE_S = 0.01  # a refusing server must not turn a connection loop into a busy spin
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # RFC 9110 token: method and header names


class ProtocolError(Exception):
    """The server's answer is not HTTP/1.x as this client understands it."""


TRANSPORT_ERRORS = (OSError, TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ProtocolError)


@dataclass(frozen=True)
class Target:
    host: str
    port: int
    path: str

    @classmethod
    def parse(cls, url: str) -> Target:
        """Accept http:// URLs on a loopback address only: this tool must not load anyone else's server."""
        parts = urlsplit(url)
        if parts.scheme != "http":
            raise ValueError(f"only http:// URLs are supported, got {url!r}")
        host = parts.hostname or ""
        if host != "localhost":
            try:
                loopback = ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = False
            if not loopback:
                raise ValueError(f"refusing non-loopback host {host!r}: loopback benchmarks only")
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        return cls(host=host, port=parts.port or 80, path=path)

    def request_bytes(
        self, method: str = "GET", headers: Mapping[str, str] | None = None, body: bytes | None = None
    ) -> bytes:
        """One complete HTTP/1.1 request. A body gets a Content-Length (and a JSON Content-Type
        unless `headers` names one); without arguments this is the plain GET it always was."""
        if not _TOKEN.match(method):
            raise ValueError(f"invalid HTTP method {method!r}")
        host = f"[{self.host}]" if ":" in self.host else self.host
        lines = [
            f"{method} {self.path} HTTP/1.1",
            f"Host: {host}:{self.port}",
            "User-Agent: nexuscore-bench",
            "Accept: application/json",
        ]
        extra = dict(headers or {})
        for name, value in extra.items():
            if not _TOKEN.match(name) or any(c in value for c in "\r\n\0"):
                raise ValueError(f"invalid header {name!r}")
            if name.lower() in ("host", "content-length", "transfer-encoding"):
                raise ValueError(f"header {name!r} is set by the load generator")
        if body is not None or method not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            if not any(name.lower() == "content-type" for name in extra) and body:
                lines.append("Content-Type: application/json")
            lines.append(f"Content-Length: {len(body or b'')}")
        lines.extend(f"{name}: {value}" for name, value in extra.items())
        return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + (body or b"")


@dataclass
class LoadResult:
    """Counts and latencies of one run; latencies in seconds, sorted once on demand."""

    url: str
    concurrency: int
    duration_s: float
    requests: int = 0
    errors: int = 0
    error_kinds: Counter[str] = field(default_factory=Counter)
    client_cpu_s: float = 0.0
    latencies_s: array[float] = field(default_factory=lambda: array("d"))
    _sorted: list[float] | None = field(default=None, repr=False)

    @property
    def rps(self) -> float:
        return self.requests / self.duration_s if self.duration_s > 0 else 0.0

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of successful and failed requests alike, in milliseconds."""
        if self._sorted is None or len(self._sorted) != len(self.latencies_s):
            self._sorted = sorted(self.latencies_s)
        if not self._sorted:
            return math.nan
        rank = max(1, math.ceil(p / 100 * len(self._sorted)))
        return self._sorted[rank - 1] * 1000

    @property
    def client_cpu_share(self) -> float:
        """Client CPU time / wall time: near 1.0 means the client may be the bottleneck.

        Process-wide: two loads run side by side in one process each count all of it."""
        return self.client_cpu_s / self.duration_s if self.duration_s > 0 else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "concurrency": self.concurrency,
            "duration_s": round(self.duration_s, 3),
            "requests": self.requests,
            "errors": self.errors,
            "error_kinds": dict(self.error_kinds),
            "rps": round(self.rps, 1),
            "p50_ms": round(self.percentile_ms(50), 3),
            "p90_ms": round(self.percentile_ms(90), 3),
            "p99_ms": round(self.percentile_ms(99), 3),
            "max_ms": round(self.percentile_ms(100), 3),
            "client_cpu_share": round(self.client_cpu_share, 3),
        }


def merge(results: list[LoadResult]) -> LoadResult:
    """Pool several runs against one target: total requests over total measured time."""
    if not results:
        raise ValueError("nothing to merge")
    merged = LoadResult(
        url=results[0].url,
        concurrency=results[0].concurrency,
        duration_s=sum(r.duration_s for r in results),
    )
    for r in results:
        merged.requests += r.requests
        merged.errors += r.errors
        merged.error_kinds.update(r.error_kinds)
        merged.client_cpu_s += r.client_cpu_s
        merged.latencies_s.extend(r.latencies_s)
    return merged


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one full response; return (status, connection reusable)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head[:-4].split(b"\r\n")
    status_line = lines[0].split(b" ", 2)
    if len(status_line) < 2 or not status_line[0].startswith(b"HTTP/1."):
        raise ProtocolError(f"bad status line {lines[0][:80]!r}")
    status = int(status_line[1])
    keep_alive = status_line[0] == b"HTTP/1.1"
    length: int | None = None
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif name == b"connection":
            token = value.strip().lower()
            keep_alive = token != b"close" and (keep_alive or token == b"keep-alive")
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
            if size == 0:
                while await reader.readuntil(b"\r\n") != b"\r\n":  # trailers
                    pass
                break
            await reader.readexactly(size + 2)
    elif length is not None:
        if length:
            await reader.readexactly(length)
    elif not (100 <= status < 200 or status in (204, 304)):
        await reader.read()  # body delimited by close
        keep_alive = False
    return status, keep_alive


async def _connection(
    target: Target,
    request: bytes,
    deadline: float,
    timeout: float,
    result: LoadResult,
    budget: list[int],
    interval: float | None = None,
    first_due: float | None = None,
) -> None:
    """One connection's loop: send, read the whole answer, repeat until the deadline.

    Closed loop by default (next request as soon as the answer is in). With `interval`, the
    connection paces itself to one request per interval and latency is measured from the
    scheduled send time, so a stalled server is not hidden by fewer requests being sent.
    `first_due` staggers paced connections so their requests do not all arrive at once.
    """
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    clock = time.perf_counter
    record = result.latencies_s.append
    next_due = clock() if first_due is None else first_due
    try:
        while clock() < deadline and budget[0] > 0:
            budget[0] -= 1
            if interval is not None:
                if (pause := next_due - clock()) > 0:
                    await asyncio.sleep(pause)
                started = next_due
                next_due += interval
            else:
                started = clock()
            try:
                async with asyncio.timeout(timeout):
                    if writer is None or reader is None:
                        reader, writer = await asyncio.open_connection(target.host, target.port)
                    writer.write(request)
                    status, keep_alive = await _read_response(reader)
            except TRANSPORT_ERRORS as exc:
                result.errors += 1
                result.error_kinds[type(exc).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                await asyncio.sleep(RECONNECT_PAUSE_S)
                continue
            record(clock() - started)
            result.requests += 1
            if not 200 <= status < 300:
                result.errors += 1
                result.error_kinds[f"http_{status}"] += 1
            if not keep_alive and writer is not None:
                writer.close()
                reader = writer = None
    finally:
        if writer is not None:
            writer.close()


async def run_load(
    url: str,
    *,
    concurrency: int = 32,
    seconds: float = 5.0,
    timeout: float = 5.0,
    max_requests: int = MAX_REQUESTS,
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    bodies: Sequence[bytes] | None = None,
    rate_per_connection: float | None = None,
) -> LoadResult:
    """Run `concurrency` keep-alive connections against `url` for `seconds`; bounded in every dimension.

    `method` and `headers` apply to every request; with `bodies`, connection k always sends
    `bodies[k % len(bodies)]` (e.g. one login per user, spread evenly over the connections).
    `rate_per_connection` (requests/s) turns each connection into a paced, open-loop sender;
    the connections take turns, evenly spaced (k/concurrency of an interval apart), so the
    server sees a steady stream rather than bursts of `concurrency` requests at once.
    """
    interval = None if not rate_per_connection else 1.0 / rate_per_connection
    if not 1 <= concurrency <= MAX_CONCURRENCY:
        raise ValueError(f"concurrency must be 1..{MAX_CONCURRENCY}")
    if not 0 < seconds <= MAX_SECONDS:
        raise ValueError(f"seconds must be in (0, {MAX_SECONDS:g}]")
    target = Target.parse(url)
    if bodies is not None and not bodies:
        raise ValueError("bodies must not be empty")
    if bodies is None:
        requests = [target.request_bytes(method, headers)]
    else:
        requests = [target.request_bytes(method, headers, body) for body in bodies]
    budget = [min(max_requests, MAX_REQUESTS)]
    result = LoadResult(url=url, concurrency=concurrency, duration_s=0.0)
    cpu_start = time.process_time()
    started = time.perf_counter()
    deadline = started + seconds
    tasks = [
        asyncio.create_task(
            _connection(
                target,
                requests[k % len(requests)],
                deadline,
                timeout,
                result,
                budget,
                interval,
                None if interval is None else started + k * interval / concurrency,
            )
        )
        for k in range(concurrency)
    ]
    try:
        # The last requests started before the deadline may finish up to `timeout` after it.
        await asyncio.wait_for(asyncio.gather(*tasks), timeout=seconds + timeout + 5)
    finally:
        for task in tasks:
            task.cancel()
    result.duration_s = time.perf_counter() - started
    result.client_cpu_s = time.process_time() - cpu_start
    return result


def loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop when available (it ships with uvicorn[standard]): a cheaper client loop."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def run_load_sync(url: str, **kwargs: Any) -> LoadResult:
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(run_load(url, **kwargs))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("url", help="http://127.0.0.1:PORT/path (loopback only)")
    parser.add_argument("-c", "--concurrency", type=int, default=32, help="connections (default 32)")
    parser.add_argument("-d", "--seconds", type=float, default=5.0, help="duration in seconds (default 5)")
    parser.add_argument("--timeout", type=float, default=5.0, help="per-request timeout in seconds (default 5)")
    parser.add_argument("--max-requests", type=int, default=MAX_REQUESTS, help="stop after this many requests")
    parser.add_argument("-X", "--method", default="GET", help="HTTP method (default GET)")
    parser.add_argument(
        "-H", "--header", action="append", default=[], metavar="'NAME: VALUE'", help="extra request header (repeatable)"
    )
    parser.add_argument("--data", default=None, help="request body, sent as application/json unless -H sets a type")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    headers: dict[str, str] = {}
    for raw in args.header:
        name, sep, value = raw.partition(":")
        if not sep:
            parser.error(f"header {raw!r} must be 'NAME: VALUE'")
        headers[name.strip()] = value.strip()
    try:
        result = run_load_sync(
            args.url,
            concurrency=args.concurrency,
            seconds=args.seconds,
            timeout=args.timeout,
            max_requests=args.max_requests,
            method=args.method.upper(),
            headers=headers,
            bodies=None if args.data is None else [args.data.encode()],
        )
    except ValueError as exc:
        parser.error(str(exc))
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        print(
            f"{summary['requests']} requests in {summary['duration_s']} s: {summary['rps']} req/s, "
            f"p50 {summary['p50_ms']} ms, p99 {summary['p99_ms']} ms, errors {summary['errors']}"
            f"{' ' + str(summary['error_kinds']) if summary['errors'] else ''}"
        )
        if result.client_cpu_share > 0.9:
            print("warning: the client used ~100% of a CPU; it may be the bottleneck")
    return 1 if result.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
