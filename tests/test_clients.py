"""Real SPARQL clients against the running service: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

SSE = "https://w3id.org/sse-kg/ontology#"
R193 = "https://w3id.org/sse-kg/id/instrument/R193"
RELATED = f"SELECT ?a WHERE {{ ?a <{SSE}relatedInstrument> <{R193}> }} ORDER BY ?a"
EXPECTED = [
    "https://w3id.org/sse-kg/id/activity/2.1-a",
    "https://w3id.org/sse-kg/id/activity/2.1-b",
]


def test_sparqlwrapper_select_formats(service) -> None:
    for method in ("GET", "POST"):
        sw = SPARQLWrapper(service.url + "/sparql")
        sw.setMethod(method)
        sw.setQuery(RELATED)
        sw.setReturnFormat(JSON)
        rows = sw.queryAndConvert()["results"]["bindings"]
        assert [r["a"]["value"] for r in rows] == EXPECTED
        sw.setReturnFormat(XML)
        doc = sw.queryAndConvert()
        assert len(doc.getElementsByTagName("result")) == 2
        sw.setReturnFormat(CSV)
        assert sw.queryAndConvert().decode().splitlines()[1:] == EXPECTED


def test_sparqlwrapper_construct_and_ask(service) -> None:
    sw = SPARQLWrapper(service.url + "/sparql")
    sw.setQuery(
        f"CONSTRUCT {{ ?a <{SSE}relatedInstrument> <{R193}> }} "
        f"WHERE {{ ?a <{SSE}relatedInstrument> <{R193}> }}"
    )
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.queryAndConvert(), format="turtle")
    assert sorted(str(s) for s in g.subjects()) == EXPECTED
    sw = SPARQLWrapper(service.url + "/sparql")
    sw.setQuery(f"ASK {{ <{EXPECTED[0]}> <{SSE}relatedInstrument> <{R193}> }}")
    sw.setReturnFormat(JSON)
    assert sw.queryAndConvert()["boolean"] is True


def test_rdflib_sparqlstore(service) -> None:
    store = SPARQLStore(service.url + "/sparql", returnFormat="json")
    g = Graph(store=store)
    rows = list(g.query(RELATED))
    assert [str(r.a) for r in rows] == EXPECTED
    assert (URIRef(EXPECTED[0]), URIRef(SSE + "relatedInstrument"), URIRef(R193)) in g
    # rdflib sends initBindings as a VALUES block: bound values, no text pasting
    rows = list(
        g.query(
            f"SELECT ?a ?i WHERE {{ ?a <{SSE}relatedInstrument> ?i }}",
            initBindings={"i": URIRef(R193)},
        )
    )
    assert sorted(str(r.a) for r in rows) == EXPECTED
