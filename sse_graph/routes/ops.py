"""Operations: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from sse_graph.http import ctx

router = APIRouter(tags=["Operations"])


@router.get("/healthz", summary="The process is alive")
async def healthz() -> dict:
    return {"status": "ok"}


@router.get("/readyz", summary="The graph is loaded and a trivial ASK answers within 2 s")
async def readyz(request: Request) -> Response:
    state = getattr(request.app.state, "ctx", None)
    if state is None:
        return JSONResponse({"status": "starting"}, 503, headers={"Retry-After": "1"})
    try:
        ok = await asyncio.wait_for(state.store.ask("ASK { ?s ?p ?o }", timeout=2.0), 2.5)
    except Exception as exc:  # any failure means "not ready", with the reason
        return JSONResponse(
            {"status": "not ready", "reason": str(exc) or type(exc).__name__},
            503,
            headers={"Retry-After": "5"},
        )
    if not ok:
        return JSONResponse({"status": "not ready", "reason": "the graph is empty"}, 503)
    return JSONResponse({"status": "ready", "version": state.store.version})


@router.get("/metrics", summary="Prometheus metrics")
async def metrics(request: Request) -> Response:
    c = ctx(request)
    stats = c.store.worker_stats()
    if stats is not None:
        c.metrics.workers.set(stats[0])
        c.metrics.worker_restarts.set(stats[1])
    return Response(generate_latest(c.metrics.registry), media_type=CONTENT_TYPE_LATEST)
