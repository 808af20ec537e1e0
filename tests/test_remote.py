"""Remote mode against a real Oxigraph server: loading, limits, outages, the guard, the CLI.

These tests start their own Oxigraph servers (on disk, in a temporary folder) and their own
service processes, so they can stop and restart the store. They run in the embedded-mode pass
(the remote-mode pass keeps only tests on the shared ``service`` fixture).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from conftest import ROOT, free_port, sse_graph_cmd, start_service, stop, wait_http

from sse_graph.namespaces import SERVED_GRAPHS

META = "https://w3id.org/sse-kg/id/graph/meta"
ASSERTED, INFERRED = SERVED_GRAPHS
OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
# 3-way: long enough to pass any limit here, and one the Oxigraph server's --timeout-s does stop
# (a 4-way COUNT keeps running in the store whatever its --timeout-s: see docs/deployment.md)
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@dataclass
class Store:
    url: str
    location: Path
    port: int
    proc: subprocess.Popen

    def start(self) -> None:
        self.proc = _oxigraph(self.location, self.port)

    def stop(self) -> None:
        stop(self.proc)

    def counts(self) -> dict[str, int]:
        r = httpx.post(
            self.url + "/query",
            data={"query": "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
            headers={"Accept": "application/sparql-results+json"},
        )
        r.raise_for_status()
        return {b["g"]["value"]: int(b["n"]["value"]) for b in r.json()["results"]["bindings"]}

    def total(self) -> int:
        """Every quad the store holds, default graph included."""
        r = httpx.post(
            self.url + "/query",
            data={
                "query": "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
            },
            headers={"Accept": "application/sparql-results+json"},
        )
        r.raise_for_status()
        return int(r.json()["results"]["bindings"][0]["n"]["value"])


def _oxigraph(location: Path, port: int) -> subprocess.Popen:
    # --timeout-s: the store stops runaway work itself (it does not when a client goes away)
    proc = subprocess.Popen(
        [
            OXIGRAPH,
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout-s",
            "4",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=30, proc=proc)
    return proc


def new_store(tmp: Path) -> Store:
    port = free_port()
    location = tmp / f"oxigraph-{port}"
    location.mkdir()
    return Store(f"http://127.0.0.1:{port}", location, port, _oxigraph(location, port))


def load(url: str, cache_dir: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*sse_graph_cmd(), "load", "--store", url, *extra],
        env={**os.environ, "SSE_GRAPH_CACHE_DIR": str(cache_dir)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # the service hung up on a timed-out query: expected


class Recorder:
    """A loopback HTTP proxy in front of the store that records every request it forwards."""

    def __init__(self, upstream: str):
        self.upstream = upstream
        self.seen: list[tuple[str, str, bytes]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _forward(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorder.seen.append((self.command, self.path, body))
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() not in ("host", "content-length", "connection")
                }
                try:
                    r = httpx.request(
                        self.command,
                        recorder.upstream + self.path,
                        content=body,
                        headers=headers,
                        timeout=30,
                    )
                except httpx.HTTPError:  # the store cut a runaway query off (--timeout-s)
                    self.send_response(502)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(r.status_code)
                for k, v in r.headers.items():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(r.content)))
                self.end_headers()
                self.wfile.write(r.content)

            do_GET = do_POST = do_PUT = _forward

        self.port = free_port()
        self.server = _QuietServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def bodies(self) -> str:
        from urllib.parse import unquote_plus

        return "\n".join(unquote_plus(b.decode("utf-8", "replace")) + p for _, p, b in self.seen)


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def store(tmp_path_factory, built, cache_dir) -> Iterator[Store]:
    s = new_store(tmp_path_factory.mktemp("remote"))
    done = load(s.url, cache_dir)
    assert done.returncode == 0, done.stderr
    yield s
    s.stop()


@pytest.fixture(scope="module")
def recorder(store: Store) -> Iterator[Recorder]:
    r = Recorder(store.url)
    yield r
    r.close()


@pytest.fixture(scope="module")
def remote(recorder: Recorder, cache_dir) -> Iterator:
    """The service over the module's store, through the recording proxy, cache off."""
    svc = start_service(
        {"SSE_GRAPH_STORE": recorder.url, "SSE_GRAPH_RESPONSE_CACHE": "false"}, cache_dir
    )
    yield svc
    stop(svc.proc)


@pytest.fixture()
def rc(remote) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=remote.url, timeout=30) as c:
        yield c


# ---------------------------------------------------------------- loading


def test_load_twice_leaves_one_load(store: Store, built, cache_dir) -> None:
    counts = built.manifest["counts"]
    first = store.counts()
    again = load(store.url, cache_dir)
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout[again.stdout.index("{") :])
    assert report["verified"] is True
    assert report["version"] == built.version
    assert report["graphs"][ASSERTED] == {
        "expected": counts["asserted"],
        "sent": counts["asserted"],
        "bytes": report["graphs"][ASSERTED]["bytes"],
        "loaded": counts["asserted"],
    }
    assert report["graphs"][INFERRED]["loaded"] == counts["inferred"]
    after = store.counts()
    assert after == first
    assert after[ASSERTED] == counts["asserted"]
    assert after[INFERRED] == counts["inferred"]
    assert set(after) == {ASSERTED, INFERRED, META}
    assert store.total() == counts["asserted"] + counts["inferred"] + after[META]


def test_load_reports_an_unreachable_store(cache_dir) -> None:
    t0 = time.monotonic()
    r = subprocess.run(
        [*sse_graph_cmd(), "load", "--store", f"http://127.0.0.1:{free_port()}"],
        env={
            **os.environ,
            "SSE_GRAPH_CACHE_DIR": str(cache_dir),
            "SSE_GRAPH_STORE_CONNECT_RETRIES": "2",
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "failed after 2 attempts" in r.stderr and "connection refused" in r.stderr
    assert "Traceback" not in r.stderr
    assert time.monotonic() - t0 < 20


def test_version_and_metadata_come_from_the_store(store: Store, built, tmp_path) -> None:
    """A replica with no build cache of its own reads the version from the store."""
    from sse_graph.settings import Settings
    from sse_graph.store.remote import RemoteStore

    settings = Settings(store=store.url, cache_dir=tmp_path / "empty-cache")

    async def go():
        s = RemoteStore(settings)
        await s.start()
        try:
            return s.version, s.last_modified, await s.graph_counts(), await s.ready()
        finally:
            await s.close()

    version, modified, counts, ready = asyncio.run(go())
    assert version == built.version
    assert modified == built.manifest["built"]
    assert counts == {
        ASSERTED: built.manifest["counts"]["asserted"],
        INFERRED: built.manifest["counts"]["inferred"],
    }
    assert ready is True
    assert not (tmp_path / "empty-cache").exists()


def test_dumps_match_the_embedded_store(store: Store, settings, built) -> None:
    from sse_graph.settings import Settings
    from sse_graph.store.embedded import EmbeddedStore
    from sse_graph.store.remote import RemoteStore

    async def dumps(s, media_types):
        await s.start()
        try:
            return [await s.dump(g, m) for g, m in media_types]
        finally:
            await s.close()

    wanted = [
        (INFERRED, "application/n-triples"),
        (INFERRED, "text/turtle"),
        (ASSERTED, "application/n-triples"),
        (None, "application/n-quads"),
    ]
    embedded = asyncio.run(
        dumps(EmbeddedStore(settings.model_copy(update={"query_workers": 1}), built), wanted)
    )
    remote = asyncio.run(dumps(RemoteStore(Settings(store=store.url)), wanted))
    # no blank nodes in the inferred graph: byte-identical
    assert remote[0] == embedded[0] and remote[1] == embedded[1]
    # blank-node labels are the store's own: compare everything else, and the sizes
    for r, e in zip(remote[2:], embedded[2:], strict=True):
        r_lines, e_lines = r.decode().splitlines(), e.decode().splitlines()
        assert len(r_lines) == len(e_lines)
        assert [x for x in r_lines if "_:" not in x] == [x for x in e_lines if "_:" not in x]


# ---------------------------------------------------------------- the service over the store


def test_dataset_is_the_two_graphs(rc: httpx.Client, built) -> None:
    counts = built.manifest["counts"]
    r = rc.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
    assert r.status_code == 200, r.text
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == sum(counts.values())
    r = rc.get("/sparql", params={"query": "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"})
    assert {b["g"]["value"] for b in r.json()["results"]["bindings"]} == set(SERVED_GRAPHS)
    r = rc.get("/sparql", params={"query": f"ASK {{ GRAPH <{META}> {{ ?s ?p ?o }} }}"})
    assert r.status_code in (200, 400)
    if r.status_code == 200:
        assert r.json()["boolean"] is False
    r = rc.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "default-graph-uri": INFERRED},
    )
    assert int(r.json()["results"]["bindings"][0]["n"]["value"]) == counts["inferred"]
    assert r.headers["etag"].strip('W/"') == built.version


def test_row_cap_marks_truncation(recorder: Recorder, cache_dir) -> None:
    svc = start_service(
        {
            "SSE_GRAPH_STORE": recorder.url,
            "SSE_GRAPH_MAX_ROWS": "7",
            "SSE_GRAPH_RESPONSE_CACHE": "false",
        },
        cache_dir,
    )
    try:
        with httpx.Client(base_url=svc.url, timeout=30) as c:
            q = "SELECT ?s ?p ?o { ?s ?p ?o }"
            r = c.get("/sparql", params={"query": q})
            assert r.status_code == 200
            doc = r.json()
            assert len(doc["results"]["bindings"]) == 7
            assert doc["truncated"] is True and doc["limit"] == 7
            assert r.headers["SSE-Graph-Truncated"] == "true"
            r = c.get("/sparql", params={"query": q}, headers={"Accept": "text/csv"})
            assert len(r.text.strip().splitlines()) == 8 and r.headers["SSE-Graph-Truncated"]
            r = c.get(
                "/sparql",
                params={"query": "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }"},
                headers={"Accept": "application/n-triples"},
            )
            assert r.status_code == 200
            assert len(r.text.strip().splitlines()) == 7
            assert r.headers["SSE-Graph-Truncated"] == "true"
            r = c.get("/sparql", params={"query": "SELECT ?s { ?s a ?c } LIMIT 7"})
            assert "truncated" not in r.json() and "SSE-Graph-Truncated" not in r.headers
    finally:
        stop(svc.proc)


def test_service_and_updates_never_reach_the_store(
    rc: httpx.Client, recorder: Recorder, store: Store
) -> None:
    canary_hits: list[str] = []

    class Canary(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            canary_hits.append(self.path)
            self.send_response(500)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args) -> None:
            pass

    canary = ThreadingHTTPServer(("127.0.0.1", free_port()), Canary)
    threading.Thread(target=canary.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{canary.server_address[1]}/sparql"
    before = store.counts()
    recorder.seen.clear()
    try:
        hostile = [
            ("query", f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"),
            ("query", f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}"),
            ("query", "INSERT DATA { <urn:x> <urn:y> <urn:z> }"),
            ("query", f"DROP GRAPH <{ASSERTED}>"),
            ("query", f"LOAD <{url}> INTO GRAPH <{ASSERTED}>"),
            ("update", "INSERT DATA { <urn:x> <urn:y> <urn:z> }"),
            ("update", "CLEAR ALL"),
        ]
        for key, text in hostile:
            for r in (rc.get("/sparql", params={key: text}), rc.post("/sparql", data={key: text})):
                assert r.status_code in (400, 403), (text, r.status_code, r.text)
                assert r.json()["error"] in (
                    "service_not_allowed",
                    "update_not_allowed",
                    "read_only",
                ), r.text
        r = rc.post(
            "/sparql", content="CLEAR ALL", headers={"Content-Type": "application/sparql-update"}
        )
        assert r.status_code in (400, 403, 415)
    finally:
        canary.shutdown()
        canary.server_close()
    assert recorder.seen == [], recorder.bodies()
    assert canary_hits == []
    assert store.counts() == before
    # the proxy does see ordinary queries: the check above is not vacuous
    assert rc.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
    assert any("ASK" in b for b in recorder.bodies().splitlines())


def test_time_limit_holds_remotely(rc: httpx.Client) -> None:
    t0 = time.monotonic()
    r = rc.get("/sparql", params={"query": CARTESIAN, "timeout": "1"})
    elapsed = time.monotonic() - t0
    assert r.status_code == 504, r.text
    assert "time limit of 1 s" in r.json()["message"]
    assert elapsed < 2.5, elapsed
    t0 = time.monotonic()
    r = rc.get("/sparql", params={"query": "ASK { ?s a ?c }"})
    assert r.status_code == 200 and r.json()["boolean"] is True
    assert time.monotonic() - t0 < 1.0


def test_store_side_limit_is_a_timeout(rc: httpx.Client) -> None:
    """The store's own --timeout-s (4 s here) cuts a query the service allows 10 s for: 504."""
    t0 = time.monotonic()
    r = rc.get("/sparql", params={"query": CARTESIAN})
    elapsed = time.monotonic() - t0
    assert r.status_code == 504, r.text
    assert r.json()["error"] == "timeout"
    assert 4 <= r.json()["limit_seconds"] < 10, r.text  # the store's limit, not the service's
    assert elapsed < 9, elapsed


def test_bad_query_message_comes_from_the_store(rc: httpx.Client) -> None:
    r = rc.get("/sparql", params={"query": "SELECT ?s WHERE { ?s ?p }"})
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "bad_query" and body["line"] == 1 and body["column"] > 1


def test_curated_query_with_parameter(rc: httpx.Client, client_embedded) -> None:
    """Parameters bind values remotely as they do in the embedded store."""
    listed = rc.get("/queries").json()
    with_param = [q for q in listed if q["parameters"]]
    assert with_param
    for q in with_param:
        remote = rc.get(f"/queries/{q['name']}")
        local = client_embedded.get(f"/queries/{q['name']}")
        assert remote.status_code == local.status_code == 200, (q["name"], remote.text)
        key = lambda b: json.dumps(b, sort_keys=True)  # noqa: E731
        assert sorted(map(key, remote.json()["results"]["bindings"])) == sorted(
            map(key, local.json()["results"]["bindings"])
        ), q["name"]


@pytest.fixture(scope="module")
def client_embedded(cache_dir) -> Iterator[httpx.Client]:
    svc = start_service({"SSE_GRAPH_RESPONSE_CACHE": "false"}, cache_dir)
    try:
        with httpx.Client(base_url=svc.url, timeout=30) as c:
            yield c
    finally:
        stop(svc.proc)


# ---------------------------------------------------------------- outages


def test_store_outage_gives_503_and_recovers(tmp_path, built, cache_dir) -> None:
    s = new_store(tmp_path)
    assert load(s.url, cache_dir).returncode == 0
    svc = start_service({"SSE_GRAPH_STORE": s.url, "SSE_GRAPH_RESPONSE_CACHE": "false"}, cache_dir)
    try:
        with httpx.Client(base_url=svc.url, timeout=30) as c:
            q = {"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
            assert c.get("/sparql", params=q).status_code == 200
            s.stop()
            t0 = time.monotonic()
            r = c.get("/sparql", params=q)
            assert time.monotonic() - t0 < 5
            assert r.status_code == 503, r.text
            body = r.json()
            assert body["error"] == "store_unavailable"
            assert "cannot be reached" in body["message"]
            assert s.url not in body["message"]  # no internal address in public errors
            assert r.headers.get("Retry-After")
            assert c.get("/readyz").status_code == 503
            assert c.get("/healthz").status_code == 200
            assert svc.proc.poll() is None

            s.start()  # same port, same location
            deadline = time.monotonic() + 30
            status = None
            while time.monotonic() < deadline:
                status = c.get("/sparql", params=q).status_code
                if status == 200:
                    break
                time.sleep(0.2)
            assert status == 200
            assert c.get("/readyz").status_code == 200
            n = c.get("/sparql", params=q).json()["results"]["bindings"][0]["n"]["value"]
            assert int(n) == sum(built.manifest["counts"].values())
    finally:
        stop(svc.proc)
        s.stop()


def test_startup_gives_up_with_a_clear_message(tmp_path, cache_dir) -> None:
    port = free_port()
    env = {
        **os.environ,
        "SSE_GRAPH_CACHE_DIR": str(cache_dir),
        "SSE_GRAPH_STORE": f"http://127.0.0.1:{port}",
        "SSE_GRAPH_STORE_CONNECT_RETRIES": "2",
    }
    t0 = time.monotonic()
    r = subprocess.run(
        [*sse_graph_cmd(), "serve", "--port", str(free_port()), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0
    assert time.monotonic() - t0 < 20
    assert "cannot be reached" in r.stderr and "gave up after 2 attempts" in r.stderr

    # an empty store: reachable, but holds no dataset
    s = new_store(tmp_path)
    try:
        env["SSE_GRAPH_STORE"] = s.url
        r = subprocess.run(
            [*sse_graph_cmd(), "serve", "--port", str(free_port()), "--log-level", "warning"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode != 0
        assert "holds no sse-graph dataset" in r.stderr and "sse-graph load" in r.stderr
    finally:
        s.stop()


# ---------------------------------------------------------------- CLI


def test_cli_query_with_store(store: Store, cache_dir) -> None:
    text = (
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
        "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l FILTER(LANG(?l) = 'en') } ORDER BY ?c ?l"
    )
    env = {**os.environ, "SSE_GRAPH_CACHE_DIR": str(cache_dir)}
    outs = []
    for extra in ([], ["--store", store.url]):
        r = subprocess.run(
            [*sse_graph_cmd(), "query", "-", "-o", "csv", *extra],
            input=text,
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 0, r.stderr
        outs.append(r.stdout)
    assert outs[0] == outs[1]
    assert len(outs[0].splitlines()) > 10

    r = subprocess.run(
        [*sse_graph_cmd(), "query", "-", "--store", f"http://127.0.0.1:{free_port()}"],
        input="ASK {}",
        env={**env, "SSE_GRAPH_STORE_CONNECT_RETRIES": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "cannot be reached" in r.stderr and "Traceback" not in r.stderr
