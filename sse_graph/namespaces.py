"""IRIs the whole code base shares (see docs/modelling.md)."""

from __future__ import annotations

from rdflib import Namespace

BASE = "https://w3id.org/sse-kg/"
ID = Namespace(BASE + "id/")
SSE = Namespace(BASE + "ontology#")
ONTOLOGY_IRI = BASE + "ontology"
ASSERTED_GRAPH = ID["graph/asserted"]
INFERRED_GRAPH = ID["graph/inferred"]
SERVED_GRAPHS = (str(ASSERTED_GRAPH), str(INFERRED_GRAPH))

DCAT = Namespace("http://www.w3.org/ns/dcat#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

PREFIXES: dict[str, str] = {
    "sse": str(SSE),
    "id": str(ID),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": str(DCAT),
    "prov": "http://www.w3.org/ns/prov#",
    "org": str(ORG),
    "schema": str(SCHEMA),
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "void": str(VOID),
}

#: Prefixes written into Turtle/TriG/RDF-XML output. ``id:`` is left out on purpose: instance
#: IRIs contain "/", which a prefixed name can only carry escaped (``id:activity\/1.2-c``);
#: full IRIs read better and every parser takes them.
SERIALIZATION_PREFIXES: dict[str, str] = {k: v for k, v in PREFIXES.items() if k != "id"}
