"""A pool of killable worker processes that run queries off the event loop.

Why processes: a runaway query (a cartesian product, a catastrophic regex) can only be stopped
for sure by killing what runs it, and an engine crash (pyoxigraph segfaults on some inputs)
must cost one worker, not the service. Each worker holds its own in-memory copy of the
dataset, loaded from the build cache in milliseconds. The event loop never blocks: it waits
on the worker's pipe with ``add_reader``; on timeout or crash the worker is killed and a fresh
one is started at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing as mp
import os
import signal
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from sse_graph.store.base import (
    EngineCrashed,
    Overloaded,
    QueryFailed,
    QueryRequest,
    QueryResponse,
    QueryTimeout,
)

log = logging.getLogger("sse_graph.workers")

_CTX = mp.get_context("forkserver")
_PRELOAD = ["pyoxigraph", "sse_graph.sparql.engine"]


def _worker_main(conn: Connection, paths: list[str]) -> None:
    """Worker process body: load the dataset, then answer requests until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    from sse_graph.sparql import engine

    store = engine.load_store([Path(p) for p in paths])
    conn.send(("ready", os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        query, media_type, max_rows, default_graphs, named_graphs, query_dataset = msg
        try:
            out = engine.run(
                store, query, media_type, max_rows, default_graphs, named_graphs, query_dataset
            )
            conn.send(("ok", *out))
        except engine.EngineQueryError as exc:
            conn.send(("error", str(exc), exc.line, exc.column))
        except Exception as exc:  # an engine bug must not kill the worker silently
            conn.send(
                ("error", f"query evaluation failed: {type(exc).__name__}: {exc}", None, None)
            )


@dataclass(eq=False)
class _Worker:
    process: mp.process.BaseProcess
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=2)


class WorkerPool:
    """``size`` workers; ``run`` waits at most ``queue_timeout`` for one, then refuses."""

    def __init__(self, paths: list[Path], size: int, queue_timeout: float, max_pending: int):
        self.paths = [str(p) for p in paths]
        self.size = max(1, size)
        self.queue_timeout = queue_timeout
        self.max_pending = max_pending
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._pending = 0
        self._closed = False
        self.restarts = 0

    async def start(self) -> None:
        # workers fork from a server that has already imported the engine: a restart after a
        # timeout or crash costs milliseconds, not an interpreter start
        _CTX.set_forkserver_preload(_PRELOAD)
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        """Start one worker and put it in the idle queue once it reports ready."""
        loop = asyncio.get_running_loop()
        parent, child = _CTX.Pipe()
        proc = _CTX.Process(target=_worker_main, args=(child, self.paths), daemon=True)
        await loop.run_in_executor(None, proc.start)
        child.close()
        worker = _Worker(proc, parent)
        try:
            msg = await self._recv(worker, 60.0)
        except Exception:
            worker.kill()
            raise
        if msg[0] != "ready":
            worker.kill()
            raise RuntimeError(f"worker failed to start: {msg!r}")
        if self._closed:
            worker.kill()
            return
        self._all.add(worker)
        self._idle.put_nowait(worker)

    async def _recv(self, worker: _Worker, timeout: float):
        loop = asyncio.get_running_loop()
        fut: asyncio.Future = loop.create_future()
        fd = worker.conn.fileno()

        def readable() -> None:
            if fut.done():
                return
            try:
                fut.set_result(worker.conn.recv())
            except Exception as exc:  # EOF: the worker died
                fut.set_exception(exc)

        loop.add_reader(fd, readable)
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            with contextlib.suppress(Exception):
                loop.remove_reader(fd)

    def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        worker.kill()
        self.restarts += 1
        if not self._closed:
            task = asyncio.get_running_loop().create_task(self._spawn())
            task.add_done_callback(_log_failure)

    async def run(self, request: QueryRequest) -> QueryResponse:
        if self._pending >= self.max_pending:
            raise Overloaded(f"{self._pending} queries are waiting; try again shortly", 1)
        self._pending += 1
        t_wait = time.perf_counter()
        try:
            try:
                worker = await asyncio.wait_for(self._idle.get(), self.queue_timeout)
            except TimeoutError:
                raise Overloaded(
                    f"all {self.size} query workers stayed busy for {self.queue_timeout:g} s",
                    max(1, int(self.queue_timeout)),
                ) from None
        finally:
            self._pending -= 1
        waited = time.perf_counter() - t_wait
        msg = (
            request.query,
            request.media_type,
            request.max_rows,
            request.default_graphs,
            request.named_graphs,
            request.query_dataset,
        )
        try:
            worker.conn.send(msg)
            reply = await self._recv(worker, request.timeout)
        except TimeoutError:
            self._replace(worker)
            raise QueryTimeout(request.timeout) from None
        except asyncio.CancelledError:
            # the client went away mid-query: the work must stop all the same
            self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise EngineCrashed("the query engine stopped while running this query") from None
        self._idle.put_nowait(worker)
        if reply[0] == "error":
            raise QueryFailed(reply[1], reply[2], reply[3])
        _, form, body, count, truncated, seconds = reply
        return QueryResponse(
            form=form if form != "CONSTRUCT" else request.form,
            media_type=request.media_type,
            body=body,
            count=count,
            truncated=truncated,
            limit=request.max_rows,
            timings={"queue": waited, "engine": seconds},
        )

    @property
    def alive(self) -> int:
        return sum(1 for w in self._all if w.process.is_alive())

    async def close(self) -> None:
        self._closed = True
        for worker in list(self._all):
            worker.kill()
        self._all.clear()


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception():
        log.error("could not restart a query worker: %s", task.exception())
