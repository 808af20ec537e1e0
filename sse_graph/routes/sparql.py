"""``/sparql``: the SPARQL 1.1 Protocol (query operation only; the endpoint is read-only)."""

from __future__ import annotations

import codecs
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from sse_graph.errors import ApiError
from sse_graph.http import Context, ctx, dataset_etag, not_modified, read_body
from sse_graph.sparql import conneg
from sse_graph.sparql.description import service_description
from sse_graph.sparql.protocol import Outcome

router = APIRouter(tags=["SPARQL"])

TEXT_TYPES = (
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/n-quads",
    "application/trig",
)


def query_response(c: Context, request: Request, outcome: Outcome, head: bool = False) -> Response:
    """Serialized result with the protocol's headers: type, Vary, ETag, timings, truncation."""
    r = outcome.response
    media = r.media_type + ("; charset=utf-8" if r.media_type in TEXT_TYPES else "")
    headers = {
        "Vary": "Accept",
        "ETag": dataset_etag(c),
        "Cache-Control": "public, max-age=300",
        "Server-Timing": ", ".join(
            [f"{k};dur={v * 1000:.2f}" for k, v in r.timings.items()]
            + [
                f"total;dur={outcome.seconds * 1000:.2f}",
                f'cache;desc="{"hit" if outcome.cached else "miss"}"',
            ]
        ),
        "SSE-Graph-Result-Count": str(r.count),
    }
    if r.truncated:
        headers["SSE-Graph-Truncated"] = "true"
        headers["SSE-Graph-Row-Limit"] = str(r.limit)
    return Response(b"" if head else r.body, 200, headers=headers, media_type=media)


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise ApiError(400, "bad_request", f"the {name!r} parameter was given {len(values)} times")
    return values[0] if values else None


def _timeout(params: dict[str, list[str]]) -> float | None:
    raw = _one(params, "timeout")
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ApiError(
            400, "bad_timeout", f"timeout must be a number of seconds, not {raw!r}"
        ) from None
    if not value > 0:
        raise ApiError(400, "bad_timeout", "timeout must be a positive number of seconds")
    return value


def _decode(body: bytes, content_type: str) -> str:
    charset = "utf-8"
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip('"').lower()
    try:
        if codecs.lookup(charset).name != "utf-8":
            raise ApiError(
                400,
                "bad_encoding",
                f"SPARQL requests must be UTF-8; this one declares charset={charset}",
            )
        return body.decode("utf-8")
    except (LookupError, UnicodeDecodeError):
        raise ApiError(400, "bad_encoding", "the request body is not valid UTF-8") from None


def _refuse_update() -> ApiError:
    return ApiError(
        403,
        "read_only",
        "this endpoint is read-only: SPARQL Update is not accepted over HTTP "
        "(the graph is built and loaded with the sse-graph CLI)",
    )


async def _run(
    request: Request, params: dict[str, list[str]], query: str | None, head: bool = False
) -> Response:
    c = ctx(request)
    if "update" in params or "using-graph-uri" in params or "using-named-graph-uri" in params:
        raise _refuse_update()
    if query is None:
        return await _description(c, request, params, head)
    if not query.strip():
        raise ApiError(400, "bad_request", "the query parameter is empty")
    cached = not_modified(request, dataset_etag(c), headers={"Vary": "Accept"})
    if cached is not None:
        return cached
    outcome = await c.sparql.query(
        query,
        accept=request.headers.get("accept"),
        fmt=_one(params, "format"),
        default_graphs=tuple(params.get("default-graph-uri", [])),
        named_graphs=tuple(params.get("named-graph-uri", [])),
        timeout=_timeout(params),
        client=request.client.host if request.client else "unknown",
        max_bytes=c.settings.max_query_bytes,
    )
    return query_response(c, request, outcome, head)


async def _description(c: Context, request: Request, params, head: bool) -> Response:
    accept = request.headers.get("accept") or ""
    fmt = _one(params, "format")
    if not fmt and "text/html" in accept:
        try:
            best = conneg.negotiate(accept, ("text/html", *conneg.GRAPH_TYPES))
        except conneg.NotAcceptable:
            best = ""
        has_query_page = any(getattr(r, "path", None) == "/query" for r in request.app.routes)
        if best == "text/html" and has_query_page:
            return RedirectResponse("/query", status_code=303, headers={"Vary": "Accept"})
    try:
        media = (
            conneg.from_format(fmt, conneg.GRAPH_FORMATS, conneg.GRAPH_TYPES)
            if fmt
            else conneg.negotiate(accept or None, conneg.GRAPH_TYPES, conneg.GRAPH_ALIASES)
        )
    except conneg.NotAcceptable as exc:
        raise ApiError(
            406,
            "not_acceptable",
            f"{exc}; the service description is available as: " + ", ".join(conneg.GRAPH_TYPES),
            extra={"supported": list(conneg.GRAPH_TYPES)},
        ) from None
    body = await service_description(c, c.base_url(request) + "/sparql", media)
    return Response(
        b"" if head else body,
        headers={
            "Vary": "Accept",
            "ETag": dataset_etag(c),
            "Cache-Control": "public, max-age=300",
        },
        media_type=media,
    )


@router.get("/sparql", summary="SPARQL query (GET), or the service description without a query")
async def sparql_get(request: Request) -> Response:
    params = parse_qs(request.url.query, keep_blank_values=True)
    return await _run(request, params, _one(params, "query"))


@router.head("/sparql", include_in_schema=False)
async def sparql_head(request: Request) -> Response:
    params = parse_qs(request.url.query, keep_blank_values=True)
    return await _run(request, params, _one(params, "query"), head=True)


@router.post("/sparql", summary="SPARQL query (POST form or application/sparql-query)")
async def sparql_post(request: Request) -> Response:
    try:
        return await _post(request)
    except ApiError as exc:
        if exc.status == 414:  # a too-long query in a body is a too-large body
            exc.status = 413
            exc.error = "body_too_large"
        raise


async def _post(request: Request) -> Response:
    c = ctx(request)
    content_type = request.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    url_params = parse_qs(request.url.query, keep_blank_values=True)
    if media == "application/sparql-update":
        raise _refuse_update()
    body = await read_body(request, c.settings.max_body_bytes)
    if media == "application/x-www-form-urlencoded":
        text = _decode(body, content_type)
        params = parse_qs(text, keep_blank_values=True)
        if "query" not in params and "update" not in params:
            raise ApiError(400, "bad_request", "the form has no 'query' field")
        for k, v in url_params.items():
            params.setdefault(k, v)
        return await _run(request, params, _one(params, "query"))
    if media == "application/sparql-query":
        if "query" in url_params:
            raise ApiError(
                400, "bad_request", "a direct POST carries the query in the body, not in 'query='"
            )
        return await _run(request, url_params, _decode(body, content_type))
    if not media:
        raise ApiError(
            400,
            "bad_request",
            "a POST needs a Content-Type: "
            "application/x-www-form-urlencoded or application/sparql-query",
        )
    raise ApiError(
        415,
        "unsupported_media_type",
        f"cannot take a {media} body; send application/x-www-form-urlencoded "
        "or application/sparql-query",
    )


@router.api_route("/sparql", methods=["PUT", "DELETE", "PATCH"], include_in_schema=False)
async def sparql_other(request: Request) -> Response:
    raise ApiError(
        405,
        "method_not_allowed",
        f"{request.method} is not a SPARQL query method; use GET or POST",
        headers={"Allow": "GET, HEAD, POST, OPTIONS"},
    )
