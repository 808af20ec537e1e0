"""The remote store: the same read-only dataset held by a SPARQL 1.1 store reached over HTTP.

Layout (the Oxigraph server's, overridable by settings): queries at ``{store}/query``, the
Graph Store Protocol at ``{store}/store``. ``sse-graph load`` PUTs the asserted and inferred graphs
as named graphs plus a small metadata graph holding the dataset version, so replicas that share
no files read the version (the ETag) from the store itself.

Every query is sent with an explicit dataset: by default both served graphs as the default graph
(their union, as in the embedded store) and as the named graphs, so the metadata graph or any
other graph the store holds never leaks into answers. Results are fetched in a line-oriented
format (TSV for solutions, N-Triples for graphs), read only up to the row cap, then
re-serialized with the same writers as the embedded store, so both modes answer alike.

Limits: the time limit is enforced here (the HTTP exchange is cancelled, which closes the
connection) and passed along as ``timeout=`` in seconds (Fuseki reads it; the Oxigraph server
only has a server-wide ``--timeout-s``, which a deployment should set, since it does not stop
work when a client goes away). In-flight queries are capped at ``query_workers``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from sse_graph import __version__
from sse_graph.namespaces import ID, SERIALIZATION_PREFIXES
from sse_graph.queries import internal_query
from sse_graph.sparql import results
from sse_graph.store.base import (
    JSON_RESULTS,
    Overloaded,
    QueryFailed,
    QueryRequest,
    QueryResponse,
    QueryTimeout,
    Store,
    StoreUnavailable,
)

log = logging.getLogger("sse_graph.store.remote")

META_GRAPH = str(ID["graph/meta"])
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"
VOID = "http://rdfs.org/ns/void#"
XSD = "http://www.w3.org/2001/XMLSchema#"

TSV = "text/tab-separated-values"
NTRIPLES = "application/n-triples"
_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)
_CANCELLED = ("operation has been cancelled", "timeout", "timed out")
_MAX_ERROR_BYTES = 16_384


class StoreUnreachable(StoreUnavailable, ConnectionError):
    """Startup gave up after the bounded retries (an OSError, so the CLI prints one line)."""


class LoadError(ConnectionError):
    """``sse-graph load`` failed; the message says which step and why."""


# ---------------------------------------------------------------- endpoints and helpers


def endpoints(settings) -> tuple[str, str]:
    """(query URL, Graph Store Protocol URL) for the configured store."""
    base = settings.store.rstrip("/")
    return (settings.store_query_url or f"{base}/query", settings.store_gsp_url or f"{base}/store")


def _auth(settings) -> httpx.BasicAuth | None:
    if settings.store_user:
        return httpx.BasicAuth(settings.store_user, settings.store_password or "")
    return None


def public_url(url: str) -> str:
    """The URL without credentials, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    if "Connection refused" in text or "Errno 111" in text:
        return "connection refused"
    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the connection was closed without an answer"
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _query_failed(status: int, body: bytes) -> QueryFailed:
    text = body[:_MAX_ERROR_BYTES].decode("utf-8", "replace").strip()
    m = _POSITION.match(text)
    if m:
        return QueryFailed(
            f"syntax error at line {m.group(1)}, column {m.group(2)}: {m.group(3)}",
            int(m.group(1)),
            int(m.group(2)),
        )
    return QueryFailed(text or f"the store refused the query (HTTP {status})")


def _cut_lines(data: bytes, keep: int) -> bytes:
    """The first ``keep`` newline-terminated lines of ``data``."""
    pos = 0
    for _ in range(keep):
        nxt = data.find(b"\n", pos)
        if nxt < 0:
            return data
        pos = nxt + 1
    return data[:pos]


# ---------------------------------------------------------------- the store


class RemoteStore(Store):
    """A SPARQL 1.1 store over HTTP (query endpoint + Graph Store Protocol, optional basic auth)."""

    refresh_seconds: float = 30.0  # how often the dataset version is re-read from the store

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.query_url, self.gsp_url = endpoints(settings)
        self.where = public_url(self.query_url)
        self._client: httpx.AsyncClient | None = None
        self._version: str | None = None
        self._modified: str | None = None
        self._slots = asyncio.Semaphore(max(1, settings.query_workers))
        self._pending = 0
        self._refresher: asyncio.Task | None = None
        self._failed = False  # the last exchange failed: re-read the version once it is back
        self._last_reason: str | None = None

    # ---- metadata

    @property
    def version(self) -> str:
        if self._version is None:
            raise StoreUnavailable("the store is not started")
        return self._version

    @property
    def last_modified(self) -> str | None:
        return self._modified

    async def _read_meta(self, timeout: float) -> None:
        rows = await self._raw_select(internal_query("store/meta"), timeout)
        if not rows:
            raise StoreUnavailable(
                f"the triple store at {self.where} holds no sse-graph dataset (no version in "
                f"<{META_GRAPH}>); load it with `sse-graph load --store URL`"
            )
        version = rows[0]["version"]["value"]
        if self._version is not None and version != self._version:
            log.warning("the store now holds dataset version %s (was %s)", version, self._version)
        self._version = version
        modified = rows[0].get("modified", {}).get("value")
        with contextlib.suppress(TypeError, ValueError):  # stores may write "Z" for "+00:00"
            modified = datetime.fromisoformat(modified).isoformat()
        self._modified = modified

    async def _refresh_loop(self) -> None:
        while True:
            await asyncio.sleep(self.refresh_seconds)
            with contextlib.suppress(Exception):
                await self._read_meta(5.0)

    def _refresh_soon(self) -> None:
        async def refresh() -> None:
            with contextlib.suppress(Exception):
                await self._read_meta(5.0)

        self._failed = False
        task = asyncio.get_running_loop().create_task(refresh())
        task.add_done_callback(lambda t: None if t.cancelled() else t.exception())

    # ---- lifecycle

    async def start(self) -> None:
        cap = max(1, self.settings.query_workers)
        self._client = httpx.AsyncClient(
            auth=_auth(self.settings),
            headers={"User-Agent": f"sse-graph/{__version__}"},
            limits=httpx.Limits(max_connections=cap + 4, max_keepalive_connections=cap + 4),
            timeout=httpx.Timeout(30.0, connect=5.0),
            trust_env=False,
        )
        attempts = max(1, self.settings.store_connect_retries)
        delay, waited = 0.5, 0.0
        for attempt in range(1, attempts + 1):
            self._last_reason = None
            try:
                await self._read_meta(5.0)
                break
            except StoreUnavailable as exc:
                if attempt == attempts:
                    await self._client.aclose()
                    self._client = None
                    if self._last_reason is not None:  # no answer at all
                        msg = (
                            f"the triple store at {self.where} cannot be reached "
                            f"({self._last_reason})"
                        )
                    else:
                        msg = str(exc)
                    msg += (
                        f"; gave up after {attempts} attempts over {waited:.1f} s "
                        "(check SSE_GRAPH_STORE, and that the store is running and loaded)"
                    )
                    log.error("%s", msg)
                    raise StoreUnreachable(msg) from None
                log.warning("store not ready (attempt %d/%d): %s", attempt, attempts, exc)
                await asyncio.sleep(delay)
                waited += delay
                delay = min(delay * 2, 4.0)
        log.info("remote store %s, dataset version %s", self.where, self._version)
        self._refresher = asyncio.get_running_loop().create_task(self._refresh_loop())

    async def close(self) -> None:
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(BaseException):
                await self._refresher
            self._refresher = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def ready(self) -> bool:
        try:
            answer = await self._raw_ask("ASK {}", 2.0)
        except Exception:
            return False
        if self._failed:
            self._refresh_soon()
        return answer

    # ---- queries

    @property
    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise StoreUnavailable("the store is not started")
        return self._client

    def _dataset(self, request: QueryRequest) -> dict[str, list[str]]:
        if request.default_graphs or request.named_graphs:
            return {
                "default-graph-uri": list(request.default_graphs),
                "named-graph-uri": list(request.named_graphs),
            }
        if request.query_dataset:
            return {}  # the query names its own dataset (served graphs only: guarded)
        graphs = list(self.graphs)
        return {"default-graph-uri": graphs, "named-graph-uri": graphs}

    async def execute(self, request: QueryRequest) -> QueryResponse:
        client = self.client
        if self._pending >= self.settings.max_pending:
            raise Overloaded(f"{self._pending} queries are waiting; try again shortly", 1)
        self._pending += 1
        t_wait = time.perf_counter()
        try:
            try:
                await asyncio.wait_for(self._slots.acquire(), self.settings.queue_timeout)
            except TimeoutError:
                raise Overloaded(
                    f"all {self.settings.query_workers} store connections stayed busy for "
                    f"{self.settings.queue_timeout:g} s",
                    max(1, int(self.settings.queue_timeout)),
                ) from None
        finally:
            self._pending -= 1
        waited = time.perf_counter() - t_wait
        t0 = time.perf_counter()
        try:
            async with asyncio.timeout(request.timeout):
                response = await self._execute(client, request)
        except TimeoutError:
            raise QueryTimeout(request.timeout) from None
        finally:
            self._slots.release()
        if self._failed:
            self._refresh_soon()
        return QueryResponse(
            form=response[0],
            media_type=request.media_type,
            body=response[1],
            count=response[2],
            truncated=response[3],
            limit=request.max_rows,
            timings={"queue": waited, "store": time.perf_counter() - t0},
        )

    async def _execute(self, client: httpx.AsyncClient, request: QueryRequest):
        form = request.form
        # bound values are already joined into the query text (guard.bind_values)
        data: dict = {"query": request.query, **self._dataset(request)}
        data["timeout"] = f"{request.timeout:g}"
        if form == "SELECT":
            accept, header = TSV, 1
        elif form == "ASK":
            accept, header = JSON_RESULTS, None
        else:
            accept, header = NTRIPLES, 0
        timeout = httpx.Timeout(request.timeout + 1.0, connect=min(5.0, request.timeout))
        t0 = time.perf_counter()
        for attempt in (1, 2):
            try:
                async with client.stream(
                    "POST",
                    self.query_url,
                    data=data,
                    headers={"Accept": accept},
                    timeout=timeout,
                ) as resp:
                    if resp.status_code != 200:
                        body = await _read_capped(resp, _MAX_ERROR_BYTES)
                        raise self._status_error(
                            resp.status_code, body, _store_limit(t0, request.timeout)
                        )
                    if header is None:
                        body, truncated = await resp.aread(), False
                    else:
                        body, truncated = await _read_rows(resp, header + request.max_rows)
                break
            except httpx.TimeoutException as exc:
                if isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout):
                    raise self._unreachable(exc) from None
                raise QueryTimeout(request.timeout) from None
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
                # a kept-alive connection the store closed (it restarted): try once more
                if attempt == 2:
                    raise self._unreachable(exc) from None
            except httpx.HTTPError as exc:
                raise self._unreachable(exc) from None
        return await self._reserialize(request, body, truncated, t0)

    async def _reserialize(self, request: QueryRequest, body: bytes, truncated: bool, t0: float):
        form = request.form
        try:
            if form == "ASK":
                value = bool(json.loads(body)["boolean"])
                return "ASK", results.boolean(value, request.media_type), 1, False
            if form == "SELECT":
                return await _maybe_thread(len(body), _solutions, body, request, truncated)
            return await _maybe_thread(len(body), _graph, body, request, truncated)
        except (SyntaxError, ValueError, KeyError, TypeError) as exc:
            text = body[-200:].decode("utf-8", "replace").lower()
            if any(word in text for word in _CANCELLED):  # the store's own limit stopped it
                raise QueryTimeout(_store_limit(t0, request.timeout)) from None
            self._failed = True
            raise StoreUnavailable(
                f"the triple store sent an answer that could not be read ({exc}); retry shortly"
            ) from None

    def _status_error(self, status: int, body: bytes, limit: float | None = None) -> Exception:
        if status == 400:
            return _query_failed(status, body)
        self._failed = True
        text = body[:300].decode("utf-8", "replace").strip()
        if status in (401, 403):
            return StoreUnavailable(
                f"the triple store refused this service's credentials (HTTP {status}); "
                "the operator must fix SSE_GRAPH_STORE_USER/PASSWORD"
            )
        if limit is not None and status >= 500 and any(w in text.lower() for w in _CANCELLED):
            return QueryTimeout(limit)
        log.warning("store %s answered HTTP %d: %s", self.where, status, text)
        return StoreUnavailable(
            f"the triple store behind this service answered HTTP {status}"
            + (f" ({text.splitlines()[0][:200]})" if text else "")
            + "; retry shortly"
        )

    def _unreachable(self, exc: BaseException) -> StoreUnavailable:
        self._failed = True
        self._last_reason = _describe(exc)
        log.warning("store %s unreachable: %s", self.where, _describe(exc))
        return StoreUnavailable(
            f"the triple store behind this service cannot be reached ({_describe(exc)}); "
            "queries will work again as soon as it is back"
        )

    async def _raw_post(self, query: str, accept: str, timeout: float) -> bytes:
        """A trusted internal query, without the served-graphs dataset (sees every graph)."""
        try:
            resp = await self.client.post(
                self.query_url,
                data={"query": query},
                headers={"Accept": accept},
                timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            )
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if resp.status_code != 200:
            raise self._status_error(resp.status_code, resp.content)
        return resp.content

    async def _raw_select(self, query: str, timeout: float) -> list[dict]:
        body = await self._raw_post(query, JSON_RESULTS, timeout)
        return json.loads(body)["results"]["bindings"]

    async def _raw_ask(self, query: str, timeout: float) -> bool:
        body = await self._raw_post(query, JSON_RESULTS, timeout)
        return bool(json.loads(body)["boolean"])

    # ---- dumps

    async def _graph_triples(self, graph: str) -> list[ox.Triple]:
        try:
            resp = await self.client.get(
                self.gsp_url,
                params={"graph": graph},
                headers={"Accept": NTRIPLES},
                timeout=httpx.Timeout(300.0, connect=5.0),
            )
        except httpx.HTTPError as exc:
            raise self._unreachable(exc) from None
        if resp.status_code == 404:
            return []
        if resp.status_code != 200:
            raise self._status_error(resp.status_code, resp.content)
        return await _maybe_thread(len(resp.content), _parse_triples, resp.content)

    async def dump(self, graph: str | None, media_type: str) -> bytes:
        """Sorted like ``EmbeddedStore.dump``: one graph's triples, or all served graphs' quads."""
        quads: list = []
        for g in [graph] if graph else list(self.graphs):
            name = ox.NamedNode(g)
            quads.extend(
                ox.Quad(t.subject, t.predicate, t.object, name)
                for t in await self._graph_triples(g)
            )
        return await _maybe_thread(
            len(quads) * 100, results.dump, quads, media_type, SERIALIZATION_PREFIXES
        )


# ---------------------------------------------------------------- reading and re-serializing


def _store_limit(t0: float, limit: float) -> float:
    """The limit that stopped a query the store cancelled itself (its limit may be shorter)."""
    return min(limit, max(1.0, float(round(time.perf_counter() - t0))))


async def _read_capped(resp: httpx.Response, limit: int) -> bytes:
    out = bytearray()
    async for chunk in resp.aiter_bytes():
        out += chunk
        if len(out) >= limit:
            break
    return bytes(out)


async def _read_rows(resp: httpx.Response, keep: int) -> tuple[bytes, bool]:
    """Read at most ``keep`` lines plus one: more than that means the result is truncated.

    Leaving early closes the response, so the store stops streaming the rest.
    """
    buf = bytearray()
    lines = 0
    async for chunk in resp.aiter_bytes():
        buf += chunk
        lines += chunk.count(b"\n")
        if lines > keep:
            return _cut_lines(bytes(buf), keep), True
    return bytes(buf), False


async def _maybe_thread(size: int, fn, *args):
    """Small results are converted inline; large ones off the event loop."""
    if size < 256 * 1024:
        return fn(*args)
    return await asyncio.to_thread(fn, *args)


def _solutions(body: bytes, request: QueryRequest, truncated: bool):
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    variables = [v.value for v in parsed.variables]
    width = len(variables)
    rows = [[sol[i] for i in range(width)] for sol in parsed]
    rows = rows[: request.max_rows]
    writer = results.SOLUTION_WRITERS[request.media_type]
    out = writer(variables, rows, truncated, request.max_rows)
    return "SELECT", out, len(rows), truncated


def _parse_triples(body: bytes) -> list[ox.Triple]:
    # N-Quads reads N-Triples too; any graph name a store might add is dropped
    return [
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(body, format=ox.RdfFormat.N_QUADS)
    ]


def _graph(body: bytes, request: QueryRequest, truncated: bool):
    triples = _parse_triples(body)[: request.max_rows]
    out = results.triples(triples, request.media_type, SERIALIZATION_PREFIXES)
    return request.form, out, len(triples), truncated


# ---------------------------------------------------------------- loading


def meta_triples(manifest: dict, loaded: str) -> list[ox.Triple]:
    """The metadata graph: dataset version, build and load times, triples per graph."""
    meta = ox.NamedNode(META_GRAPH)
    out = [
        ox.Triple(meta, ox.NamedNode(OWL + "versionInfo"), ox.Literal(manifest["version"])),
        ox.Triple(
            meta,
            ox.NamedNode(DCTERMS + "modified"),
            ox.Literal(manifest["built"], datatype=ox.NamedNode(XSD + "dateTime")),
        ),
        ox.Triple(
            meta,
            ox.NamedNode(DCTERMS + "created"),
            ox.Literal(loaded, datatype=ox.NamedNode(XSD + "dateTime")),
        ),
        ox.Triple(meta, ox.NamedNode(DCTERMS + "creator"), ox.Literal(manifest["software"])),
    ]
    for name, iri in (("asserted", ID["graph/asserted"]), ("inferred", ID["graph/inferred"])):
        out.append(
            ox.Triple(
                ox.NamedNode(str(iri)),
                ox.NamedNode(VOID + "triples"),
                ox.Literal(str(manifest["counts"][name]), datatype=ox.NamedNode(XSD + "integer")),
            )
        )
    return out


def _ntriples_of(path, graph: str) -> tuple[bytes, int]:
    """A cache file's N-Quads as N-Triples for one graph (every quad must be in that graph)."""
    triples = []
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        if not isinstance(q.graph_name, ox.NamedNode) or q.graph_name.value != graph:
            raise LoadError(f"{path.name}: a quad outside <{graph}>: {q}")
        triples.append(ox.Triple(q.subject, q.predicate, q.object))
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)


def _retrying(attempts: int, what: str, log_fn, fn):
    """Run ``fn`` with bounded retries and backoff on connection errors and 5xx answers."""
    delay = 0.5
    for attempt in range(1, attempts + 1):
        try:
            resp = fn()
        except httpx.HTTPError as exc:
            reason = _describe(exc)
        else:
            if resp.status_code < 500:
                return resp
            reason = f"HTTP {resp.status_code}: {resp.text[:200]}"
        if attempt == attempts:
            raise LoadError(f"{what} failed after {attempts} attempts: {reason}")
        log_fn(f"{what}: {reason}; retrying in {delay:g} s ({attempt}/{attempts})")
        time.sleep(delay)
        delay = min(delay * 2, 4.0)
    raise AssertionError("unreachable")


def load_into_store(settings, log=print) -> dict:
    """Push the asserted and inferred graphs and the version metadata into the remote store.

    Each graph is replaced with a Graph Store Protocol PUT, so running the load again leaves
    exactly the triples of one load. Counts are verified with SPARQL afterwards. The metadata
    graph is written last: a replica re-reading the version sees the new one only once the data
    is in place.
    """
    from sse_graph.build import ensure_built

    t_start = time.perf_counter()
    built = ensure_built(settings, log=log)
    query_url, gsp_url = endpoints(settings)
    where = public_url(gsp_url)
    attempts = max(1, settings.store_connect_retries)
    expected = {
        str(ID["graph/asserted"]): (built.asserted_path, built.manifest["counts"]["asserted"]),
        str(ID["graph/inferred"]): (built.inferred_path, built.manifest["counts"]["inferred"]),
    }
    report: dict = {
        "store": public_url(settings.store),
        "version": built.version,
        "graphs": {},
    }
    with httpx.Client(
        auth=_auth(settings),
        headers={"User-Agent": f"sse-graph/{__version__}"},
        timeout=httpx.Timeout(600.0, connect=5.0),
        trust_env=False,
    ) as client:
        _retrying(
            attempts,
            f"reaching the store at {public_url(query_url)}",
            log,
            lambda: client.post(
                query_url, data={"query": "ASK {}"}, headers={"Accept": JSON_RESULTS}
            ),
        )

        def put(graph: str, body: bytes) -> float:
            t0 = time.perf_counter()
            resp = _retrying(
                attempts,
                f"PUT <{graph}> to {where}",
                log,
                lambda: client.put(
                    gsp_url,
                    params={"graph": graph},
                    content=body,
                    headers={"Content-Type": NTRIPLES},
                ),
            )
            if resp.status_code not in (200, 201, 204):
                raise LoadError(
                    f"PUT <{graph}> to {where}: HTTP {resp.status_code}: {resp.text[:300]}"
                )
            return time.perf_counter() - t0

        for graph, (path, count) in expected.items():
            body, parsed = _ntriples_of(path, graph)
            seconds = put(graph, body)
            log(f"put {parsed} triples into <{graph}> in {seconds:.2f} s")
            report["graphs"][graph] = {"expected": count, "sent": parsed, "bytes": len(body)}

        loaded = datetime.now(UTC).replace(microsecond=0).isoformat()
        meta = meta_triples(built.manifest, loaded)
        put(META_GRAPH, ox.serialize(meta, format=ox.RdfFormat.N_TRIPLES) or b"")
        log(f"put the version metadata ({built.version}) into <{META_GRAPH}>")

        resp = _retrying(
            attempts,
            "counting triples",
            log,
            lambda: client.post(
                query_url,
                data={"query": internal_query("store/graph-counts")},
                headers={"Accept": JSON_RESULTS},
            ),
        )
        if resp.status_code != 200:
            raise LoadError(f"counting triples: HTTP {resp.status_code}: {resp.text[:300]}")
        counts = {r["g"]["value"]: int(r["n"]["value"]) for r in resp.json()["results"]["bindings"]}
    problems = []
    for graph, (_, count) in expected.items():
        found = counts.get(graph, 0)
        report["graphs"][graph]["loaded"] = found
        if found != count:
            problems.append(f"<{graph}> holds {found} triples, the build has {count}")
    report["graphs"][META_GRAPH] = {"expected": len(meta), "loaded": counts.get(META_GRAPH, 0)}
    if counts.get(META_GRAPH, 0) != len(meta):
        found = counts.get(META_GRAPH, 0)
        problems.append(f"<{META_GRAPH}> holds {found} triples, not {len(meta)}")
    report["other_graphs"] = sorted(g for g in counts if g not in expected and g != META_GRAPH)
    report["verified"] = not problems
    report["seconds"] = round(time.perf_counter() - t_start, 3)
    if problems:
        raise LoadError("the store's counts do not match the build: " + "; ".join(problems))
    log(
        f"verified: {sum(counts.get(g, 0) for g in expected)} triples in "
        f"{len(expected)} graphs, version {built.version}"
    )
    return report
