"""Dumps: the graph as files, the same bytes at ``GET /download/…`` and from ``sse-graph export``.

Three graphs, each as a set of files:

- ``sse-kg-asserted.*`` — the asserted graph (ontology and data as written);
- ``sse-kg-full.*`` — asserted plus inferred (OWL 2 RL closure), as one graph;
- ``sse-kg-dataset.*`` — the whole dataset with its two named graphs (TriG, N-Quads).

Graphs are written in Turtle, gzipped N-Triples, JSON-LD (compacted with the published
``@context``) and RDF/XML; every file has a ``.sha256`` beside it. Files are deterministic: the
statements are sorted, blank nodes are relabelled from their surroundings and gzip carries no
time stamp, so the same inputs give byte-identical files. They are rendered once per dataset
version (at startup) and kept in memory: the whole set is a few megabytes.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import html
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response

from sse_graph.errors import ApiError
from sse_graph.http import Context, ctx, from_store, http_date, not_modified
from sse_graph.linked_data import (
    ASSERTED,
    INFERRED,
    body_response,
    canonical_bnodes,
    parse_rdf,
    serialize,
    sorted_quads,
    sorted_triples,
)
from sse_graph.settings import Settings
from sse_graph.sparql import conneg
from sse_graph.store.base import Store

log = logging.getLogger("sse_graph.export")


@dataclass(frozen=True)
class DumpSpec:
    name: str  # file name
    graph: str  # asserted | full | dataset
    media_type: str  # of the (uncompressed) content
    slug: str  # last segment of the distribution IRI
    compressed: bool = False

    @property
    def file_type(self) -> str:
        return "application/gzip" if self.compressed else self.media_type


def _specs() -> tuple[DumpSpec, ...]:
    graph_formats = (
        ("ttl", "text/turtle", "turtle", False),
        ("nt.gz", "application/n-triples", "ntriples", True),
        ("jsonld", "application/ld+json", "jsonld", False),
        ("rdf", "application/rdf+xml", "rdfxml", False),
    )
    specs = [
        DumpSpec(f"sse-kg-{graph}.{ext}", graph, media, f"{graph}-{slug}", gz)
        for graph in ("asserted", "full")
        for ext, media, slug, gz in graph_formats
    ]
    specs += [
        DumpSpec("sse-kg-dataset.trig", "dataset", "application/trig", "dataset-trig"),
        DumpSpec("sse-kg-dataset.nq", "dataset", "application/n-quads", "dataset-nquads"),
    ]
    return tuple(specs)


DUMPS: tuple[DumpSpec, ...] = _specs()

GRAPH_TITLES = {
    "asserted": ("asserted graph", "断言图"),
    "full": ("asserted and inferred graph", "断言和推理图"),
    "dataset": ("dataset with its named graphs", "含命名图的数据集"),
}
GRAPH_DESCRIPTIONS = {
    "asserted": (
        "The statements of the ontology and the data as written, without reasoning.",
        "本体和数据中书写的陈述，不含推理结果。",
    ),
    "full": (
        "The asserted statements and those inferred from them by OWL 2 RL reasoning, as one graph.",
        "断言的陈述以及由 OWL 2 RL 推理得出的陈述，合为一个图。",
    ),
    "dataset": (
        "The whole dataset: the asserted statements in the named graph "
        f"<{ASSERTED}> and the inferred ones in <{INFERRED}>.",
        f"整个数据集：断言的陈述在命名图 <{ASSERTED}> 中，推理得出的陈述在 <{INFERRED}> 中。",
    ),
}


@dataclass(frozen=True)
class Dump:
    spec: DumpSpec
    body: bytes
    sha256: str
    statements: int  # triples, or quads for the dataset files

    @property
    def checksum_name(self) -> str:
        return self.spec.name + ".sha256"

    @property
    def checksum_body(self) -> bytes:
        # the format of sha256sum, so `sha256sum -c FILE.sha256` checks the download
        return f"{self.sha256}  {self.spec.name}\n".encode()


@dataclass
class DumpSet:
    version: str
    last_modified: str | None
    dumps: dict[str, Dump]
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)

    def files(self) -> dict[str, tuple[bytes, str]]:
        """File name → (bytes, media type served), checksums included."""
        out: dict[str, tuple[bytes, str]] = {}
        for dump in self.dumps.values():
            out[dump.spec.name] = (dump.body, dump.spec.file_type)
            out[dump.checksum_name] = (dump.checksum_body, "text/plain")
        return out


def render(asserted: list, inferred: list, version: str, last_modified: str | None) -> DumpSet:
    """Every dump from the triples of the two named graphs (CPU only; run it in a thread)."""
    t0 = time.perf_counter()
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(ASSERTED)) for t in asserted]
    quads += [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(INFERRED)) for t in inferred]
    quads = canonical_bnodes(quads)
    graphs = {
        "asserted": sorted_triples(q for q in quads if q.graph_name.value == ASSERTED),
        "full": sorted_triples(quads),
        "dataset": sorted_quads(quads),
    }
    dumps: dict[str, Dump] = {}
    for spec in DUMPS:
        items = graphs[spec.graph]
        body = serialize(items, spec.media_type)
        if spec.compressed:
            body = gzip.compress(body, compresslevel=9, mtime=0)
        dumps[spec.name] = Dump(spec, body, hashlib.sha256(body).hexdigest(), len(items))
    counts = {name: len(items) for name, items in graphs.items()}
    return DumpSet(version, last_modified, dumps, time.perf_counter() - t0, counts)


async def render_dumps(store: Store) -> DumpSet:
    """Read the two named graphs through the store interface and render every dump."""
    version, modified = store.version, store.last_modified
    asserted = parse_rdf(
        await from_store(store.dump(ASSERTED, "application/n-triples")), "application/n-triples"
    )
    inferred = parse_rdf(
        await from_store(store.dump(INFERRED, "application/n-triples")), "application/n-triples"
    )
    dumps = await asyncio.to_thread(render, asserted, inferred, version, modified)
    log.info("rendered %d dumps of version %s in %.2f s", len(dumps.dumps), version, dumps.seconds)
    return dumps


class Downloads:
    """The dumps of the current dataset version, rendered once and re-rendered if it changes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._current: DumpSet | None = None
        self._lock = asyncio.Lock()

    async def current(self) -> DumpSet:
        if self._current is not None and self._current.version == self.store.version:
            return self._current
        async with self._lock:
            if self._current is None or self._current.version != self.store.version:
                self._current = await render_dumps(self.store)
        return self._current


def downloads(c: Context) -> Downloads:
    svc = c.extras.get("export")
    if svc is None:
        svc = c.extras["export"] = Downloads(c.store)
    return svc


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------

router = APIRouter(tags=["Downloads"])
INDEX_TYPES = ("application/json", "text/html")


def _index(dumps: DumpSet, base: str) -> dict:
    files = []
    for dump in dumps.dumps.values():
        spec = dump.spec
        files.append(
            {
                "name": spec.name,
                "url": f"{base}/download/{spec.name}",
                "graph": spec.graph,
                "media_type": spec.media_type,
                "compression": "gzip" if spec.compressed else None,
                "statements": dump.statements,
                "bytes": len(dump.body),
                "sha256": dump.sha256,
                "checksum_url": f"{base}/download/{dump.checksum_name}",
            }
        )
    return {
        "version": dumps.version,
        "modified": dumps.last_modified,
        "catalogue": f"{base}/catalog",
        "context": f"{base}/context.jsonld",
        "files": files,
    }


def _index_html(index: dict) -> str:
    rows = "\n".join(
        f'<tr><td><a href="{html.escape(f["url"])}">{html.escape(f["name"])}</a></td>'
        f"<td>{html.escape(f['graph'])}</td><td>{html.escape(f['media_type'])}"
        f"{' (gzip)' if f['compression'] else ''}</td><td>{f['statements']}</td>"
        f'<td>{f["bytes"]}</td><td><a href="{html.escape(f["checksum_url"])}">'
        f"<code>{f['sha256'][:16]}…</code></a></td></tr>"
        for f in index["files"]
    )
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Downloads — sse-graph</title>
<style>body{{font-family:system-ui,sans-serif;max-width:72em;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}th,td{{text-align:left;padding:.3em .6em;
border-bottom:1px solid #ddd}}</style></head>
<body>
<h1>Downloads</h1>
<p>Dataset version <code>{html.escape(index["version"])}</code>, built
{html.escape(index["modified"] or "(unknown)")}. The same files are written by
<code>sse-graph export DIR</code>. Described in the <a href="{html.escape(index["catalogue"])}">
DCAT catalogue</a>; the JSON-LD files use the context at
<a href="{html.escape(index["context"])}">{html.escape(index["context"])}</a>.</p>
<table><tr><th>file</th><th>graph</th><th>media type</th><th>statements</th><th>bytes</th>
<th>SHA-256</th></tr>
{rows}
</table>
</body>
</html>
"""


async def _index_response(request: Request) -> Response:
    c = ctx(request)
    dumps = await downloads(c).current()
    try:
        media = conneg.negotiate(request.headers.get("accept"), INDEX_TYPES)
    except conneg.NotAcceptable:
        raise ApiError(
            406,
            "not_acceptable",
            "the download index is available as application/json or text/html",
            extra={"supported": list(INDEX_TYPES)},
        ) from None
    headers = {"Vary": "Accept", "ETag": f'W/"{dumps.version}"', "Cache-Control": "no-cache"}
    cached = not_modified(request, headers["ETag"], headers={"Vary": "Accept"})
    if cached is not None:
        return cached
    index = _index(dumps, c.base_url(request))
    if media == "text/html":
        return body_response(request, _index_html(index).encode(), "text/html", headers)
    if request.method == "HEAD":
        return Response(None, 200, headers=headers, media_type="application/json")
    return JSONResponse(index, headers=headers)


@router.api_route("/download/", methods=["GET", "HEAD"], summary="The dumps, with checksums")
async def download_index(request: Request) -> Response:
    return await _index_response(request)


@router.api_route("/download/{name}", methods=["GET", "HEAD"], summary="One dump or checksum")
async def download_file(request: Request, name: str) -> Response:
    c = ctx(request)
    dumps = await downloads(c).current()
    files = dumps.files()
    if name not in files:
        raise ApiError(
            404,
            "not_found",
            f"no file {name!r}; the files are: {', '.join(files)} (see /download/)",
            extra={"files": list(files)},
        )
    body, media = files[name]
    etag = '"' + hashlib.sha256(body).hexdigest() + '"'
    modified = http_date(dumps.last_modified)
    headers = {
        "ETag": etag,
        "Cache-Control": "public, max-age=300",
        "Content-Disposition": f'attachment; filename="{name}"',
    }
    if modified:
        headers["Last-Modified"] = modified
    cached = not_modified(
        request, etag, modified, {k: v for k, v in headers.items() if k != "Content-Disposition"}
    )
    if cached is not None:
        return cached
    media_type = media + ("; charset=utf-8" if media.startswith("text/") else "")
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(None, 200, headers=headers, media_type=media_type)
    return Response(body, 200, headers=headers, media_type=media_type)


# ---------------------------------------------------------------------------------------------
# sse-graph export DIR
# ---------------------------------------------------------------------------------------------


def export_to_directory(settings: Settings, directory: Path) -> list[Path]:
    """Write the dumps, their checksums, and the catalogue and VoID (``catalog.ttl``,
    ``void.ttl``) to ``directory``. The dumps and checksums are byte-identical to what
    ``/download/`` serves; the catalogue and VoID name the service at ``settings.base_url``
    (or the public base) and carry the build time, so only they change between two builds."""
    return asyncio.run(_export(settings, Path(directory)))


async def _export(settings: Settings, directory: Path) -> list[Path]:
    from sse_graph import catalogue
    from sse_graph.store import open_store

    if settings.embedded:
        settings = settings.model_copy(update={"query_workers": 1})
    store = open_store(settings)
    await store.start()
    try:
        dumps = await render_dumps(store)
        base = (settings.base_url or settings.public_base).rstrip("/")
        metadata = await catalogue.render_files(store, settings, dumps, base)
    finally:
        await store.close()
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, (body, _media) in [*dumps.files().items(), *metadata.items()]:
        path = directory / name
        path.write_bytes(body)
        written.append(path)
    return written


def install(app: FastAPI, settings: Settings) -> None:
    """``/download/`` routes; the dumps are rendered at startup and kept in memory."""
    app.include_router(router)

    async def setup(context: Context) -> None:
        svc = Downloads(context.store)
        context.extras["export"] = svc
        try:
            await svc.current()
        except Exception as exc:  # the store may come up later; render on first request
            log.warning("dumps not rendered at startup (%s); they will be on first use", exc)

    app.state.feature_setups.append(setup)


__all__ = ["DUMPS", "DumpSet", "export_to_directory", "install", "render_dumps"]
