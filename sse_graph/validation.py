"""SHACL validation of the asserted graph against ``ontology/shapes.ttl``.

The shapes are written for the *asserted* triples (ontology + data files), before any
reasoning: parents are reached with ``sh:inversePath`` over the asserted direction and the
inferred-only properties (``sse:relatedInstrument``, ``sse:thematicInstrument``) must be absent.
So pyshacl runs with ``inference="none"`` and without an ontology graph mixed in: mixing one in
would validate something other than what is stored. ``advanced=True`` turns on the SHACL-SPARQL
constraints (costs adding up, notation prefixes, one label per language).

pyshacl's own report is an RDF graph plus a long text dump; callers (CLI, tests, web) need a
short line per problem naming the focus node, the rule and the message, and a JSON form. This
module turns the report graph into plain :class:`Violation` records for that.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import pyshacl
from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor

from sse_graph.resources import resource_path

#: Prefixes used to shorten IRIs in messages; longest namespace wins.
_PREFIXES: dict[str, str] = {
    "id": "https://w3id.org/sse-kg/id/",
    "sse": "https://w3id.org/sse-kg/ontology#",
    "sseshapes": "https://w3id.org/sse-kg/shapes#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}
_BY_LENGTH = sorted(_PREFIXES.items(), key=lambda kv: len(kv[1]), reverse=True)

_SEVERITY_NAMES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


def shorten(iri: str) -> str:
    """``https://w3id.org/sse-kg/id/activity/1.2-c`` -> ``id:activity/1.2-c``.

    rdflib's namespace manager refuses local names containing ``/``, which all our instance
    IRIs have, so prefixes are applied here by plain string matching.
    """
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return f"<{iri}>"


def _node_text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return shorten(str(node))
    if isinstance(node, Literal):
        if node.language:
            return f'"{node}"@{node.language}'
        if node.datatype:
            return f'"{node}"^^{shorten(str(node.datatype))}'
        return f'"{node}"'
    return f"_:{node}"


def _path_text(graph: Graph, path: Node | None) -> str:
    """Render a SHACL property path in SPARQL syntax (``^sse:hasActivity``, ``a/b``)."""
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return shorten(str(path))
    if isinstance(path, BNode):
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(graph, inverse)
        for predicate, op in (
            (SH.zeroOrMorePath, "*"),
            (SH.oneOrMorePath, "+"),
            (SH.zeroOrOnePath, "?"),
        ):
            inner = graph.value(path, predicate)
            if inner is not None:
                return f"({_path_text(graph, inner)}){op}"
        alternatives = graph.value(path, SH.alternativePath)
        if alternatives is not None:
            parts = [_path_text(graph, p) for p in Collection(graph, alternatives)]
            return "(" + "|".join(parts) + ")"
        if graph.value(path, RDF.first) is not None:
            return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return _node_text(path)


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result, with every field as readable text (CURIEs, not full IRIs)."""

    focus_node: str
    path: str
    value: str
    message: str
    severity: str
    source_shape: str

    def text(self) -> str:
        """One line: the focus node, the rule (shape), the path and what is wrong."""
        where = f" on {self.path}" if self.path else ""
        return (
            f"{self.severity}: {self.focus_node} breaks {self.source_shape}{where}: {self.message}"
        )


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating a graph: conformance, the raw report and readable violations."""

    conforms: bool
    report_graph: Graph = field(repr=False)
    results: list[Violation]

    def text(self) -> str:
        """The report as text: one line per violation, or a single line saying it conforms."""
        if self.conforms and not self.results:
            return "Conforms: no SHACL violations."
        lines = [v.text() for v in self.results]
        lines.append(f"{len(self.results)} result(s); conforms: {str(self.conforms).lower()}")
        return "\n".join(lines)

    def to_json(self) -> list[dict[str, Any]]:
        """The violations as a list of plain dicts (JSON-serialisable)."""
        return [asdict(v) for v in self.results]


# --- SPARQL parse cache ------------------------------------------------------------------
#
# pyshacl evaluates a SPARQL constraint once per focus node, passing the same query text each
# time with $this pre-bound through initBindings, and rdflib parses the text anew on every call.
# Parsing (pyparsing) is most of the cost of validating this graph, so while a validation runs
# the processor reuses the parsed and translated query for an identical text. rdflib's own
# prepareQuery relies on the same property: a translated Query is not changed by evaluation and
# can be evaluated again with other initBindings.

_patch_lock = threading.Lock()
_patch_depth = 0
_original_query = SPARQLProcessor.query


@lru_cache(maxsize=512)
def _translated(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Any:
    return translateQuery(parseQuery(text), base, dict(namespaces))


def _caching_query(
    self: SPARQLProcessor,
    strOrQuery: Any,  # parameter names as in rdflib, which passes them by keyword
    initBindings: Mapping[str, Any] | None = None,
    initNs: Mapping[str, Any] | None = None,
    base: str | None = None,
    DEBUG: bool = False,
) -> Mapping[str, Any]:
    if isinstance(strOrQuery, str):
        namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
        strOrQuery = _translated(strOrQuery, base, namespaces)
    return _original_query(self, strOrQuery, initBindings, initNs, base, DEBUG)


@contextmanager
def _cached_sparql_parsing() -> Iterator[None]:
    """Install the parse cache for the duration of a validation (re-entrant, thread-safe)."""
    global _patch_depth
    with _patch_lock:
        if _patch_depth == 0:
            SPARQLProcessor.query = _caching_query  # type: ignore[method-assign]
        _patch_depth += 1
    try:
        yield
    finally:
        with _patch_lock:
            _patch_depth -= 1
            if _patch_depth == 0:
                SPARQLProcessor.query = _original_query  # type: ignore[method-assign]


def load_shapes() -> Graph:
    """Parse ``ontology/shapes.ttl`` from the checkout or the installed package."""
    shapes = Graph()
    shapes.parse(resource_path("ontology", "shapes.ttl"), format="turtle")
    return shapes


def _results(report: Graph, shapes: Graph) -> list[Violation]:
    out: list[Violation] = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        shape = report.value(result, SH.sourceShape)
        # Paths are blank nodes copied from the shapes graph into the report; read them from
        # whichever graph holds their structure.
        path = report.value(result, SH.resultPath)
        path_graph = report if (path, None, None) in report else shapes
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        severity = report.value(result, SH.resultSeverity)
        out.append(
            Violation(
                focus_node=_node_text(report.value(result, SH.focusNode)),
                path=_path_text(path_graph, path),
                value=_node_text(report.value(result, SH.value)),
                message=" ".join(messages),
                severity=_SEVERITY_NAMES.get(severity, _node_text(severity)),
                source_shape=_node_text(shape),
            )
        )
    out.sort(key=lambda v: (v.focus_node, v.source_shape, v.path, v.value))
    return out


def validate(data: Graph, shapes: Graph | None = None) -> ValidationResult:
    """Validate ``data`` (the asserted triples) against the project's shapes.

    ``shapes`` defaults to :func:`load_shapes`; pass a graph to reuse one parse across calls.
    """
    shapes_graph = shapes if shapes is not None else load_shapes()
    with _cached_sparql_parsing():
        conforms, report, _text = pyshacl.validate(
            data,
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,
            abort_on_first=False,
        )
    assert isinstance(report, Graph)
    return ValidationResult(
        conforms=bool(conforms),
        report_graph=report,
        results=_results(report, shapes_graph),
    )
