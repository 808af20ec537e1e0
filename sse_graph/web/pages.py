"""Listing pages at stable URLs: ``/``, ``/instruments``, ``/matrix`` (+ ``.csv``), ``/search``,
``/query`` and ``/about``. Resource pages (``/id/…``) are in :mod:`sse_graph.web.views`."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import BNode, Graph, Literal, URIRef

from sse_graph.errors import ApiError
from sse_graph.http import ctx, read_body
from sse_graph.queries import CuratedQuery, internal_query
from sse_graph.web import svg
from sse_graph.web.i18n import Label, choose_lang
from sse_graph.web.index import SSE, WebIndex
from sse_graph.web.render import Page
from sse_graph.web.search import search as run_search
from sse_graph.web.state import from_store, page_for
from sse_graph.web.views import Matrix

router = APIRouter(include_in_schema=False)


def dump_alternates() -> list[tuple[str, str, str]]:
    """The whole graph, for ``<link rel="alternate">`` on listing pages: the downloads."""
    try:
        from sse_graph.export import DUMPS
    except ImportError:  # the downloads feature is not installed
        return []
    return [
        (d.media_type, f"/download/{d.name}", d.name)
        for d in DUMPS
        if d.graph in ("full", "dataset") and not d.compressed
    ]


HTML_ROWS = 1000  # rows shown on the SPARQL page; downloads have them all
QUERY_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


# ---------------------------------------------------------------------------------------------
# Home
# ---------------------------------------------------------------------------------------------


@router.api_route("/", methods=["GET", "HEAD"])
async def home(request: Request) -> Response:
    page = await page_for(request)
    index = page.index
    plan = index.plan
    t = page.t
    bars = [
        svg.Bar(
            index.notation.get(o, str(i + 1)),
            page.label(o).text,
            plan.cost_of[o],
            page.href(o),
            svg.colour(i),
            page.money(plan.cost_of[o]),
        )
        for i, o in enumerate(plan.objectives)
        if o in plan.cost_of
    ]
    chart = (
        svg.bar_chart(
            bars,
            title=t("home.costs_title"),
            desc=t("home.costs_desc", total=page.money(plan.cost) if plan.cost else "—"),
        )
        if bars
        else None
    )
    spans, milestones = [], {}
    for i, o in enumerate(plan.objectives):
        for out in plan.outputs.get(o, []):
            for a in plan.activities.get(out, []):
                act = plan.activity[a]
                if act.start and act.end:
                    spans.append(
                        svg.Span(
                            index.notation.get(a, ""),
                            page.label(a).text,
                            page.href(a),
                            act.start,
                            act.end,
                            svg.colour(i),
                        )
                    )
                for m, year in act.milestones:
                    if year:
                        milestones[m] = svg.Milestone(year, page.label(m).text, page.href(m))
    first = plan.start or min((s.start for s in spans), default=2023)
    last = plan.end or max((s.end for s in spans), default=2029)
    timeline = (
        svg.timeline(
            spans,
            first,
            last,
            sorted(milestones.values(), key=lambda m: m.year),
            title=t("home.timeline_title", start=first, end=last),
            desc=t("home.timeline_desc", n=len(spans), start=first, end=last),
        )
        if spans
        else None
    )
    examples = [
        (page.id_base + "instrument/R193", "home.ask.r193"),
        (page.id_base + "conclusion-point/9n", "home.ask.9n"),
        (page.id_base + "thematic-area/24e", "home.ask.24e"),
        (page.id_base + "pb-output/A.1", "home.ask.a1"),
    ]
    page.alternates = [
        *dump_alternates(),
        (
            "application/sparql-results+json",
            "/queries/objectives-outputs-activity-counts",
            "SPARQL",
        ),
        (
            "text/turtle",
            page.href(plan.strategy, format="ttl") if plan.strategy else "/catalog",
            "Turtle",
        ),
    ]
    n_acts = len(plan.all_activities())
    return page.render(
        "home.html",
        chart=chart,
        timeline=timeline,
        examples=[(i, k) for i, k in examples if index.known(i)],
        counts={
            "objectives": len(plan.objectives),
            "outputs": sum(len(v) for v in plan.outputs.values()),
            "activities": n_acts,
        },
        first=first,
        last=last,
    )


# ---------------------------------------------------------------------------------------------
# Instruments
# ---------------------------------------------------------------------------------------------

INSTRUMENT_TYPES = (
    "Recommendation",
    "Conclusions",
    "Declaration",
    "Constitution",
    "CallToAction",
    "GlobalAgenda",
)


def instrument_type(index: WebIndex, iri: str) -> str:
    types = index.types.get(iri, set())
    for name in INSTRUMENT_TYPES:
        if SSE + name in types:
            return SSE + name
    return SSE + "Instrument"


@router.api_route("/instruments", methods=["GET", "HEAD"])
async def instruments(request: Request) -> Response:
    page = await page_for(request)
    index = page.index
    rows = await from_store(ctx(request).store.select(internal_query("web/instruments")))
    items = []
    for r in rows:
        i = r["instrument"]["value"]
        items.append(
            {
                "iri": i,
                "type": instrument_type(index, i),
                "year": r["year"]["value"] if r.get("year") else "",
                "paragraphs": int(r["paragraphs"]["value"]),
                "related": int(r["related_activities"]["value"]),
                "thematic": int(r["thematic_activities"]["value"]),
            }
        )
    order = {SSE + n: k for k, n in enumerate(INSTRUMENT_TYPES)}
    items.sort(
        key=lambda x: (order.get(x["type"], 99), x["year"] or "9999", index.sort_key(x["iri"]))
    )
    page.alternates = [
        *dump_alternates(),
        ("application/sparql-results+json", "/queries/activities-related-to-instrument", "SPARQL"),
        ("text/turtle", page.href(page.id_base + "scheme/instruments", format="ttl"), "Turtle"),
    ]
    return page.render("instruments.html", items=items)


# ---------------------------------------------------------------------------------------------
# Traceability matrix
# ---------------------------------------------------------------------------------------------


@dataclass
class Grid:
    kind: str  # "cp" | "pb"
    columns: list[str]
    groups: list[tuple[str, int]]  # (parent IRI or "", span)
    rows: list[tuple[str, list[bool], int]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.totals)


def _grid(index: WebIndex, kind: str, activities: list[str], links: dict[str, set[str]]) -> Grid:
    columns = index.ordered({c for a in activities for c in links.get(a, ())})
    groups: list[tuple[str, int]] = []
    for c in columns:
        parent = index.broader.get(c, "")
        if groups and groups[-1][0] == parent:
            groups[-1] = (parent, groups[-1][1] + 1)
        else:
            groups.append((parent, 1))
    grid = Grid(kind, columns, groups)
    for a in activities:
        cells = [c in links.get(a, ()) for c in columns]
        grid.rows.append((a, cells, sum(cells)))
    grid.totals = [sum(row[1][i] for row in grid.rows) for i in range(len(columns))]
    return grid


async def _matrix_data(request: Request, page: Page):
    index = page.index
    plan = index.plan
    wanted = request.query_params.get("objective", "").strip()
    objectives = {index.notation.get(o, ""): o for o in plan.objectives}
    if wanted and wanted not in objectives:
        raise ApiError(
            400,
            "bad_parameter",
            f"objective must be one of {', '.join(sorted(objectives))}, not {wanted!r}",
        )
    chosen = [objectives[wanted]] if wanted else list(plan.objectives)
    activities = [
        a for o in chosen for out in plan.outputs.get(o, []) for a in plan.activities.get(out, [])
    ]
    m = Matrix.of(await from_store(ctx(request).store.select(internal_query("web/matrix"))))
    return (
        wanted,
        objectives,
        activities,
        _grid(index, "cp", activities, m.cp),
        _grid(index, "pb", activities, m.pb),
    )


@router.api_route("/matrix", methods=["GET", "HEAD"])
async def matrix_page(request: Request) -> Response:
    page = await page_for(request)
    wanted, objectives, activities, cp, pb = await _matrix_data(request, page)
    page.alternates = [
        *dump_alternates(),
        ("text/csv", page.url("/matrix.csv", objective=wanted), "CSV"),
    ]
    return page.render(
        "matrix.html", wanted=wanted, objectives=objectives, activities=activities, grids=[cp, pb]
    )


@router.api_route("/matrix.csv", methods=["GET", "HEAD"])
async def matrix_csv(request: Request) -> Response:
    page = await page_for(request)
    wanted, _, _, cp, pb = await _matrix_data(request, page)
    index = page.index
    t = page.t
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(
        [
            t("matrix.csv.activity"),
            t("matrix.csv.label"),
            t("matrix.csv.output"),
            t("matrix.csv.objective"),
        ]
        + [t("matrix.csv.cp", n=index.notation.get(c, c)) for c in cp.columns]
        + [t("matrix.csv.pb", n=index.notation.get(c, c)) for c in pb.columns]
        + [t("matrix.csv.total_cp"), t("matrix.csv.total_pb")]
    )
    for (a, cells_cp, n_cp), (_, cells_pb, n_pb) in zip(cp.rows, pb.rows, strict=True):
        act = index.plan.activity.get(a)
        w.writerow(
            [
                index.notation.get(a, a),
                page.label(a).text,
                index.notation.get(act.output, "") if act else "",
                index.notation.get(act.objective, "") if act else "",
            ]
            + [1 if x else "" for x in cells_cp]
            + [1 if x else "" for x in cells_pb]
            + [n_cp, n_pb]
        )
    w.writerow([t("matrix.total"), "", "", "", *cp.totals, *pb.totals, cp.total, pb.total])
    name = f"sse-matrix{'-objective-' + wanted if wanted else ''}-{page.lang}.csv"
    return Response(
        out.getvalue().encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Language": page.html_lang,
            "Vary": "Accept-Language",
            "ETag": page.etag() or "",
            "Cache-Control": "public, max-age=300",
            "Server-Timing": page.server_timing(),
        },
    )


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


@router.api_route("/search", methods=["GET", "HEAD"])
async def search_page(request: Request) -> Response:
    page = await page_for(request)
    q = request.query_params.get("q", "")
    groups = run_search(page.index, q, page.lang) if q.strip() else []
    total = sum(len(h) for _, h in groups)
    page.alternates = [
        *dump_alternates(),
        (
            "application/sparql-results+json",
            page.url("/queries/search-labels", text=q) if q else "/queries/search-labels",
            "SPARQL",
        ),
    ]
    return page.render("search.html", q=q, groups=groups, total=total)


# ---------------------------------------------------------------------------------------------
# SPARQL page
# ---------------------------------------------------------------------------------------------


@dataclass
class Cell:
    type: str  # uri | literal | bnode | empty
    value: str = ""
    lang: str = ""
    datatype: str = ""

    @property
    def label(self) -> Label:
        return Label(self.value, self.lang, translated="-t-" in self.lang)


@dataclass
class Result:
    form: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    boolean: bool | None = None
    count: int = 0
    shown: int = 0
    truncated: bool = False
    seconds: float = 0.0
    cached: bool = False


def _cell(term: dict | None) -> Cell:
    if term is None:
        return Cell("empty")
    kind = term.get("type")
    if kind == "typed-literal":
        kind = "literal"
    return Cell(
        kind or "literal", term.get("value", ""), term.get("xml:lang", ""), term.get("datatype", "")
    )


def _rdflib_cell(term) -> Cell:
    if isinstance(term, URIRef):
        return Cell("uri", str(term))
    if isinstance(term, BNode):
        return Cell("bnode", str(term))
    if isinstance(term, Literal):
        return Cell(
            "literal", str(term), term.language or "", str(term.datatype) if term.datatype else ""
        )
    return Cell("literal", str(term))


def parse_result(media_type: str, body: bytes) -> Result:
    if media_type == "application/sparql-results+json":
        data = json.loads(body)
        if "boolean" in data:
            return Result("ASK", boolean=bool(data["boolean"]), count=1)
        columns = data.get("head", {}).get("vars", [])
        bindings = data.get("results", {}).get("bindings", [])
        rows = [[_cell(b.get(c)) for c in columns] for b in bindings[:HTML_ROWS]]
        return Result("SELECT", columns, rows, count=len(bindings), shown=len(rows))
    graph = Graph()
    graph.parse(data=body.decode("utf-8"), format="nt")
    triples = sorted(graph, key=lambda tr: tuple(str(x) for x in tr))
    rows = [[_rdflib_cell(x) for x in tr] for tr in triples[:HTML_ROWS]]
    return Result(
        "CONSTRUCT", ["subject", "predicate", "object"], rows, count=len(triples), shown=len(rows)
    )


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


async def _form(request: Request) -> dict[str, str]:
    if request.method == "POST":
        c = ctx(request)
        body = await read_body(request, c.settings.max_body_bytes)
        from urllib.parse import parse_qsl

        ctype = request.headers.get("content-type", "")
        if "application/x-www-form-urlencoded" not in ctype:
            raise ApiError(
                415, "unsupported_media_type", "send the form as application/x-www-form-urlencoded"
            )
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    return dict(request.query_params)


@router.api_route("/query", methods=["GET", "HEAD", "POST"])
async def query_page(request: Request) -> Response:
    page = await page_for(request)
    c = ctx(request)
    form = await _form(request)
    if request.method == "POST" and form.get("lang") and "lang" not in request.query_params:
        page = Page(
            request,
            page.index,
            page.id_base,
            lang=choose_lang(form["lang"], request.headers.get("accept-language")),
        )
    curated: dict[str, CuratedQuery] = c.queries
    example = curated.get(form.get("example", ""))
    text = form.get("query")
    run = text is not None and text.strip() != ""
    if text is None or not text.strip():
        if example is not None:
            text = example.text
            run = form.get("run") in ("1", "true", "yes")
        else:
            text = internal_query("web/starter")
            run = False
    params: dict[str, str] = {}
    if example is not None:
        for p in example.parameters:
            value = form.get(f"param-{p.name}")
            params[p.name] = value if value is not None else (p.default or "")
    result: Result | None = None
    error: ApiError | None = None
    status = 200
    bindings = None
    downloads: list[tuple[str, str]] = []
    if run:
        if len(text.encode()) > c.settings.max_query_bytes:
            error = ApiError(
                413,
                "query_too_large",
                f"the query is longer than {c.settings.max_query_bytes} bytes",
            )
        elif example is not None and _same_text(text, example.text):
            try:
                bindings = example.bindings({k: v for k, v in params.items() if v != ""})
            except ApiError as exc:
                error = exc
        if error is None:
            try:
                outcome = await c.sparql.query(
                    text,
                    accept=QUERY_ACCEPT,
                    bindings=bindings,
                    client=request.client.host if request.client else "unknown",
                )
                result = parse_result(outcome.response.media_type, outcome.response.body)
                result.truncated = outcome.response.truncated
                result.seconds = outcome.seconds
                result.cached = outcome.cached
            except ApiError as exc:
                error = exc
        if error is not None:
            status = error.status if 400 <= error.status < 600 else 400
        elif result is not None:
            from urllib.parse import urlencode

            if bindings is not None and example is not None:
                base = f"/queries/{example.name}"
                qs = {k: v for k, v in params.items() if v != ""}
            else:
                base = "/sparql"
                qs = {"query": text}
            kinds = (
                (("json", "JSON"), ("csv", "CSV"))
                if result.form != "CONSTRUCT"
                else (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"))
            )
            downloads = [
                (label, f"{base}?{urlencode({**qs, 'format': fmt})}") for fmt, label in kinds
            ]
    page.alternates = [
        *dump_alternates(),
        ("application/sparql-results+json", "/queries", "SPARQL"),
    ]
    return page.render(
        "query.html",
        status=status,
        text=text,
        example=example,
        params=params,
        examples=list(curated.values()),
        result=result,
        error=error,
        downloads=downloads,
        headers={"Cache-Control": "no-store"} if run else None,
    )


# ---------------------------------------------------------------------------------------------
# About
# ---------------------------------------------------------------------------------------------


@router.api_route("/about", methods=["GET", "HEAD"])
async def about(request: Request) -> Response:
    page = await page_for(request)
    c = ctx(request)
    counts = await from_store(c.store.graph_counts())
    page.alternates = [*dump_alternates(), ("text/turtle", "/catalog?format=ttl", "DCAT")]
    return page.render(
        "about.html",
        counts=counts,
        store_mode="embedded" if c.settings.embedded else "remote",
        document=page.id_base + "document/gb346-sse-strategy",
        facts=page.id_base + "document/reference-facts",
    )
