"""HTTP helpers shared by the routers: the request context, error rendering, capped body reads."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from sse_graph.errors import ApiError
from sse_graph.metrics import Metrics
from sse_graph.queries import CuratedQuery
from sse_graph.settings import Settings
from sse_graph.sparql.conneg import NotAcceptable, negotiate
from sse_graph.sparql.protocol import SparqlService
from sse_graph.store.base import (
    EngineCrashed,
    Overloaded,
    QueryFailed,
    QueryTimeout,
    Store,
    StoreUnavailable,
)

T = TypeVar("T")


@dataclass
class Context:
    """Everything a router needs, built once by the app factory at startup."""

    settings: Settings
    store: Store
    sparql: SparqlService
    metrics: Metrics
    queries: dict[str, CuratedQuery] = field(default_factory=dict)
    extras: dict = field(default_factory=dict)  # per-feature services (views, catalogue, web)

    def base_url(self, request: Request) -> str:
        """Where this service is reached, without a trailing slash."""
        if self.settings.base_url:
            return self.settings.base_url.rstrip("/")
        return str(request.base_url).rstrip("/")


def ctx(request: Request) -> Context:
    context = getattr(request.app.state, "ctx", None)
    if context is None:
        raise ApiError(
            503, "starting", "the service is starting; retry shortly", headers={"Retry-After": "1"}
        )
    return context


async def read_body(request: Request, limit: int) -> bytes:
    """Read the body, refusing (413) as soon as it passes ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise ApiError(
                    413,
                    "body_too_large",
                    f"the request body is {declared} bytes; the limit is {limit}",
                )
        except ValueError:
            raise ApiError(400, "bad_request", "Content-Length is not a number") from None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "body_too_large", f"the request body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


_ERROR_TYPES = ("application/json", "text/plain", "text/html")


def error_response(request: Request, exc: ApiError) -> Response:
    """JSON by default; plain text or HTML when the client prefers them. Never a traceback."""
    try:
        kind = negotiate(
            request.headers.get("accept"),
            _ERROR_TYPES,
            {"application/sparql-results+json": "application/json", "*/*": "application/json"},
        )
    except NotAcceptable:
        kind = "application/json"
    headers = dict(exc.headers)
    headers["Cache-Control"] = "no-store"
    headers.setdefault("Vary", "Accept")
    if kind == "text/plain":
        text = f"{exc.status} {exc.error}: {exc.message}\n"
        return PlainTextResponse(text, exc.status, headers=headers)
    if kind == "text/html":
        renderer = getattr(request.app.state, "html_error", None)
        if renderer is not None:
            page = renderer(request, exc)
            if page is not None:
                return page
        body = (
            "<!doctype html><html lang=en><meta charset=utf-8>"
            f"<title>{exc.status} {html.escape(exc.error)}</title>"
            f"<h1>{exc.status} {html.escape(exc.error)}</h1><p>{html.escape(exc.message)}</p>"
            '<p><a href="/">Home</a></p></html>'
        )
        return HTMLResponse(body, exc.status, headers=headers)
    return JSONResponse(exc.payload(), exc.status, headers=headers)


async def from_store(call: Awaitable[T]) -> T:
    """Await a store call made by a service (views, pages, dumps), mapping store failures to
    the API errors the client sees. The service's own queries are fixed text, so a query
    error there is a bug: logged, and a 500 without details."""
    try:
        return await call
    except QueryTimeout as exc:
        raise ApiError(504, "timeout", str(exc)) from None
    except Overloaded as exc:
        raise ApiError(
            503, "overloaded", str(exc), headers={"Retry-After": str(exc.retry_after)}
        ) from None
    except EngineCrashed as exc:
        raise ApiError(502, "engine_crashed", f"{exc}; retry the request") from None
    except StoreUnavailable as exc:
        raise ApiError(503, "store_unavailable", str(exc), headers={"Retry-After": "5"}) from None
    except QueryFailed as exc:
        logging.getLogger("sse_graph").error("an internal query failed: %s", exc)
        raise ApiError(
            500, "internal_error", "an internal query failed; it has been logged"
        ) from None


def json_bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
