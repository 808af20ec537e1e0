"""Shared fixtures: one build per test session, a real service on a loopback port.

The service runs as a separate process (``sse-graph serve``), exactly as deployed. With
``--store-mode=remote`` the same tests run against a real Oxigraph server that the fixture starts
and loads with ``sse-graph load``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--store-mode",
        choices=["embedded", "remote"],
        default=os.environ.get("SSE_GRAPH_TEST_STORE_MODE", "embedded"),
        help="run the service tests on the embedded store or on a real Oxigraph server",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "embedded_only: checks a property of the embedded store's worker processes"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In remote mode run only what talks to the service; the rest ran in embedded mode.

    Deselected (not skipped): store-independent tests are not repeated, and embedded-only
    checks (worker processes, pyoxigraph crashes) have no remote counterpart to run.
    """
    if config.getoption("--store-mode") != "remote":
        return
    keep, drop = [], []
    for item in items:
        uses_service = "service" in getattr(item, "fixturenames", ())
        if uses_service and not item.get_closest_marker("embedded_only"):
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            r = httpx.get(url, timeout=2.0)
            if r.status_code < 500:
                return
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s: {last}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="session")
def settings(cache_dir: Path):
    from sse_graph.settings import Settings

    return Settings(cache_dir=cache_dir)


@pytest.fixture(scope="session")
def built(settings):
    """The real graph, built once (parse, validate, reason) into the session's cache."""
    from sse_graph.build import build

    return build(settings, log=lambda *_: None)


@pytest.fixture(scope="session")
def oxstore(built):
    """The built dataset in an in-process pyoxigraph store, for direct (non-HTTP) checks."""
    from sse_graph.sparql.engine import load_store

    return load_store([built.asserted_path, built.inferred_path])


def sse_graph_cmd() -> list[str]:
    return [sys.executable, "-m", "sse_graph.cli"]


@dataclass
class Oxigraph:
    url: str
    proc: subprocess.Popen


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Oxigraph]:
    """A real Oxigraph server (PyPI ``oxigraph``) on a loopback port, on-disk store."""
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    location = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    wait_http(url + "/query?query=ASK%7B%7D", proc=proc)
    yield Oxigraph(url, proc)
    stop(proc)


@dataclass
class Service:
    url: str
    proc: subprocess.Popen
    env: dict[str, str]
    mode: str


def start_service(env_extra: dict[str, str], cache_dir: Path) -> Service:
    port = free_port()
    env = {
        **os.environ,
        "SSE_GRAPH_CACHE_DIR": str(cache_dir),
        "SSE_GRAPH_QUERY_WORKERS": "2",
        **env_extra,
    }
    proc = subprocess.Popen(
        [
            *sse_graph_cmd(),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/readyz", proc=proc)
        deadline = time.monotonic() + 30
        while httpx.get(url + "/readyz").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
    except Exception:
        stop(proc)
        raise
    return Service(url, proc, env, env_extra.get("SSE_GRAPH_STORE", "embedded"))


@pytest.fixture(scope="session")
def store_mode(request: pytest.FixtureRequest) -> str:
    return request.config.getoption("--store-mode")


@pytest.fixture(scope="session")
def service(
    request: pytest.FixtureRequest, built, cache_dir: Path, store_mode: str
) -> Iterator[Service]:
    """The service under test on a loopback port, in the session's store mode."""
    env: dict[str, str] = {}
    if store_mode == "remote":
        ox = request.getfixturevalue("oxigraph_server")
        env["SSE_GRAPH_STORE"] = ox.url
        subprocess.run(
            [*sse_graph_cmd(), "load", "--store", ox.url],
            env={**os.environ, "SSE_GRAPH_CACHE_DIR": str(cache_dir)},
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    svc = start_service(env, cache_dir)
    yield svc
    stop(svc.proc)


@pytest.fixture()
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=30.0) as c:
        yield c
