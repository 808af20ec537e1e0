"""Linked data: every IRI the graph mints resolves on the service, in every RDF format.

The public base (``settings.public_base``, default ``https://w3id.org/sse-kg/``) maps onto the
service's own paths: the IRI ``{public_base}id/X`` is served at ``/id/X``, the ontology
``{public_base}ontology`` (and its terms ``…ontology#Term``) at ``/ontology``, its version IRI at
``/ontology/1.0.0``. A deployment behind w3id or another proxy keeps the public base and
redirects it to the service (``settings.base_url`` says where the service is reached).

This module also holds the RDF writing every publication feature shares (sorted, stable
serializations, the JSON-LD ``@context`` and compaction), so dumps, catalogue and resource pages
print the same bytes for the same statements.
"""

from __future__ import annotations

import asyncio
import difflib
import hashlib
import html
import importlib.metadata
import json
import logging
import sys
import types
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from sse_graph.errors import ApiError
from sse_graph.http import Context, ctx, dataset_etag, from_store, not_modified
from sse_graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH, PREFIXES
from sse_graph.queries import internal_query
from sse_graph.settings import Settings
from sse_graph.sparql import conneg
from sse_graph.sparql.results import RDF_FORMATS, term_from_json
from sse_graph.store.base import (
    Store,
    iri,
)

log = logging.getLogger("sse_graph.linked_data")

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_ONTOLOGY = "http://www.w3.org/2002/07/owl#Ontology"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SKOS_PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCTERMS_TITLE = "http://purl.org/dc/terms/title"
ASSERTED = str(ASSERTED_GRAPH)
INFERRED = str(INFERRED_GRAPH)

#: Prefixes written in Turtle, TriG and RDF/XML, and defined in the published JSON-LD context.
#: Only ever extended (the context is published at a stable URL).
OUTPUT_PREFIXES: dict[str, str] = {
    **PREFIXES,
    "vann": "http://purl.org/vocab/vann/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "lime": "http://www.w3.org/ns/lemon/lime#",
}

#: Prefixes in Turtle, TriG and RDF/XML: without ``id:``, whose names would need escaped slashes.
TEXT_PREFIXES: dict[str, str] = {k: v for k, v in OUTPUT_PREFIXES.items() if k != "id"}

#: Representations of a resource: media type → (``format=`` name, label). HTML first: it is what
#: a browser, or a client that sends no ``Accept``, gets.
MEDIA: dict[str, tuple[str, str]] = {
    "text/html": ("html", "HTML"),
    "text/turtle": ("ttl", "Turtle"),
    "application/ld+json": ("jsonld", "JSON-LD"),
    "application/n-triples": ("nt", "N-Triples"),
    "application/rdf+xml": ("rdf", "RDF/XML"),
    "application/trig": ("trig", "TriG"),
    "application/n-quads": ("nq", "N-Quads"),
}
RESOURCE_TYPES: tuple[str, ...] = tuple(MEDIA)
ONTOLOGY_TYPES: tuple[str, ...] = (
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
)
ALIASES: dict[str, str] = {**conneg.GRAPH_ALIASES, "application/xhtml+xml": "text/html"}
FORMAT_NAMES: dict[str, str] = {**conneg.GRAPH_FORMATS, "html": "text/html"}
TEXT_TYPES = frozenset(
    {"text/turtle", "application/n-triples", "application/n-quads", "application/trig", "text/html"}
)


# ---------------------------------------------------------------------------------------------
# The public base ↔ the service's paths
# ---------------------------------------------------------------------------------------------


def iri_for_path(settings: Settings, path: str) -> str:
    """The IRI a service path stands for: ``id/output/1.1`` → ``{public_base}id/output/1.1``."""
    return settings.public_base + path.lstrip("/")


def local_url(settings: Settings, value: str, base_url: str) -> str:
    """Where an IRI resolves on this service (IRIs outside the public base are left alone)."""
    if value.startswith(settings.public_base):
        return base_url.rstrip("/") + "/" + value[len(settings.public_base) :]
    return value


# ---------------------------------------------------------------------------------------------
# Writing RDF: stable order, stable blank-node labels, one JSON-LD context
# ---------------------------------------------------------------------------------------------


def jsonld_context() -> dict:
    """The ``@context`` published at ``{public_base}context.jsonld``: prefixes only.

    Keys are compact IRIs (``skos:prefLabel``), values keep their JSON-LD value objects, so a
    document compacted with it round-trips to exactly the same triples in any JSON-LD processor.
    """
    return dict(sorted(OUTPUT_PREFIXES.items()))


def term_key(term) -> str:
    return str(term)


def triple_key(t) -> tuple[str, str, str]:
    return (str(t.subject), str(t.predicate), str(t.object))


def quad_key(q) -> tuple[str, str, str, str]:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def sorted_triples(items: Iterable) -> list[ox.Triple]:
    """Distinct triples in a stable order (subject, predicate, object as N-Triples)."""
    seen: dict[tuple[str, str, str], ox.Triple] = {}
    for t in items:
        triple = t if isinstance(t, ox.Triple) else ox.Triple(t.subject, t.predicate, t.object)
        seen.setdefault(triple_key(triple), triple)
    return [seen[k] for k in sorted(seen)]


def sorted_quads(items: Iterable[ox.Quad]) -> list[ox.Quad]:
    seen: dict[tuple[str, str, str, str], ox.Quad] = {}
    for q in items:
        seen.setdefault(quad_key(q), q)
    return [seen[k] for k in sorted(seen)]


def canonical_bnodes(quads: list[ox.Quad]) -> list[ox.Quad]:
    """Relabel blank nodes from their surroundings, so the same data gets the same labels.

    Colour refinement: a blank node's colour is a hash of the statements it takes part in (other
    blank nodes by their colour), repeated until the partition stops splitting; labels ``b0``,
    ``b1``… follow the sorted colours. Nodes nothing tells apart keep their input order as the
    tie-break (the build already writes canonical labels, so this only matters for stores that
    relabel blank nodes, such as a remote store).
    """
    touching: dict[str, list[ox.Quad]] = defaultdict(list)
    for q in quads:
        for term in (q.subject, q.object):
            if isinstance(term, ox.BlankNode):
                touching[term.value].append(q)
    if not touching:
        return quads
    nodes = sorted(touching)
    colour = dict.fromkeys(nodes, "")

    def sig(term, me: str) -> str:
        if isinstance(term, ox.BlankNode):
            return "_:self" if term.value == me else "_:" + colour[term.value]
        return str(term)

    classes = 1
    for _ in range(len(nodes) + 1):
        new = {}
        for b in nodes:
            lines = sorted(
                f"{sig(q.subject, b)} {q.predicate} {sig(q.object, b)} {q.graph_name}"
                for q in touching[b]
            )
            new[b] = hashlib.sha256((colour[b] + "\n" + "\n".join(lines)).encode()).hexdigest()
        colour = new
        now = len(set(colour.values()))
        if now == classes:
            break
        classes = now
    order = sorted(nodes, key=lambda b: (colour[b], b))
    labels = {b: ox.BlankNode(f"b{i}") for i, b in enumerate(order)}

    def relabel(term):
        return labels[term.value] if isinstance(term, ox.BlankNode) else term

    return [
        ox.Quad(relabel(q.subject), q.predicate, relabel(q.object), q.graph_name) for q in quads
    ]


def _compactor(context: dict):
    prefixes = sorted(
        ((ns, p) for p, ns in context.items() if isinstance(ns, str)),
        key=lambda item: (-len(item[0]), item[1]),
    )

    def compact(value: str) -> str:
        for ns, prefix in prefixes:
            if value.startswith(ns) and len(value) > len(ns):
                local = value[len(ns) :]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return value

    return compact


def to_jsonld(triples: Iterable, context: dict | None = None) -> bytes:
    """Compacted JSON-LD with the published context embedded: one node object per subject.

    Written here rather than by a JSON-LD library so that the output is sorted and stable.
    The context is embedded (not referenced by URL) so the file parses offline; it is the same
    object as ``/context.jsonld``.
    """
    context = context if context is not None else jsonld_context()
    compact = _compactor(context)

    def node_id(term) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        return compact(term.value)

    def value(term):
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": compact(term.datatype.value)}
        return {"@id": node_id(term)}

    nodes: dict[str, dict] = {}
    for t in sorted_triples(triples):
        node = nodes.setdefault(str(t.subject), {"@id": node_id(t.subject)})
        if t.predicate.value == RDF_TYPE and not isinstance(t.object, ox.Literal):
            node.setdefault("@type", []).append(node_id(t.object))
        else:
            node.setdefault(compact(t.predicate.value), []).append(value(t.object))
    graph = []
    for key in sorted(nodes):
        node = nodes[key]
        out: dict = {"@id": node.pop("@id")}
        if "@type" in node:
            types_ = node.pop("@type")
            out["@type"] = types_[0] if len(types_) == 1 else types_
        for prop in sorted(node):
            values = node[prop]
            out[prop] = values[0] if len(values) == 1 else values
        graph.append(out)
    doc = {"@context": context, "@graph": graph}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


def serialize(items: Iterable, media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Triples (or quads, for TriG/N-Quads) in a stable order, in one RDF media type."""
    prefixes = TEXT_PREFIXES if prefixes is None else prefixes
    items = list(items)
    if media_type == "application/ld+json":
        return to_jsonld(items)
    fmt = RDF_FORMATS[media_type]
    if fmt.supports_datasets:
        data = sorted_quads(
            i if isinstance(i, ox.Quad) else ox.Quad(i.subject, i.predicate, i.object)
            for i in items
        )
    else:
        data = sorted_triples(items)
    kwargs = {}
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        kwargs["prefixes"] = prefixes
    return ox.serialize(data, format=fmt, **kwargs) or b""


def parse_rdf(data: bytes, media_type: str) -> list:
    """Parse what a store returned (triples, or quads for dataset formats)."""
    return list(ox.parse(data, format=RDF_FORMATS[media_type]))


def _strip_prefix_lines(data: bytes) -> bytes:
    """A Turtle block without its leading @prefix lines (declared earlier in the document)."""
    lines = data.decode("utf-8").splitlines(keepends=True)
    i = 0
    while i < len(lines) and (lines[i].startswith("@prefix ") or not lines[i].strip()):
        i += 1
    return "".join(lines[i:]).encode()


def turtle_sections(sections: list[tuple[str, list]]) -> bytes:
    """Turtle in commented sections (asserted, inferred, context): one document, one prefix map."""
    out: list[bytes] = []
    first = True
    for comment, triples in sections:
        if not triples:
            continue
        block = serialize(triples, "text/turtle")
        if not first:
            block = _strip_prefix_lines(block)
        head = "".join(f"# {line}\n" for line in comment.splitlines())
        if first:
            # prefixes first, then the section comment
            prefix_part = block[: len(block) - len(_strip_prefix_lines(block))]
            out.append(prefix_part if prefix_part.endswith(b"\n") else prefix_part + b"\n")
            out.append(b"\n" + head.encode() + _strip_prefix_lines(block))
        else:
            out.append(b"\n" + head.encode() + block)
        first = False
    return b"".join(out)


# ---------------------------------------------------------------------------------------------
# HTTP helpers shared by linked data, downloads and the catalogue
# ---------------------------------------------------------------------------------------------


def choose_media(request: Request, offers: tuple[str, ...]) -> str:
    """``?format=`` first, then ``Accept``; 406 names what can be had."""
    fmt = request.query_params.get("format")
    try:
        if fmt:
            return conneg.from_format(fmt, FORMAT_NAMES, offers)
        return conneg.negotiate(request.headers.get("accept"), offers, ALIASES)
    except conneg.NotAcceptable as exc:
        names = ", ".join(f"{m} (format={MEDIA[m][0]})" for m in offers)
        raise ApiError(
            406,
            "not_acceptable",
            f"{exc}; this resource is available as: {names}",
            extra={"supported": list(offers)},
        ) from None


def alternates(url: str, offers: tuple[str, ...], extra_query: str = "") -> str:
    """``Link`` header naming every representation (``?format=…`` URLs)."""
    links = []
    for media in offers:
        name = MEDIA[media][0]
        links.append(f'<{url}?{extra_query}format={name}>; rel="alternate"; type="{media}"')
    return ", ".join(links)


def content_type(media: str) -> str:
    return media + ("; charset=utf-8" if media in TEXT_TYPES else "")


def body_response(
    request: Request, body: bytes, media: str, headers: dict[str, str], status: int = 200
) -> Response:
    """The body for GET, only the headers (with the GET length) for HEAD."""
    if request.method == "HEAD":
        h = {**headers, "Content-Length": str(len(body))}
        return Response(None, status, headers=h, media_type=content_type(media))
    return Response(body, status, headers=headers, media_type=content_type(media))


# ---------------------------------------------------------------------------------------------
# The description of a resource
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Description:
    """What the service says about one IRI, as quads.

    For a resource of the graph (``metadata=False``) the quads are in the asserted and inferred
    named graphs: the resource's own statements, the statements pointing to it, and the labels of
    the resources on the other end. For an IRI the catalogue mints (``metadata=True``) they are
    in the default graph: the service computes them from the store.
    """

    iri: str
    quads: tuple[ox.Quad, ...]
    metadata: bool = False

    @property
    def node(self) -> ox.NamedNode:
        return ox.NamedNode(self.iri)

    def _closure(self) -> set[str]:
        """The resource and the blank nodes it reaches (N-Triples forms)."""
        reach = {str(self.node)}
        grew = True
        while grew:
            grew = False
            for q in self.quads:
                if (
                    str(q.subject) in reach
                    and isinstance(q.object, ox.BlankNode)
                    and str(q.object) not in reach
                ):
                    reach.add(str(q.object))
                    grew = True
        return reach

    def own(self) -> list[ox.Quad]:
        """Statements about the resource (with its blank nodes) and statements pointing to it."""
        reach = self._closure()
        return [q for q in self.quads if str(q.subject) in reach or q.object == self.node]

    def outgoing(self, graph: str | None = None) -> list[ox.Quad]:
        return [
            q
            for q in self.quads
            if q.subject == self.node and (graph is None or graph_of(q) == graph)
        ]

    def incoming(self, graph: str | None = None) -> list[ox.Quad]:
        return [
            q
            for q in self.quads
            if q.object == self.node
            and q.subject != self.node
            and (graph is None or graph_of(q) == graph)
        ]

    def about(self, node) -> list[ox.Quad]:
        return [q for q in self.quads if q.subject == node]

    def context(self) -> list[ox.Quad]:
        """Labels and notations of the linked resources."""
        own = {quad_key(q) for q in self.own()}
        return [q for q in self.quads if quad_key(q) not in own]

    def triples(self, inferred: bool = True) -> list[ox.Triple]:
        return sorted_triples(q for q in self.quads if inferred or graph_of(q) != INFERRED)

    def dataset(self, inferred: bool = True) -> list[ox.Quad]:
        return sorted_quads(q for q in self.quads if inferred or graph_of(q) != INFERRED)

    def labels(self) -> dict[str, dict[str, str]]:
        """IRI → {language: label} from prefLabel, rdfs:label, dcterms:title and notation."""
        out: dict[str, dict[str, str]] = defaultdict(dict)
        rank = {SKOS_PREF_LABEL: 0, RDFS_LABEL: 1, DCTERMS_TITLE: 2, SKOS_NOTATION: 3}
        best: dict[tuple[str, str], int] = {}
        for q in self.quads:
            p = q.predicate.value
            if (
                p in rank
                and isinstance(q.object, ox.Literal)
                and isinstance(q.subject, ox.NamedNode)
            ):
                lang = q.object.language or ""
                key = (q.subject.value, lang)
                if key not in best or rank[p] < best[key]:
                    best[key] = rank[p]
                    out[q.subject.value][lang] = q.object.value
        return out


def graph_of(q) -> str:
    """The named graph of a quad, "" for the default graph."""
    g = q.graph_name
    return g.value if isinstance(g, ox.NamedNode) else ""


def pick_label(labels: dict[str, str] | None, fallback: str, lang: str = "en") -> str:
    if not labels:
        return fallback
    for want in (lang, f"{lang}-t-zh", f"{lang}-t-en", "en", "en-t-zh", "zh", "zh-t-en", ""):
        if want in labels:
            return labels[want]
    return next(iter(labels.values()))


class LinkedData:
    """Descriptions and the ontology, read from the store and kept per dataset version."""

    def __init__(self, store: Store, settings: Settings, cache_size: int = 1024) -> None:
        self.store = store
        self.settings = settings
        self._cache: OrderedDict[tuple[str, str], Description | None] = OrderedDict()
        self._cache_size = cache_size
        self._subjects: tuple[str, list[str]] | None = None
        self._ontology: tuple[str, list[ox.Triple]] | None = None
        self._html: dict[tuple[str, str], str] = {}
        self._html_lock = asyncio.Lock()

    async def describe(self, value: str) -> Description | None:
        """The description of ``value``, or None when the graph says nothing about it."""
        key = (self.store.version, value)
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        rows = await from_store(
            self.store.select(internal_query("ld/describe"), {"resource": iri(value)})
        )
        node = ox.NamedNode(value)
        quads = []
        for r in rows:
            g = ox.NamedNode(r["g"]["value"])
            p = ox.NamedNode(r["p"]["value"])
            x = term_from_json(r["x"])
            if r["dir"]["value"] == "out":
                quads.append(ox.Quad(node, p, x, g))
            elif r["dir"]["value"] == "in":
                quads.append(ox.Quad(x, p, node, g))
            elif "v" in r:
                quads.append(ox.Quad(x, p, term_from_json(r["v"]), g))
        described = (
            Description(value, tuple(sorted_quads(quads)))
            if any(q.subject == node or q.object == node for q in quads)
            else None
        )
        self._cache[key] = described
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return described

    async def subjects(self) -> list[str]:
        version = self.store.version
        if self._subjects is None or self._subjects[0] != version:
            rows = await from_store(self.store.select(internal_query("ld/subjects")))
            self._subjects = (version, [r["s"]["value"] for r in rows])
        return self._subjects[1]

    async def suggestions(self, value: str) -> tuple[list[str], dict[str, int]]:
        """Near matches for an unknown IRI, and how many resources each kind of IRI has."""
        space = self.settings.public_base + "id/"
        known = [s for s in await self.subjects() if s.startswith(space)]
        kinds: dict[str, int] = defaultdict(int)
        for s in known:
            kinds[s[len(space) :].split("/", 1)[0]] += 1
        # compare the paths after the kind's prefix, not the long common IRI base
        by_path = {s[len(space) :]: s for s in known}
        wanted = value[len(space) :] if value.startswith(space) else value
        close = difflib.get_close_matches(wanted, list(by_path), n=3, cutoff=0.8)
        return [by_path[p] for p in close], dict(sorted(kinds.items()))

    async def ontology(self) -> list[ox.Triple]:
        version = self.store.version
        if self._ontology is None or self._ontology[0] != version:
            data = await from_store(
                self.store.construct(
                    internal_query("ld/ontology"), media_type="application/n-triples"
                )
            )
            self._ontology = (version, sorted_triples(parse_rdf(data, "application/n-triples")))
        return self._ontology[1]

    async def ontology_versions(self) -> dict[str, str]:
        """Version IRI → version string of the ontology at ``{public_base}ontology``."""
        rows = await from_store(self.store.select(internal_query("ld/ontology-versions")))
        onto = self.settings.public_base + "ontology"
        return {
            r["versionIRI"]["value"]: r.get("versionInfo", {}).get("value", "")
            for r in rows
            if r["ontology"]["value"] == onto and "versionIRI" in r
        }

    async def ontology_html(self, lang: str) -> str:
        """pyLODE documentation, generated on first use and kept for this dataset version."""
        key = (self.store.version, lang)
        if key in self._html:
            return self._html[key]
        async with self._html_lock:
            if key not in self._html:
                triples = await self.ontology()
                try:
                    page = await asyncio.to_thread(pylode_html, triples, lang)
                except Exception:  # pyLODE failing must not take the ontology down
                    log.exception("pyLODE could not document the ontology")
                    page = fallback_ontology_html(triples)
                self._html[key] = page
        return self._html[key]


# ---------------------------------------------------------------------------------------------
# pyLODE
# ---------------------------------------------------------------------------------------------

_DOC_PROPERTIES = frozenset(
    {
        RDFS_LABEL,
        "http://www.w3.org/2000/01/rdf-schema#comment",
        DCTERMS_TITLE,
        "http://purl.org/dc/terms/description",
        "http://www.w3.org/2004/02/skos/core#definition",
        SKOS_PREF_LABEL,
    }
)


def _one_language(triples: list[ox.Triple], lang: str) -> list[ox.Triple]:
    """Keep, for each documented (subject, property), the literals in ``lang`` when there are any:
    pyLODE prints every label it finds side by side."""
    has_lang = {
        (str(t.subject), t.predicate.value)
        for t in triples
        if t.predicate.value in _DOC_PROPERTIES
        and isinstance(t.object, ox.Literal)
        and (t.object.language or "").split("-")[0] == lang
    }
    out = []
    for t in triples:
        if (
            t.predicate.value in _DOC_PROPERTIES
            and isinstance(t.object, ox.Literal)
            and t.object.language
            and (str(t.subject), t.predicate.value) in has_lang
            and t.object.language.split("-")[0] != lang
        ):
            continue
        out.append(t)
    return out


class _QuietRoot:
    """pyLODE calls ``logging.basicConfig(level=DEBUG)`` on import and logs on the root logger;
    while it runs, give the root logger a handler so that neither reconfigures the service's
    logging, and put its level back afterwards."""

    def __enter__(self):
        self.root = logging.getLogger()
        self.level = self.root.level
        self.guard = None
        if not self.root.handlers:
            self.guard = logging.NullHandler()
            self.root.addHandler(self.guard)
        return self

    def __exit__(self, *exc):
        self.root.setLevel(self.level)
        if self.guard is not None:
            self.root.removeHandler(self.guard)
        return False


def _import_pylode():
    """Import pyLODE. pyLODE 3.4.1 reads its version from a pyproject.toml it does not ship
    (RDFLib/pyLODE#260); give it the installed version instead."""
    if "pylode" not in sys.modules and "pylode.version" not in sys.modules:
        try:
            version = importlib.metadata.version("pylode")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        stub = types.ModuleType("pylode.version")
        stub.__version__ = version
        sys.modules["pylode.version"] = stub
    from pylode import OntPub

    return OntPub


def pylode_html(triples: list[ox.Triple], lang: str = "en") -> str:
    """The ontology's HTML documentation by pyLODE (OntPub profile), labels in ``lang``."""
    from rdflib import Graph

    data = ox.serialize(_one_language(triples, lang), format=ox.RdfFormat.N_TRIPLES) or b""
    graph = Graph().parse(data=data.decode("utf-8"), format="nt")
    with _QuietRoot():
        OntPub = _import_pylode()
        pub = OntPub(graph, sort_subjects=True)
        # pyLODE makes fragment ids from labels ("activity"); the terms' IRIs are hash IRIs
        # (…/ontology#Activity), so give every term of the ontology its local name as the id
        onto = ontology_iri(triples)
        for t in triples:
            value = t.subject.value if isinstance(t.subject, ox.NamedNode) else ""
            if onto and value.startswith(onto + "#") and len(value) > len(onto) + 1:
                pub.fids[value] = value[len(onto) + 1 :]
        return pub.make_html()


def fallback_ontology_html(triples: list[ox.Triple]) -> str:
    """A bare list of the ontology's terms, for when pyLODE is unavailable."""
    onto = ontology_iri(triples)
    terms = sorted(
        {
            t.subject.value
            for t in triples
            if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(onto + "#")
        }
    )
    items = "\n".join(
        f'<li id="{html.escape(v.split("#", 1)[1])}"><code>{html.escape(v)}</code></li>'
        for v in terms
    )
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        f"<title>{html.escape(onto)}</title><h1>{html.escape(onto)}</h1>"
        '<p>Also as <a href="?format=ttl">Turtle</a>, <a href="?format=jsonld">JSON-LD</a>, '
        f'<a href="?format=rdf">RDF/XML</a>.</p><ul>{items}</ul></html>'
    )


def ontology_iri(triples: list[ox.Triple]) -> str:
    """The IRI of the owl:Ontology among the triples ("" if none)."""
    for t in triples:
        if t.predicate.value == RDF_TYPE and t.object == ox.NamedNode(OWL_ONTOLOGY):
            return t.subject.value
    return ""


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------

router = APIRouter(tags=["Linked data"])


def service(c: Context) -> LinkedData:
    ld = c.extras.get("linked_data")
    if ld is None:
        ld = c.extras["linked_data"] = LinkedData(c.store, c.settings)
    return ld


def _bool_param(request: Request, name: str, default: bool) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1", "yes"):
        return True
    if raw.lower() in ("false", "0", "no"):
        return False
    raise ApiError(400, "bad_parameter", f"{name} must be true or false, not {raw!r}")


def resource_headers(
    c: Context,
    request: Request,
    offers: tuple[str, ...],
    extra_query: str = "",
    etag: str | None = None,
) -> dict[str, str]:
    url = c.base_url(request) + request.url.path
    return {
        "Vary": "Accept",
        "ETag": etag or dataset_etag(c),
        "Cache-Control": "public, max-age=300",
        "Link": alternates(url, offers, extra_query),
    }


def render_description(desc: Description, media: str, inferred: bool) -> bytes:
    """A description in an RDF media type; named graphs in TriG/N-Quads, sections in Turtle."""
    if media in ("application/trig", "application/n-quads"):
        return serialize(desc.dataset(inferred), media)
    if media != "text/turtle":
        return serialize(desc.triples(inferred), media)
    own = desc.own()
    if desc.metadata:
        head = (
            f"<{desc.iri}>\nDescribed by the service from the store and the dumps "
            "(not part of the graph's named graphs)."
        )
    else:
        head = (
            f"<{desc.iri}>\nAsserted statements about the resource and links to it "
            f"(named graph <{ASSERTED}>)."
        )
    sections = [(head, [q for q in own if graph_of(q) != INFERRED])]
    if inferred:
        sections.append(
            (
                f"Inferred by OWL 2 RL reasoning (named graph <{INFERRED}>); "
                "leave out with ?inferred=false.",
                [q for q in own if graph_of(q) == INFERRED],
            )
        )
    sections.append(
        (
            "Labels of the linked resources.",
            [q for q in desc.context() if inferred or graph_of(q) != INFERRED],
        )
    )
    return turtle_sections(sections)


async def respond_description(
    request: Request,
    c: Context,
    desc: Description,
    offers: tuple[str, ...] = RESOURCE_TYPES,
    store_resource: bool = True,
) -> Response:
    media = choose_media(request, offers)
    inferred = _bool_param(request, "inferred", True)
    extra = "" if inferred else "inferred=false&"
    headers = resource_headers(c, request, offers, extra)
    cached = not_modified(request, headers["ETag"], headers={"Vary": "Accept"})
    if cached is not None:
        return cached
    if media == "text/html":
        renderer = getattr(request.app.state, "render_html", None)
        if store_resource and renderer is not None:
            page = await renderer(request, desc.iri)
            if page is not None:
                for k, v in headers.items():
                    page.headers.setdefault(k, v)
                if request.method == "HEAD":
                    return Response(None, page.status_code, headers=dict(page.headers))
                return page
        body = html_page(c, request, desc, offers, inferred).encode()
        return body_response(request, body, media, headers)
    return body_response(request, render_description(desc, media, inferred), media, headers)


async def not_found(c: Context, request: Request, value: str) -> ApiError:
    close, kinds = await service(c).suggestions(value)
    base = c.base_url(request)
    near = [local_url(c.settings, s, base) for s in close]
    kind_text = ", ".join(f"{k} ({n})" for k, n in kinds.items())
    message = f"the graph has no resource {value}."
    if near:
        message += " Did you mean " + " or ".join(near) + "?"
    message += (
        f" Resource IRIs follow the pattern {c.settings.public_base}id/{{kind}}/{{key}}; "
        f"kinds: {kind_text}. Browse the catalogue at {base}/catalog or query "
        f"{base}/sparql."
    )
    return ApiError(
        404, "not_found", message, extra={"iri": value, "did_you_mean": near, "kinds": kinds}
    )


async def resolve(request: Request, path: str) -> Response:
    c = ctx(request)
    value = iri_for_path(c.settings, "id/" + path)
    desc = await service(c).describe(value)
    if desc is not None:
        return await respond_description(request, c, desc)
    catalogue = c.extras.get("catalogue")
    if catalogue is not None:
        quads = await catalogue.describe(value, c.base_url(request))
        if quads:
            return await respond_description(
                request, c, Description(value, tuple(quads), metadata=True), store_resource=False
            )
    raise await not_found(c, request, value)


@router.get("/id/{path:path}", summary="Dereference an IRI of the graph (content-negotiated)")
async def resource_get(request: Request, path: str) -> Response:
    return await resolve(request, path)


@router.head("/id/{path:path}", include_in_schema=False)
async def resource_head(request: Request, path: str) -> Response:
    return await resolve(request, path)


async def ontology_response(request: Request, version: str | None = None) -> Response:
    c = ctx(request)
    ld = service(c)
    versions = await ld.ontology_versions()
    if version is not None:
        wanted = iri_for_path(c.settings, f"ontology/{version}")
        if wanted not in versions:
            known = ", ".join(local_url(c.settings, v, c.base_url(request)) for v in versions)
            raise ApiError(
                404,
                "not_found",
                f"no ontology version {version!r}; the versions served are: "
                f"{known or 'none'} (the current one is at /ontology)",
                extra={"versions": sorted(versions)},
            )
    media = choose_media(request, ONTOLOGY_TYPES)
    lang = request.query_params.get("lang", "en")
    if lang not in ("en", "zh"):
        raise ApiError(400, "bad_parameter", "lang must be en or zh")
    headers = resource_headers(c, request, ONTOLOGY_TYPES)
    cached = not_modified(request, headers["ETag"], headers={"Vary": "Accept"})
    if cached is not None:
        return cached
    if media == "text/html":
        body = (await ld.ontology_html(lang)).encode()
        return body_response(request, body, media, headers)
    return body_response(request, serialize(await ld.ontology(), media), media, headers)


@router.get("/ontology", summary="The ontology: pyLODE HTML or RDF by content negotiation")
async def ontology_get(request: Request) -> Response:
    return await ontology_response(request)


@router.head("/ontology", include_in_schema=False)
async def ontology_head(request: Request) -> Response:
    return await ontology_response(request)


@router.get("/ontology/{version}", summary="A version of the ontology (its owl:versionIRI)")
async def ontology_version_get(request: Request, version: str) -> Response:
    return await ontology_response(request, version)


@router.head("/ontology/{version}", include_in_schema=False)
async def ontology_version_head(request: Request, version: str) -> Response:
    return await ontology_response(request, version)


def context_document() -> bytes:
    return (
        json.dumps({"@context": jsonld_context()}, ensure_ascii=False, indent=2) + "\n"
    ).encode()


@router.api_route(
    "/context.jsonld",
    methods=["GET", "HEAD"],
    summary="The JSON-LD @context of the dumps and resource representations",
)
async def context_get(request: Request) -> Response:
    body = context_document()
    etag = '"' + hashlib.sha256(body).hexdigest() + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    cached = not_modified(request, etag)
    if cached is not None:
        return cached
    return body_response(request, body, "application/ld+json", headers)


# ---------------------------------------------------------------------------------------------
# The built-in HTML page (when the web client does not render the resource)
# ---------------------------------------------------------------------------------------------


def _curie(value: str) -> str:
    for prefix, ns in sorted(OUTPUT_PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if value.startswith(ns) and len(value) > len(ns):
            return f"{prefix}:{value[len(ns) :]}"
    return value


def _cell(
    c: Context, term, labels: dict, base: str, desc: Description | None = None, depth: int = 0
) -> str:
    if isinstance(term, ox.Literal):
        text = html.escape(term.value)
        if term.language:
            return (
                f'<span lang="{html.escape(term.language)}">{text}</span> '
                f"<small>@{html.escape(term.language)}</small>"
            )
        if term.datatype.value != XSD_STRING:
            return f"{text} <small>{html.escape(_curie(term.datatype.value))}</small>"
        return text
    if isinstance(term, ox.BlankNode):
        inner = desc.about(term) if desc is not None and depth < 3 else []
        if not inner:
            return f"<code>_:{html.escape(term.value)}</code>"
        items = "".join(
            f"<li>{html.escape(_curie(q.predicate.value))}: "
            f"{_cell(c, q.object, labels, base, desc, depth + 1)}</li>"
            for q in sorted(inner, key=lambda q: (_curie(q.predicate.value), str(q.object)))
        )
        return f"<ul>{items}</ul>"
    href = local_url(c.settings, term.value, base)
    label = pick_label(labels.get(term.value), _curie(term.value))
    return f'<a href="{html.escape(href)}">{html.escape(label)}</a>'


def html_page(
    c: Context, request: Request, desc: Description, offers: tuple[str, ...], inferred: bool
) -> str:
    base = c.base_url(request)
    labels = desc.labels()
    title = pick_label(labels.get(desc.iri), desc.iri)
    formats = " · ".join(
        f'<a href="?format={MEDIA[m][0]}" type="{m}">{MEDIA[m][1]}</a>'
        for m in offers
        if m != "text/html"
    )

    def rows(quads, incoming: bool) -> str:
        out = []
        for q in sorted(
            quads, key=lambda q: (_curie(q.predicate.value), str(q.subject), str(q.object))
        ):
            if not inferred and graph_of(q) == INFERRED:
                continue
            mark = {INFERRED: "inferred", ASSERTED: "asserted"}.get(graph_of(q), "service")
            prop = (
                f'<a href="{html.escape(local_url(c.settings, q.predicate.value, base))}">'
                f"{html.escape(_curie(q.predicate.value))}</a>"
            )
            other = q.subject if incoming else q.object
            out.append(
                f'<tr class="{mark}"><td>{prop}</td>'
                f"<td>{_cell(c, other, labels, base, desc)}</td><td>{mark}</td></tr>"
            )
        return "\n".join(out) or '<tr><td colspan="3">none</td></tr>'

    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} — sse-graph</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 72em; margin: 2em auto; padding: 0 1em;
       line-height: 1.4; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; vertical-align: top; padding: .3em .6em;
          border-bottom: 1px solid #ddd; }}
tr.inferred td {{ color: #555; font-style: italic; }}
code {{ font-size: .9em; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p><code>{html.escape(desc.iri)}</code></p>
<p>Also as: {formats}</p>
<h2>Statements</h2>
<table><tr><th>property</th><th>value</th><th>graph</th></tr>
{rows(desc.outgoing(), False)}
</table>
<h2>Links to this resource</h2>
<table><tr><th>property</th><th>from</th><th>graph</th></tr>
{rows(desc.incoming(), True)}
</table>
<p><a href="{html.escape(base)}/catalog">Catalogue</a> ·
<a href="{html.escape(base)}/sparql">SPARQL</a> ·
<a href="{html.escape(base)}/ontology">Ontology</a> ·
<a href="{html.escape(base)}/download/">Downloads</a></p>
</body>
</html>
"""


# ---------------------------------------------------------------------------------------------
# Plug-in
# ---------------------------------------------------------------------------------------------


def install(app: FastAPI, settings: Settings) -> None:
    """Routes for /id/…, /ontology and /context.jsonld; the service is made at startup."""
    app.include_router(router)

    async def setup(context: Context) -> None:
        context.extras["linked_data"] = LinkedData(context.store, context.settings)

    app.state.feature_setups.append(setup)


__all__ = [
    "Description",
    "LinkedData",
    "canonical_bnodes",
    "install",
    "jsonld_context",
    "serialize",
    "to_jsonld",
]
