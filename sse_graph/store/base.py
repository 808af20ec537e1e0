"""The store interface: everything above it (protocol, views, web, dumps) talks only to this.

Queries are expressed as a ``QueryRequest`` that already passed the lexical guard, with any bound
values already joined in as an inline ``VALUES`` block, and the negotiated media type; a store
answers with serialized bytes plus what the protocol layer needs to describe them (row count,
truncation). Convenience methods return parsed rows for services.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from sse_graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from sse_graph.queries import internal_query
from sse_graph.sparql.guard import bind_values, check
from sse_graph.sparql.results import nt_terms

JSON_RESULTS = "application/sparql-results+json"


class QueryFailed(Exception):
    """The engine rejected the query (syntax or evaluation error): a client error."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


class QueryTimeout(Exception):
    """The query ran past its time limit and its work was stopped."""

    def __init__(self, limit: float):
        super().__init__(f"the query was stopped after the time limit of {limit:g} s")
        self.limit = limit


class Overloaded(Exception):
    """No capacity to run the query now; the client may retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int = 1):
        super().__init__(message)
        self.retry_after = retry_after


class EngineCrashed(Exception):
    """The query engine died while running this query (the worker was replaced)."""


class StoreUnavailable(Exception):
    """The store cannot be reached (remote mode) or is not loaded yet."""


#: Store failures and the outcome label each one gets in metrics.
STORE_FAILURES: dict[type[Exception], str] = {
    QueryTimeout: "timeout",
    QueryFailed: "error",
    Overloaded: "overloaded",
    EngineCrashed: "crash",
    StoreUnavailable: "unavailable",
}


@dataclass(frozen=True)
class QueryRequest:
    query: str
    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE (from the guard)
    media_type: str  # negotiated for this form
    timeout: float
    max_rows: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    query_dataset: bool = False  # the query names its own dataset (FROM / FROM NAMED)


@dataclass(frozen=True)
class QueryResponse:
    form: str
    media_type: str
    body: bytes
    count: int
    truncated: bool = False
    limit: int = 0
    timings: dict[str, float] = field(default_factory=dict, compare=False)


class Store(ABC):
    """A read-only view of the dataset: asserted and inferred named graphs, union as default."""

    graphs: tuple[str, ...] = (str(ASSERTED_GRAPH), str(INFERRED_GRAPH))

    def __init__(self, settings) -> None:
        self.settings = settings

    @property
    @abstractmethod
    def version(self) -> str:
        """Dataset version: changes whenever the data changes (used as the ETag)."""

    @property
    def last_modified(self) -> str | None:
        """ISO timestamp of the data build, when known."""
        return None

    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def execute(self, request: QueryRequest) -> QueryResponse:
        """Run a guarded query and serialize its result in ``request.media_type``."""

    @abstractmethod
    async def dump(self, graph: str | None, media_type: str) -> bytes:
        """All triples of one named graph (or every graph as quads, ``graph=None``)."""

    @abstractmethod
    async def ready(self) -> bool:
        """True when a trivial query answers now."""

    def worker_stats(self) -> tuple[int, int] | None:
        """(live query workers, workers replaced so far), for stores that run workers."""
        return None

    # ---- conveniences for services (trusted, curated SPARQL only) ----

    def _request(self, query: str, media_type: str, bindings: dict | None, timeout: float | None):
        checked = check(
            query,
            served_graphs=self.graphs,
            max_bytes=1 << 20,
            max_depth=self.settings.max_nesting,
        )
        return QueryRequest(
            query=bind_values(query, checked, nt_terms(bindings or {})),
            form=checked.form,
            media_type=media_type,
            timeout=timeout or self.settings.query_timeout,
            max_rows=1 << 30,
            query_dataset=bool(checked.from_graphs or checked.from_named),
        )

    async def select(
        self, query: str, bindings: dict[str, dict] | None = None, timeout: float | None = None
    ) -> list[dict[str, dict]]:
        """Rows as W3C JSON bindings (``{"var": {"type": "uri", "value": ...}}``)."""
        resp = await self.execute(self._request(query, JSON_RESULTS, bindings, timeout))
        return json.loads(resp.body)["results"]["bindings"]

    async def ask(
        self, query: str, bindings: dict[str, dict] | None = None, timeout: float | None = None
    ) -> bool:
        resp = await self.execute(self._request(query, JSON_RESULTS, bindings, timeout))
        return bool(json.loads(resp.body)["boolean"])

    async def construct(
        self,
        query: str,
        bindings: dict[str, dict] | None = None,
        media_type: str = "application/n-triples",
        timeout: float | None = None,
    ) -> bytes:
        resp = await self.execute(self._request(query, media_type, bindings, timeout))
        return resp.body

    async def graph_counts(self) -> dict[str, int]:
        """Triples per named graph, straight from the store."""
        rows = await self.select(internal_query("store/graph-counts"))
        counts = {g: 0 for g in self.graphs}
        counts.update({r["g"]["value"]: int(r["n"]["value"]) for r in rows})
        return counts


def iri(value: str) -> dict:
    """A W3C JSON term for an IRI, for ``bindings``."""
    return {"type": "uri", "value": value}
