"""Serialize SPARQL results ourselves, so a capped result can still say it was capped.

pyoxigraph serializes only a whole result iterator; we cut at the row limit first, then write
the four W3C result formats here. Terms arrive as pyoxigraph terms (embedded store) and are
also converted to and from the W3C JSON term form that remote stores return.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Row = Sequence[object | None]  # pyoxigraph terms or None (unbound)


def term_to_json(term: object) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_to_json(term.subject),
                "predicate": term_to_json(term.predicate),
                "object": term_to_json(term.object),
            },
        }
    raise TypeError(f"not an RDF term: {term!r}")


def term_from_json(data: dict) -> object:
    kind = data.get("type")
    if kind == "uri":
        return ox.NamedNode(data["value"])
    if kind == "bnode":
        return ox.BlankNode(data["value"])
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in data:
            return ox.Literal(data["value"], language=data["xml:lang"])
        if "datatype" in data:
            return ox.Literal(data["value"], datatype=ox.NamedNode(data["datatype"]))
        return ox.Literal(data["value"])
    raise ValueError(f"unsupported term {data!r}")


def _nt(term: object) -> str:
    """N-Triples form of a term (TSV cells, VALUES blocks)."""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        return str(term)
    raise TypeError(term)


def solutions_json(variables: list[str], rows: list[Row], truncated: bool, limit: int) -> bytes:
    bindings = [
        {v: term_to_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    doc: dict = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    if truncated:
        # Documented extension: clients that ignore unknown keys are unaffected.
        doc["truncated"] = True
        doc["limit"] = limit
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def solutions_xml(variables: list[str], rows: list[Row], truncated: bool, limit: int) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    out.write("<head>")
    for v in variables:
        out.write(f"<variable name={quoteattr(v)}/>")
    if truncated:
        out.write(f'<link href="urn:sse-graph:truncated:{limit}"/>')
    out.write("</head><results>")
    for row in rows:
        out.write("<result>")
        for v, t in zip(variables, row, strict=True):
            if t is not None:
                out.write(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode()


def _xml_term(t: object) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{escape(t.value)}</literal>"
        return f"<literal>{escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (
            f"<triple><subject>{_xml_term(t.subject)}</subject>"
            f"<predicate>{_xml_term(t.predicate)}</predicate>"
            f"<object>{_xml_term(t.object)}</object></triple>"
        )
    raise TypeError(t)


def solutions_csv(variables: list[str], rows: list[Row], truncated: bool, limit: int) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(variables)
    for row in rows:
        w.writerow(["" if t is None else _csv_value(t) for t in row])
    return out.getvalue().encode()


def _csv_value(t: object) -> str:
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, ox.NamedNode | ox.Literal):
        return t.value
    return str(t)


def solutions_tsv(variables: list[str], rows: list[Row], truncated: bool, limit: int) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in rows:
        lines.append("\t".join("" if t is None else _nt(t) for t in row))
    return ("\n".join(lines) + "\n").encode()


def boolean(value: bool, media_type: str) -> bytes:
    if media_type == "application/sparql-results+xml":
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n"
        ).encode()
    if media_type in ("text/csv", "text/tab-separated-values"):
        return b"true\n" if value else b"false\n"
    return json.dumps({"head": {}, "boolean": value}).encode()


SOLUTION_WRITERS = {
    "application/sparql-results+json": solutions_json,
    "application/sparql-results+xml": solutions_xml,
    "text/csv": solutions_csv,
    "text/tab-separated-values": solutions_tsv,
}

RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


def triples(items: list, media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialize triples (or quads, for N-Quads/TriG) in the given RDF media type."""
    fmt = RDF_FORMATS[media_type]
    if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        items = [
            i if isinstance(i, ox.Quad) else ox.Quad(i.subject, i.predicate, i.object)
            for i in items
        ]
    kwargs = {}
    if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        kwargs["prefixes"] = prefixes
    return ox.serialize(items, format=fmt, **kwargs) or b""


def nt_terms(bindings: dict[str, dict]) -> dict[str, str]:
    """W3C JSON terms → N-Triples text, via parsed terms (escaping done by pyoxigraph)."""
    return {name: _nt(term_from_json(term)) for name, term in bindings.items()}


def dump(quads: list, media_type: str, prefixes: dict[str, str] | None = None) -> bytes:
    """A graph or dataset dump: sorted, so equal data gives equal bytes in every store."""
    fmt = RDF_FORMATS[media_type]
    if not fmt.supports_datasets:
        quads = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    quads = sorted(quads, key=str)
    kwargs = {}
    if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        kwargs["prefixes"] = prefixes
    return ox.serialize(quads, format=fmt, **kwargs) or b""
