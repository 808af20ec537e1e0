"""SPARQL 1.1 Service Description, computed from the live store (counts are never hand-written)."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from sse_graph.namespaces import ID, SD, VOID
from sse_graph.sparql import conneg

FORMATS = Namespace("http://www.w3.org/ns/formats/")
_FORMAT_IRIS = {
    "application/sparql-results+json": FORMATS.SPARQL_Results_JSON,
    "application/sparql-results+xml": FORMATS.SPARQL_Results_XML,
    "text/csv": FORMATS.SPARQL_Results_CSV,
    "text/tab-separated-values": FORMATS.SPARQL_Results_TSV,
    "text/turtle": FORMATS.Turtle,
    "application/n-triples": FORMATS["N-Triples"],
    "application/ld+json": FORMATS["JSON-LD"],
    "application/rdf+xml": FORMATS["RDF_XML"],
    "application/n-quads": FORMATS["N-Quads"],
    "application/trig": FORMATS.TriG,
}
RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-quads": "nquads",
    "application/trig": "trig",
}


def serialize(graph: Graph, media_type: str) -> bytes:
    return graph.serialize(format=RDFLIB_FORMATS[media_type], encoding="utf-8")


async def service_description(c, endpoint: str, media_type: str) -> bytes:
    store = c.store
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    svc = URIRef(endpoint)
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, svc))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    for media in (*conneg.SOLUTION_TYPES, *conneg.GRAPH_TYPES):
        g.add((svc, SD.resultFormat, _FORMAT_IRIS[media]))
    dataset = BNode("defaultDataset")
    g.add((svc, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    g.add((dataset, URIRef("http://purl.org/dc/terms/hasVersion"), Literal(store.version)))
    default = BNode("defaultGraph")
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    counts = await store.graph_counts()
    total = 0
    for graph_iri in store.graphs:
        n = counts.get(graph_iri, 0)
        total += n
        ng = BNode("ng-" + graph_iri.rsplit("/", 1)[-1])
        inner = BNode("g-" + graph_iri.rsplit("/", 1)[-1])
        g.add((dataset, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(graph_iri)))
        g.add((ng, SD.graph, inner))
        g.add((inner, RDF.type, SD.Graph))
        g.add((inner, VOID.triples, Literal(n, datatype=XSD.integer)))
    g.add((default, VOID.triples, Literal(total, datatype=XSD.integer)))
    g.add((svc, URIRef("http://rdfs.org/ns/void#inDataset"), ID["dataset"]))
    return serialize(g, media_type)
