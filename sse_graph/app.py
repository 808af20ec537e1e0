"""The one app factory. Everything the app needs is built here, at startup, from the settings."""

from __future__ import annotations

import json
import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException

from sse_graph import __version__
from sse_graph.errors import ApiError
from sse_graph.http import Context, error_response
from sse_graph.metrics import Metrics
from sse_graph.queries import load_queries
from sse_graph.routes import ops, queries, sparql
from sse_graph.settings import Settings
from sse_graph.sparql.protocol import SparqlService
from sse_graph.store import Store, open_store

access_log = logging.getLogger("sse_graph.access")

EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Server-Timing",
    "SSE-Graph-Truncated",
    "SSE-Graph-Row-Limit",
    "SSE-Graph-Result-Count",
    "Retry-After",
    "Content-Disposition",
]


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """Build the service. ``store`` may be given (tests, CLI) or is opened from the settings."""
    settings = settings or Settings()
    curated = load_queries(settings.queries_dir) if settings.queries_dir.is_dir() else {}
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        s = store or open_store(settings)
        await s.start()
        context = Context(settings, s, SparqlService(s, settings, metrics), metrics, curated)
        for setup in app.state.feature_setups:
            await setup(context)
        app.state.ctx = context
        try:
            yield
        finally:
            app.state.ctx = None
            await s.close()

    app = FastAPI(
        title="sse-graph",
        version=__version__,
        description=(
            "Knowledge graph and SPARQL 1.1 service for the ILO Strategy and Action Plan on "
            "Decent Work and the Social and Solidarity Economy 2023–2029. Read-only."
        ),
        lifespan=lifespan,
    )
    app.state.ctx = None
    app.state.feature_setups = []
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "HEAD", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=EXPOSED_HEADERS,
        max_age=86400,
    )

    @app.middleware("http")
    async def access_log_mw(request: Request, call_next):
        start = time.perf_counter()
        response = await call_next(request)
        elapsed = time.perf_counter() - start
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        metrics.requests.labels(path, f"{response.status_code // 100}xx").inc()
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                json.dumps(
                    {
                        "method": request.method,
                        "path": request.url.path,
                        "status": response.status_code,
                        "ms": round(elapsed * 1000, 2),
                        "client": request.client.host if request.client else None,
                        "bytes": response.headers.get("content-length"),
                    }
                )
            )
        return response

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError):
        return error_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        msg = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
        )
        return error_response(request, ApiError(400, "bad_request", msg or "invalid request"))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        message = str(exc.detail) if exc.detail else code
        if exc.status_code == 404:
            message = f"nothing at {request.url.path}; see / or /docs"
        return error_response(
            request, ApiError(exc.status_code, code, message, headers=dict(exc.headers or {}))
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):
        logging.getLogger("sse_graph").exception("unhandled error on %s", request.url.path)
        return error_response(
            request,
            ApiError(
                500, "internal_error", "the service failed on this request; it has been logged"
            ),
        )

    app.include_router(ops.router)
    app.include_router(sparql.router)
    app.include_router(queries.router)
    queries.register_operations(app, curated)
    _include_features(app, settings)
    return app


def _include_features(app: FastAPI, settings: Settings) -> None:
    """Feature modules register their routers and startup hooks (docs/architecture.md)."""
    from sse_graph import catalogue, export, linked_data, web

    for feature in (linked_data, export, catalogue, web):
        feature.install(app, settings)
