"""HTTP helpers shared by the routers: the request context, error rendering, capped body reads."""

from __future__ import annotations

import html
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import TypeVar

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from sse_graph.errors import ApiError, store_failure
from sse_graph.metrics import Metrics
from sse_graph.queries import CuratedQuery
from sse_graph.settings import Settings
from sse_graph.sparql.conneg import NotAcceptable, negotiate
from sse_graph.sparql.protocol import SparqlService
from sse_graph.store.base import STORE_FAILURES, Store

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
            {"application/sparql-results+json": "application/json"},
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


def http_date(iso: str | None) -> str | None:
    if not iso:
        return None
    try:
        return format_datetime(datetime.fromisoformat(iso), usegmt=True)
    except ValueError:
        return None


def not_modified(
    request: Request,
    etag: str,
    last_modified: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response | None:
    """A 304 when ``If-None-Match`` (weak comparison) or ``If-Modified-Since`` allows it."""
    keep = {"ETag": etag, **(headers or {})}
    tags = request.headers.get("if-none-match")
    if tags is not None:
        bare = etag.removeprefix("W/")
        for tag in tags.split(","):
            tag = tag.strip()
            if tag == "*" or tag.removeprefix("W/") == bare:
                return Response(status_code=304, headers=keep)
        return None
    since = request.headers.get("if-modified-since")
    if since and last_modified:
        try:
            if parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since):
                return Response(status_code=304, headers=keep)
        except (TypeError, ValueError):
            return None
    return None


def dataset_etag(c: Context) -> str:
    """The ETag of a response that depends only on the dataset: its version."""
    return f'W/"{c.store.version}"'


async def from_store(call: Awaitable[T]) -> T:
    """Await a store call made by a service (views, pages, dumps) with API errors on failure."""
    try:
        return await call
    except tuple(STORE_FAILURES) as exc:
        raise store_failure(exc, internal=True) from None
