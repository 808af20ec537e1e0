"""``/queries``: the curated ``queries/*.rq`` files as API operations.

Each query becomes its own OpenAPI operation (``GET /queries/{name}``) with its declared
parameters, so ``/docs`` documents them; values are bound, never pasted into the text.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from sse_graph.errors import ApiError
from sse_graph.http import ctx, dataset_etag, not_modified
from sse_graph.queries import CuratedQuery
from sse_graph.routes.sparql import query_response

router = APIRouter(tags=["Curated queries"])

RESERVED = {"format", "timeout"}


@router.get("/queries", summary="List the curated queries with their parameters")
async def list_queries(request: Request) -> JSONResponse:
    c = ctx(request)
    base = c.base_url(request)
    return JSONResponse(
        [
            {
                **q.summary(),
                "url": f"{base}/queries/{q.name}",
                "sparql": f"{base}/queries/{q.name}.rq",
            }
            for q in c.queries.values()
        ],
        headers={"ETag": dataset_etag(c), "Cache-Control": "public, max-age=300"},
    )


async def run_curated(request: Request, name: str) -> Response:
    c = ctx(request)
    if name.endswith(".rq"):
        q = c.queries.get(name[:-3])
        if q is None:
            raise ApiError(404, "unknown_query", f"no curated query named {name[:-3]!r}")
        return Response(q.text, media_type="application/sparql-query; charset=utf-8")
    q = c.queries.get(name)
    if q is None:
        raise ApiError(
            404, "unknown_query", f"no curated query named {name!r}; see /queries for the list"
        )
    supplied: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in RESERVED:
            continue
        if key in supplied:
            raise ApiError(400, "bad_parameter", f"the {key!r} parameter was given twice")
        supplied[key] = value
    cached = not_modified(request, dataset_etag(c), headers={"Vary": "Accept"})
    if cached is not None:
        return cached
    timeout = request.query_params.get("timeout")
    try:
        timeout_value = float(timeout) if timeout else None
    except ValueError:
        raise ApiError(400, "bad_timeout", f"timeout must be a number, not {timeout!r}") from None
    outcome = await c.sparql.query(
        q.text,
        accept=request.headers.get("accept"),
        fmt=request.query_params.get("format"),
        bindings=q.bindings(supplied),
        timeout=timeout_value,
        client=request.client.host if request.client else "unknown",
        max_bytes=1 << 20,
    )
    return query_response(c, request, outcome)


def register_operations(app: FastAPI, queries: dict[str, CuratedQuery]) -> None:
    """One documented operation per curated query (its parameters become query parameters)."""
    for q in queries.values():
        app.add_api_route(
            f"/queries/{q.name}",
            _endpoint(q),
            methods=["GET"],
            summary=q.title,
            description=q.description + "\n\nResults are content-negotiated like `/sparql` "
            "(`Accept` or `format=`).",
            tags=["Curated queries"],
            operation_id=f"query_{q.name.replace('-', '_')}",
        )
    app.add_api_route("/queries/{name}", _generic, methods=["GET"], include_in_schema=False)


def _endpoint(q: CuratedQuery):
    import inspect

    params = [
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
    ]
    for p in q.parameters:
        params.append(
            inspect.Parameter(
                f"p_{p.name}",  # the query-string name is the alias: any name, even "class"
                inspect.Parameter.KEYWORD_ONLY,
                default=Query(p.default, alias=p.name, description=f"{p.description} ({p.type})"),
                annotation=str | None,
            )
        )
    for extra, desc in (
        ("format", "Result format override (json, xml, csv, tsv, ttl, …)"),
        ("timeout", "Time limit in seconds (at most the service's limit)"),
    ):
        params.append(
            inspect.Parameter(
                extra,
                inspect.Parameter.KEYWORD_ONLY,
                default=Query(None, description=desc),
                annotation=str | None,
            )
        )

    async def endpoint(request: Request, **_: str | None) -> Response:
        return await run_curated(request, q.name)

    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = f"query_{q.name.replace('-', '_')}"
    return endpoint


async def _generic(request: Request, name: str) -> Response:
    return await run_curated(request, name)
