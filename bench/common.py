"""Shared benchmark machinery: start the service and Oxigraph servers, and a small load generator.

Everything runs on loopback. The load generator is a minimal HTTP/1.1 keep-alive client on raw
asyncio streams (one connection per concurrent client), so that the client costs as little CPU
as possible: on a 2-core machine it shares the cores with the server under test, which caps the
req/s it can measure for the fastest servers (the same for every server in a run).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sse_graph.namespaces import SERVED_GRAPHS  # noqa: E402

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
JSON = "application/sparql-results+json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def machine() -> str:
    import pyoxigraph

    out = subprocess.run([OXIGRAPH, "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, {out}"
    )


# ---------------------------------------------------------------- processes


@dataclass
class Server:
    name: str
    url: str
    proc: subprocess.Popen
    #: extra query-string parameters this server needs on every query (the dataset)
    params: tuple[tuple[str, str], ...] = ()
    path: str = "/sparql"

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or 80

    def stop(self) -> None:
        stop(self.proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 120.0, ok=(200,)) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2.0).status_code in ok:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def sse_graph(*args: str, env: dict[str, str] | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sse_graph.cli", *args],
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        check=True,
        **kw,
    )


def start_service(
    name: str, cache_dir: Path, env_extra: dict[str, str] | None = None, workers: int = 1
) -> Server:
    """``sse-graph serve`` on a loopback port (one uvicorn worker unless told otherwise)."""
    port = free_port()
    env = {**os.environ, "SSE_GRAPH_CACHE_DIR": str(cache_dir), **(env_extra or {})}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "sse_graph.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/readyz", proc)
    except Exception:
        stop(proc)
        raise
    return Server(name, url, proc)


def dataset_params() -> tuple[tuple[str, str], ...]:
    """The protocol dataset the remote store sends: both graphs as default and as named graphs."""
    return tuple(
        [("default-graph-uri", g) for g in SERVED_GRAPHS]
        + [("named-graph-uri", g) for g in SERVED_GRAPHS]
    )


def start_oxigraph_disk(name: str, location: Path, files: list[Path]) -> Server:
    """The Oxigraph server's on-disk deployment: bulk ``oxigraph load``, then ``serve``."""
    location.mkdir(parents=True, exist_ok=True)
    if files:
        subprocess.run(
            [OXIGRAPH, "load", "--location", str(location), "--file", *map(str, files)],
            check=True,
            capture_output=True,
        )
    return _serve_oxigraph(name, ["--location", str(location)])


def start_oxigraph_memory(name: str, files: list[Path]) -> Server:
    """The in-memory deployment: ``serve`` without a location, N-Quads POSTed to /store."""
    server = _serve_oxigraph(name, [])
    for path in files:
        r = httpx.post(
            server.url + "/store",
            content=path.read_bytes(),
            headers={"Content-Type": "application/n-quads"},
            timeout=600,
        )
        r.raise_for_status()
    return server


def _serve_oxigraph(name: str, extra: list[str]) -> Server:
    port = free_port()
    proc = subprocess.Popen(
        [OXIGRAPH, "serve", *extra, "--bind", f"127.0.0.1:{port}", "--timeout-s", "30"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/query?query=ASK%7B%7D", proc)
    return Server(name, url, proc, params=dataset_params(), path="/query")


@contextlib.contextmanager
def servers() -> Iterator[list[Server]]:
    """Stop every server started into the yielded list, whatever happens."""
    started: list[Server] = []
    try:
        yield started
    finally:
        for s in reversed(started):
            s.stop()


def temp_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=prefix))


# ---------------------------------------------------------------- load generator


class _Conn:
    """One keep-alive HTTP/1.1 connection; reads Content-Length and chunked bodies."""

    def __init__(self, host: str, port: int):
        assert host in ("127.0.0.1", "localhost", "::1"), "benchmarks stay on loopback"
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
            self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, int]:
        if self.writer is None:
            await self._open()
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        status_line = await self.reader.readline()
        if not status_line:
            await self.close()
            raise ConnectionError("connection closed")
        status = int(status_line.split()[1])
        length, chunked, close = None, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            key, _, value = line.decode("latin-1").partition(":")
            key, value = key.strip().lower(), value.strip().lower()
            if key == "content-length":
                length = int(value)
            elif key == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif key == "connection" and value == "close":
                close = True
        size = 0
        if chunked:
            while True:
                n = int((await self.reader.readline()).split(b";")[0], 16)
                if n == 0:
                    while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                await self.reader.readexactly(n + 2)
                size += n
        elif length is not None:
            await self.reader.readexactly(length)
            size = length
        if close:
            await self.close()
        return status, size


def get_request(server: Server, query: str, accept: str = JSON, extra: dict | None = None) -> bytes:
    params = [("query", query), *server.params, *(extra or {}).items()]
    target = f"{server.path}?{urlencode(params)}"
    return (
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Accept: {accept}\r\nUser-Agent: sse-graph-bench\r\n\r\n"
    ).encode()


@dataclass
class Figures:
    p50_ms: float = math.nan
    p99_ms: float = math.nan
    rps: float = math.nan
    errors: int = 0
    status: str = "ok"


async def _latency(
    port: int, raw: bytes, count: int, seconds: float, min_samples: int = 3
) -> tuple[list[float], int, int]:
    """Sequential requests on one connection: (latencies, non-200 answers, last status)."""
    conn = _Conn("127.0.0.1", port)
    samples: list[float] = []
    errors = 0
    try:
        # warm-up: opens the connection and fills what is meant to be filled (the response cache)
        t0 = time.perf_counter()
        status, _ = await conn.request(raw)
        first = time.perf_counter() - t0
        if status != 200:
            return [], 1, status
        if first > seconds:  # a slow query: its one answer is the figure
            return [first], 0, status
        deadline = time.perf_counter() + seconds
        while len(samples) < count and (
            time.perf_counter() < deadline or len(samples) < min_samples
        ):
            t0 = time.perf_counter()
            status, _ = await conn.request(raw)
            samples.append(time.perf_counter() - t0)
            if status != 200:
                errors += 1
    finally:
        await conn.close()
    return samples, errors, status


async def _throughput(
    port: int, raw: bytes, clients: int, seconds: float
) -> tuple[int, int, float]:
    done = errors = 0
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal done, errors
        conn = _Conn("127.0.0.1", port)
        try:
            while time.perf_counter() < stop_at:
                try:
                    status, _ = await conn.request(raw)
                except (ConnectionError, asyncio.IncompleteReadError):
                    errors += 1
                    await conn.close()
                    continue
                if status == 200:
                    done += 1
                else:
                    errors += 1
        finally:
            await conn.close()

    t0 = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return done, errors, time.perf_counter() - t0


def measure(
    server: Server,
    query: str,
    *,
    count: int = 200,
    seconds: float = 1.0,
    concurrency: int = 16,
    throughput_seconds: float = 1.0,
    min_samples: int = 3,
) -> Figures:
    """p50/p99 at concurrency 1 (bounded by ``count`` and ``seconds``), then req/s at 16."""
    raw = get_request(server, query)
    samples, errors, status = asyncio.run(_latency(server.port, raw, count, seconds, min_samples))
    if not samples:
        return Figures(errors=errors, status="timeout" if status in (503, 504) else str(status))
    samples.sort()
    fig = Figures(
        p50_ms=statistics.median(samples) * 1000,
        p99_ms=samples[min(len(samples) - 1, math.ceil(0.99 * len(samples)) - 1)] * 1000,
        errors=errors,
    )
    if concurrency and throughput_seconds > 0:
        done, errs, elapsed = asyncio.run(
            _throughput(server.port, raw, concurrency, throughput_seconds)
        )
        fig.rps = done / elapsed
        fig.errors += errs
    return fig


def geomean(values: list[float]) -> float:
    vals = [v for v in values if v and not math.isnan(v) and v > 0]
    if not vals:
        return math.nan
    return math.exp(sum(math.log(v) for v in vals) / len(vals))


def fmt(value: float, digits: int = 2) -> str:
    if value is None or math.isnan(value):
        return "—"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"]
    out.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        cells = [
            c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        ]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def curated_queries(names: list[str] | None = None) -> dict[str, str]:
    """Each curated query's text with its default parameters joined in as an inline VALUES."""
    from sse_graph.queries import load_queries
    from sse_graph.sparql.guard import bind_values, check
    from sse_graph.sparql.results import nt_terms

    out = {}
    for name, q in load_queries(ROOT / "queries").items():
        if names and name not in names:
            continue
        defaults = {p.name: p.default for p in q.parameters if p.default}
        checked = check(q.text, served_graphs=SERVED_GRAPHS, max_bytes=1 << 20)
        out[name] = bind_values(q.text, checked, nt_terms(q.bindings(defaults)))
    return out
