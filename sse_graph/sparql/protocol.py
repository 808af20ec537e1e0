"""The SPARQL query service: guard → negotiate → cache → store, with limits and metrics.

HTTP-free on purpose: the FastAPI router parses the request into these arguments, and the
curated-query API and the web client call the same ``SparqlService.query``.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sse_graph.errors import ApiError, store_failure
from sse_graph.metrics import Metrics
from sse_graph.settings import Settings
from sse_graph.sparql import conneg
from sse_graph.sparql.guard import GuardError, bind_values, check
from sse_graph.sparql.results import nt_terms
from sse_graph.store.base import (
    STORE_FAILURES,
    Overloaded,
    QueryRequest,
    QueryResponse,
    QueryTimeout,
    Store,
)


class ResponseCache:
    """A bounded LRU of serialized responses; keys include the dataset version."""

    def __init__(self, max_entries: int, max_bytes: int):
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._data: OrderedDict[tuple, QueryResponse] = OrderedDict()
        self._bytes = 0

    def get(self, key: tuple) -> QueryResponse | None:
        item = self._data.get(key)
        if item is not None:
            self._data.move_to_end(key)
        return item

    def put(self, key: tuple, value: QueryResponse) -> None:
        size = len(value.body)
        if size > self.max_bytes // 8:
            return
        if key in self._data:
            self._bytes -= len(self._data.pop(key).body)
        self._data[key] = value
        self._bytes += size
        while len(self._data) > self.max_entries or self._bytes > self.max_bytes:
            _, old = self._data.popitem(last=False)
            self._bytes -= len(old.body)

    def __len__(self) -> int:
        return len(self._data)


@dataclass
class Outcome:
    response: QueryResponse
    cached: bool
    seconds: float


class SparqlService:
    def __init__(self, store: Store, settings: Settings, metrics: Metrics):
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.cache = (
            ResponseCache(settings.response_cache_entries, settings.response_cache_bytes)
            if settings.response_cache
            else None
        )
        # client → [semaphore, users]: how many workers one client may hold at once
        self._clients: dict[str, list] = {}

    @property
    def client_share(self) -> int:
        """Workers one client may occupy at once: all but one, so another client always gets in."""
        if self.settings.max_per_client > 0:
            return self.settings.max_per_client
        return max(1, self.settings.query_workers - 1)

    @asynccontextmanager
    async def _client_slot(self, client: str | None):
        """Hold one of the client's worker slots while its query runs (no limit for None)."""
        if client is None:
            yield
            return
        entry = self._clients.setdefault(client, [asyncio.Semaphore(self.client_share), 0])
        entry[1] += 1
        try:
            try:
                await asyncio.wait_for(entry[0].acquire(), self.settings.queue_timeout)
            except TimeoutError:
                self.metrics.rejections.labels("client_busy").inc()
                raise ApiError(
                    503,
                    "too_many_queries",
                    f"this client's earlier queries kept its {self.client_share} worker(s) busy "
                    f"for {self.settings.queue_timeout:g} s; retry when they finish",
                    headers={"Retry-After": "1"},
                ) from None
            try:
                yield
            finally:
                entry[0].release()
        finally:
            entry[1] -= 1
            if entry[1] <= 0:
                del self._clients[client]

    def negotiate(self, form: str, accept: str | None, fmt: str | None) -> str:
        graph = form in ("CONSTRUCT", "DESCRIBE")
        offers = conneg.GRAPH_TYPES if graph else conneg.SOLUTION_TYPES
        try:
            if fmt:
                table = conneg.GRAPH_FORMATS if graph else conneg.SOLUTION_FORMATS
                return conneg.from_format(fmt, table, offers)
            aliases = conneg.GRAPH_ALIASES if graph else conneg.ALIASES
            return conneg.negotiate(accept, offers, aliases)
        except conneg.NotAcceptable as exc:
            raise ApiError(
                406,
                "not_acceptable",
                f"{exc}; a {form} query can be answered as: {', '.join(offers)}",
                extra={"supported": list(offers)},
            ) from None

    async def query(
        self,
        query: str,
        *,
        accept: str | None = None,
        fmt: str | None = None,
        default_graphs: tuple[str, ...] = (),
        named_graphs: tuple[str, ...] = (),
        timeout: float | None = None,
        bindings: dict[str, dict] | None = None,
        client: str | None = None,
        max_bytes: int | None = None,
    ) -> Outcome:
        start = time.perf_counter()
        try:
            checked = check(
                query,
                served_graphs=self.store.graphs,
                max_bytes=max_bytes or self.settings.max_query_bytes,
                max_depth=self.settings.max_nesting,
            )
            query = bind_values(query, checked, nt_terms(bindings or {}))
        except GuardError as exc:
            self.metrics.rejections.labels(exc.error).inc()
            raise ApiError(exc.status, exc.error, str(exc)) from None
        except ValueError as exc:  # a binding that is not a valid RDF term
            raise ApiError(400, "bad_parameter", str(exc)) from None
        for g in (*default_graphs, *named_graphs):
            if g not in self.store.graphs:
                self.metrics.rejections.labels("graph_not_served").inc()
                raise ApiError(
                    400,
                    "graph_not_served",
                    f"<{g}> is not a graph of this dataset; this endpoint never fetches graphs. "
                    f"Graphs: {', '.join(self.store.graphs)}",
                )
        media_type = self.negotiate(checked.form, accept, fmt)
        limit = self.settings.query_timeout
        if timeout is not None:
            if timeout <= 0:
                raise ApiError(400, "bad_timeout", "timeout must be a positive number of seconds")
            limit = min(timeout, limit)
        request = QueryRequest(
            query=query,
            form=checked.form,
            media_type=media_type,
            timeout=limit,
            max_rows=self.settings.max_rows,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            query_dataset=bool(checked.from_graphs or checked.from_named),
        )
        form = checked.form.lower()
        key = (
            self.store.version,
            query,
            media_type,
            default_graphs,
            named_graphs,
            request.max_rows,
        )
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                self.metrics.cache.labels("hit").inc()
                self.metrics.queries.labels(form, "ok").inc()
                return Outcome(hit, True, time.perf_counter() - start)
            self.metrics.cache.labels("miss").inc()

        response = await self._run(request, form, client)
        if self.cache is not None:
            self.cache.put(key, response)
        seconds = time.perf_counter() - start
        self.metrics.latency.labels(form).observe(seconds)
        return Outcome(response, False, seconds)

    async def _run(self, request: QueryRequest, form: str, client: str | None) -> QueryResponse:
        try:
            async with self._client_slot(client):
                response = await self.store.execute(request)
        except tuple(STORE_FAILURES) as exc:
            outcome = next(v for k, v in STORE_FAILURES.items() if isinstance(exc, k))
            self.metrics.queries.labels(form, outcome).inc()
            if isinstance(exc, QueryTimeout):
                self.metrics.timeouts.inc()
            elif isinstance(exc, Overloaded):
                self.metrics.rejections.labels("overloaded").inc()
            raise store_failure(exc, internal=False) from None
        except asyncio.CancelledError:
            self.metrics.queries.labels(form, "cancelled").inc()
            raise
        self.metrics.queries.labels(form, "ok").inc()
        if response.truncated:
            self.metrics.truncated.inc()
        return response
