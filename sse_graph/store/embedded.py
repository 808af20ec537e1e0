"""The default store: the build cache loaded into pyoxigraph, queried in worker processes."""

from __future__ import annotations

import asyncio

import pyoxigraph as ox

from sse_graph.build import Built, ensure_built
from sse_graph.namespaces import SERIALIZATION_PREFIXES
from sse_graph.sparql import engine, results
from sse_graph.sparql.workers import WorkerPool
from sse_graph.store.base import QueryRequest, QueryResponse, Store, StoreUnavailable


class EmbeddedStore(Store):
    def __init__(self, settings, built: Built | None = None) -> None:
        super().__init__(settings)
        self._built = built
        self._pool: WorkerPool | None = None
        self._local: ox.Store | None = None  # for dumps: trusted reads only

    @property
    def built(self) -> Built:
        if self._built is None:
            raise StoreUnavailable("the store is not started")
        return self._built

    @property
    def version(self) -> str:
        return self.built.version

    @property
    def last_modified(self) -> str | None:
        return self.built.manifest.get("built")

    async def start(self) -> None:
        if self._built is None:
            self._built = await asyncio.to_thread(ensure_built, self.settings)
        paths = [self._built.asserted_path, self._built.inferred_path]
        self._local = await asyncio.to_thread(engine.load_store, paths)
        self._pool = WorkerPool(
            paths,
            size=self.settings.query_workers,
            queue_timeout=self.settings.queue_timeout,
            max_pending=self.settings.max_pending,
        )
        await self._pool.start()

    async def close(self) -> None:
        if self._pool:
            await self._pool.close()

    @property
    def pool(self) -> WorkerPool:
        if self._pool is None:
            raise StoreUnavailable("the store is not started")
        return self._pool

    async def execute(self, request: QueryRequest) -> QueryResponse:
        return await self.pool.run(request)

    async def dump(self, graph: str | None, media_type: str) -> bytes:
        store = self._local
        if store is None:
            raise StoreUnavailable("the store is not started")
        if graph is None:
            quads = list(store.quads_for_pattern(None, None, None, None))
        else:
            quads = list(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        return results.dump(quads, media_type, SERIALIZATION_PREFIXES)

    def worker_stats(self) -> tuple[int, int] | None:
        return (self._pool.alive, self._pool.restarts) if self._pool else None

    async def ready(self) -> bool:
        return self._pool is not None and self._pool.alive > 0
