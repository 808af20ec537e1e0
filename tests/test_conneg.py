"""Content negotiation as a table of Accept headers (after vemonet/rdflib-endpoint's habit)."""

from __future__ import annotations

import pytest

from sse_graph.sparql import conneg

SOL, GR = conneg.SOLUTION_TYPES, conneg.GRAPH_TYPES

CASES = [
    # (accept, offers, aliases, expected)
    (None, SOL, conneg.ALIASES, "application/sparql-results+json"),
    ("", SOL, conneg.ALIASES, "application/sparql-results+json"),
    ("*/*", SOL, conneg.ALIASES, "application/sparql-results+json"),
    ("text/csv", SOL, conneg.ALIASES, "text/csv"),
    ("text/tab-separated-values", SOL, conneg.ALIASES, "text/tab-separated-values"),
    ("application/sparql-results+xml", SOL, conneg.ALIASES, "application/sparql-results+xml"),
    ("application/json", SOL, conneg.ALIASES, "application/sparql-results+json"),
    ("application/xml", SOL, conneg.ALIASES, "application/sparql-results+xml"),
    (
        "text/csv;q=0.5, application/sparql-results+xml",
        SOL,
        conneg.ALIASES,
        "application/sparql-results+xml",
    ),
    ("text/csv;q=0.9, */*;q=0.1", SOL, conneg.ALIASES, "text/csv"),
    ("text/*", SOL, conneg.ALIASES, "text/csv"),
    (
        "text/*;q=0.2, application/sparql-results+xml;q=0.4",
        SOL,
        conneg.ALIASES,
        "application/sparql-results+xml",
    ),
    (
        "application/sparql-results+json;charset=utf-8",
        SOL,
        conneg.ALIASES,
        "application/sparql-results+json",
    ),
    (
        "*/*;q=0.1, application/sparql-results+json;q=0",
        SOL,
        conneg.ALIASES,
        "application/sparql-results+xml",
    ),
    ("TEXT/CSV", SOL, conneg.ALIASES, "text/csv"),
    (None, GR, conneg.GRAPH_ALIASES, "text/turtle"),
    ("*/*", GR, conneg.GRAPH_ALIASES, "text/turtle"),
    ("application/ld+json", GR, conneg.GRAPH_ALIASES, "application/ld+json"),
    ("application/json", GR, conneg.GRAPH_ALIASES, "application/ld+json"),
    (
        "application/rdf+xml;q=0.9, text/turtle;q=0.8",
        GR,
        conneg.GRAPH_ALIASES,
        "application/rdf+xml",
    ),
    ("text/plain", GR, conneg.GRAPH_ALIASES, "application/n-triples"),
    ("application/n-quads", GR, conneg.GRAPH_ALIASES, "application/n-quads"),
    ("application/trig", GR, conneg.GRAPH_ALIASES, "application/trig"),
    (
        "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8",
        GR,
        conneg.GRAPH_ALIASES,
        "application/rdf+xml",
    ),
]


@pytest.mark.parametrize(
    ("accept", "offers", "aliases", "expected"), CASES, ids=[str(c[0]) + "→" + c[3] for c in CASES]
)
def test_negotiate(accept, offers, aliases, expected) -> None:
    assert conneg.negotiate(accept, offers, aliases) == expected


@pytest.mark.parametrize(
    "accept",
    [
        "image/png",
        "text/html",
        "application/json;q=0",
        "application/sparql-results+json;q=0, text/*;q=0",
    ],
)
def test_not_acceptable(accept) -> None:
    with pytest.raises(conneg.NotAcceptable):
        conneg.negotiate(accept, conneg.SOLUTION_TYPES, conneg.ALIASES)


def test_format_override() -> None:
    assert conneg.from_format("csv", conneg.SOLUTION_FORMATS, SOL) == "text/csv"
    assert conneg.from_format("xml", conneg.GRAPH_FORMATS, GR) == "application/rdf+xml"
    assert conneg.from_format("text/turtle", conneg.GRAPH_FORMATS, GR) == "text/turtle"
    with pytest.raises(conneg.NotAcceptable, match="unknown format"):
        conneg.from_format("png", conneg.SOLUTION_FORMATS, SOL)


HTTP_CASES = [
    ("SELECT", "text/csv", None, 200, "text/csv"),
    ("SELECT", "application/sparql-results+xml", None, 200, "application/sparql-results+xml"),
    ("SELECT", "text/tab-separated-values", None, 200, "text/tab-separated-values"),
    ("SELECT", "image/png", None, 406, None),
    ("SELECT", "image/png", "csv", 200, "text/csv"),
    ("SELECT", None, "tsv", 200, "text/tab-separated-values"),
    ("CONSTRUCT", None, None, 200, "text/turtle"),
    ("CONSTRUCT", "application/ld+json", None, 200, "application/ld+json"),
    ("CONSTRUCT", "application/n-triples", None, 200, "application/n-triples"),
    ("CONSTRUCT", "application/rdf+xml", None, 200, "application/rdf+xml"),
    ("CONSTRUCT", "application/n-quads", None, 200, "application/n-quads"),
    ("CONSTRUCT", "application/trig", None, 200, "application/trig"),
    ("CONSTRUCT", "text/csv", None, 406, None),
    ("CONSTRUCT", None, "jsonld", 200, "application/ld+json"),
]
QUERIES = {
    "SELECT": "SELECT ?s WHERE { ?s a <https://w3id.org/sse-kg/ontology#Objective> }",
    "CONSTRUCT": "CONSTRUCT WHERE { ?s a <https://w3id.org/sse-kg/ontology#Objective> }",
}


@pytest.mark.parametrize(
    ("form", "accept", "fmt", "status", "media"),
    HTTP_CASES,
    ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in HTTP_CASES],
)
def test_http_negotiation(client, form, accept, fmt, status, media) -> None:
    params = {"query": QUERIES[form]}
    if fmt:
        params["format"] = fmt
    headers = {"Accept": accept} if accept else {}
    r = client.get("/sparql", params=params, headers=headers)
    assert r.status_code == status, r.text
    assert "Accept" in r.headers.get("vary", "")
    if status == 406:
        assert r.json()["supported"], r.text
        return
    assert r.headers["content-type"].split(";")[0] == media
    assert len(r.content) > 0
