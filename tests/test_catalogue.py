"""The DCAT catalogue (DCAT-AP 3.0.1 shapes), VoID statistics and PROV-O provenance."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, VOID, XSD

from sse_graph import __version__
from sse_graph.export import DUMPS

SHAPES_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference" / "dcat-ap-3.0.1"
SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LIME = Namespace("http://www.w3.org/ns/lemon/lime#")
BASE = "https://w3id.org/sse-kg/"
ID = BASE + "id/"
DATASET = URIRef(ID + "dataset")
CATALOG = URIRef(ID + "catalog")
SERVICE = URIRef(ID + "service/sparql")
DOCUMENT = URIRef(ID + "document/gb346-sse-strategy")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    """The official DCAT-AP 3.0.1 shapes (constraints and ranges), unchanged but for one defect.

    ``ranges.ttl`` of the 3.0.1 release lists five ``sh:property`` shapes that neither file
    defines (SEMICeu/DCAT-AP#448, "Missing propertyShape"); pySHACL, like Jena, refuses to load
    a shapes graph with such references. They carry no constraint, so the references are dropped.
    """
    if not SHAPES_DIR.is_dir():
        pytest.fail(f"DCAT-AP shapes not found at {SHAPES_DIR} (shared/ beside the checkout)")
    g = Graph()
    g.parse(SHAPES_DIR / "dcat-ap-SHACL.ttl", format="turtle")
    g.parse(SHAPES_DIR / "ranges.ttl", format="turtle")
    dangling = [(s, o) for s, o in g.subject_objects(SH.property) if (o, None, None) not in g]
    assert len(dangling) <= 5, dangling  # only the known defect
    for s, o in dangling:
        g.remove((s, SH.property, o))
    return g


def conforms(data: Graph, shapes: Graph) -> tuple[bool, str]:
    ok, _report, text = validate(data, shacl_graph=shapes, inference="none")
    return ok, text


def violations(data: Graph, shapes: Graph) -> set[tuple]:
    """(focus node, path) of every violation."""
    _ok, report, _text = validate(data, shacl_graph=shapes, inference="none")
    return {
        (report.value(r, SH.focusNode), report.value(r, SH.resultPath))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }


@pytest.fixture(scope="module")
def catalogue(service) -> Graph:
    import httpx

    r = httpx.get(service.url + "/catalog", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    return Graph().parse(data=r.text, format="turtle")


@pytest.fixture(scope="module")
def void(service) -> Graph:
    import httpx

    r = httpx.get(service.url + "/.well-known/void", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    return Graph().parse(data=r.text, format="turtle")


def sparql_count(client, query: str) -> int:
    r = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    row = r.json()["results"]["bindings"][0]
    return int(next(iter(row.values()))["value"])


def sparql_rows(client, query: str) -> list[dict]:
    r = client.get(
        "/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    return r.json()["results"]["bindings"]


# ---------------------------------------------------------------------------------------------
# DCAT-AP 3
# ---------------------------------------------------------------------------------------------


def test_catalogue_conforms_to_dcat_ap_3(catalogue, shapes) -> None:
    ok, text = conforms(catalogue, shapes)
    assert ok, text


@pytest.mark.parametrize(
    ("subject", "predicate"),
    [
        (DATASET, DCTERMS.title),  # Dataset: title, mandatory
        (DATASET, DCTERMS.description),  # Dataset: description, mandatory
        (CATALOG, DCTERMS.publisher),  # Catalogue: publisher, mandatory
        (SERVICE, DCAT.endpointURL),  # Data service: endpoint URL, mandatory
        (URIRef(ID + "distribution/full-turtle"), DCAT.accessURL),  # Distribution: access URL
    ],
)
def test_the_check_fails_without_a_required_property(catalogue, shapes, subject, predicate):
    broken = Graph()
    for t in catalogue:
        broken.add(t)
    assert (subject, predicate, None) in broken
    broken.remove((subject, predicate, None))
    assert violations(broken, shapes) == {(subject, predicate)}


def test_the_check_fails_on_a_wrong_range(catalogue, shapes) -> None:
    broken = Graph()
    for t in catalogue:
        broken.add(t)
    broken.remove((URIRef("https://creativecommons.org/licenses/by/4.0/"), RDF.type, None))
    assert not conforms(broken, shapes)[0]


def test_catalogue_contents(catalogue, client) -> None:
    g = catalogue
    version = client.get("/readyz").json()["version"]
    for node in (CATALOG, DATASET, SERVICE):
        langs = {lit.language for lit in g.objects(node, DCTERMS.title)}
        assert {"en", "zh"} <= langs, node
        langs = {lit.language for lit in g.objects(node, DCTERMS.description)}
        assert {"en", "zh"} <= langs, node
    assert (CATALOG, DCAT.dataset, DATASET) in g and (CATALOG, DCAT.service, SERVICE) in g
    # publisher and contact: the project's maintainers, no invented address
    publisher = g.value(DATASET, DCTERMS.publisher)
    assert str(publisher).startswith(ID)
    assert "sse-graph maintainers" in {str(n) for n in g.objects(publisher, FOAF.name)}
    contact = g.value(DATASET, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in g and g.value(contact, VCARD.fn) is not None
    text = g.serialize(format="nt")
    assert "mailto:" not in text and "ilo.org" not in text and "hasEmail" not in text
    # license, time, keywords, version, dates
    assert g.value(DATASET, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    period = g.value(DATASET, DCTERMS.temporal)
    assert str(g.value(period, DCAT.startDate)) == "2023"
    assert str(g.value(period, DCAT.endDate)) == "2029"
    keywords = set(g.objects(DATASET, DCAT.keyword))
    assert {k.language for k in keywords} == {"en", "zh"}
    assert str(g.value(DATASET, URIRef(str(DCAT) + "version"))) == version
    assert g.value(DATASET, DCTERMS.issued).datatype == XSD.dateTime
    assert g.value(DATASET, DCTERMS.modified).datatype == XSD.dateTime
    # the data service is this endpoint
    endpoint = g.value(SERVICE, DCAT.endpointURL)
    assert str(endpoint).endswith("/sparql")
    assert (SERVICE, DCAT.servesDataset, DATASET) in g


def test_one_distribution_per_dump_with_true_size_and_checksum(catalogue, client) -> None:
    g = catalogue
    distributions = set(g.objects(DATASET, DCAT.distribution))
    assert len(distributions) == len(DUMPS)
    names = set()
    for dist in distributions:
        url = str(g.value(dist, DCAT.downloadURL))
        assert g.value(dist, DCAT.accessURL) is not None
        name = url.rsplit("/", 1)[1]
        names.add(name)
        body = client.get("/download/" + name).content
        assert int(g.value(dist, DCAT.byteSize)) == len(body)
        assert g.value(dist, DCAT.byteSize).datatype == XSD.nonNegativeInteger
        checksum = g.value(dist, SPDX.checksum)
        assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = g.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary
        assert str(value).lower() == hashlib.sha256(body).hexdigest()
        media = str(g.value(dist, DCAT.mediaType))
        assert media.startswith("http://www.iana.org/assignments/media-types/")
        assert g.value(dist, DCTERMS.format) is not None
        if name.endswith(".gz"):
            assert str(g.value(dist, DCAT.compressFormat)).endswith("/application/gzip")
    assert names == {d.name for d in DUMPS}


# ---------------------------------------------------------------------------------------------
# PROV-O
# ---------------------------------------------------------------------------------------------


def test_provenance(catalogue, client) -> None:
    g = catalogue
    assert (DATASET, PROV.wasDerivedFrom, DOCUMENT) in g
    titles = {(str(t), t.language) for t in g.objects(DOCUMENT, DCTERMS.title)}
    assert any(lang == "zh" for _t, lang in titles)
    description = " ".join(str(d) for d in g.objects(DOCUMENT, DCTERMS.description))
    assert "346th Session" in description  # the Governing Body session
    assert g.value(DOCUMENT, DCTERMS.date) == Literal("2022-09-29", datatype=XSD.date)
    assert str(g.value(DOCUMENT, DCTERMS.language)) == "zh"  # the version used
    activity = g.value(DATASET, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in g
    assert (activity, PROV.used, DOCUMENT) in g
    agent = g.value(activity, PROV.wasAssociatedWith)
    assert (agent, RDF.type, PROV.SoftwareAgent) in g
    assert str(g.value(agent, FOAF.name)) == f"sse-graph {__version__}"
    assert (
        client.get("/id/" + str(activity)[len(ID) :], headers={"Accept": "text/turtle"}).status_code
        == 200
    )


def test_every_entity_keeps_its_source(oxstore) -> None:
    """Paragraph-level dcterms:source stays on every entity of the graph."""
    rows = oxstore.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) '
        "FILTER NOT EXISTS { ?s <http://purl.org/dc/terms/source> ?src } }",
        use_default_graph_as_union=True,
    )
    # the reference facts are themselves a source
    assert {r[0].value for r in rows} <= {ID + "document/reference-facts"}


# ---------------------------------------------------------------------------------------------
# VoID
# ---------------------------------------------------------------------------------------------


def _int(g: Graph, s, p) -> int:
    value = g.value(s, p)
    assert value is not None, (s, p)
    return int(value)


def test_void_counts_equal_sparql_counts(void, client) -> None:
    g = void
    assert _int(g, DATASET, VOID.triples) == sparql_count(
        client, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    )
    assert _int(g, DATASET, VOID.entities) == sparql_count(
        client,
        f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{ID}")) }}',
    )
    assert _int(g, DATASET, VOID.classes) == sparql_count(
        client, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"
    )
    assert _int(g, DATASET, VOID.properties) == sparql_count(
        client, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"
    )
    assert _int(g, DATASET, VOID.distinctSubjects) == sparql_count(
        client, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"
    )
    assert _int(g, DATASET, VOID.distinctObjects) == sparql_count(
        client, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"
    )
    for name in ("asserted", "inferred"):
        graph = URIRef(ID + "graph/" + name)
        assert (DATASET, VOID.subset, graph) in g
        assert _int(g, graph, VOID.triples) == sparql_count(
            client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        )


def test_void_partitions_equal_sparql(void, client) -> None:
    g = void
    classes = {
        r["c"]["value"]: int(r["n"]["value"])
        for r in sparql_rows(
            client, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
        )
    }
    served = {
        str(g.value(part, VOID["class"])): _int(g, part, VOID.entities)
        for part in g.objects(DATASET, VOID.classPartition)
    }
    assert served == classes
    properties = {
        r["p"]["value"]: int(r["n"]["value"])
        for r in sparql_rows(client, "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p")
    }
    served = {
        str(g.value(part, VOID.property)): _int(g, part, VOID.triples)
        for part in g.objects(DATASET, VOID.propertyPartition)
    }
    assert served == properties


def test_void_lexicalization_sets_per_language(void, client) -> None:
    g = void
    rows = sparql_rows(
        client,
        (
            "SELECT ?lang (COUNT(*) AS ?n) WHERE { "
            "?s <http://www.w3.org/2004/02/skos/core#prefLabel>|"
            "<http://www.w3.org/2004/02/skos/core#altLabel>|"
            "<http://www.w3.org/2004/02/skos/core#hiddenLabel> ?l "
            "BIND(LANG(?l) AS ?lang) FILTER(?lang != '') } GROUP BY ?lang"
        ),
    )
    expected = {r["lang"]["value"]: int(r["n"]["value"]) for r in rows}
    served = {}
    for subset in g.objects(DATASET, VOID.subset):
        if (subset, RDF.type, LIME.LexicalizationSet) in g and g.value(
            subset, LIME.lexicalizationModel
        ) == URIRef(str(SKOS)[:-1]):
            served[str(g.value(subset, LIME.language))] = _int(g, subset, LIME.lexicalizations)
            assert g.value(subset, LIME.referenceDataset) == DATASET
    assert served == expected
    assert {"zh", "en", "en-t-zh", "zh-t-en"} <= set(served)


def test_void_access_and_vocabularies(void, client) -> None:
    g = void
    endpoint = str(g.value(DATASET, VOID.sparqlEndpoint))
    assert endpoint.endswith("/sparql")
    assert str(g.value(DATASET, VOID.uriSpace)) == ID
    vocabularies = {str(v) for v in g.objects(DATASET, VOID.vocabulary)}
    assert {str(SKOS), BASE + "ontology#", str(DCTERMS)} <= vocabularies
    dumps = [str(d) for d in g.objects(DATASET, VOID.dataDump)]
    assert dumps
    for url in dumps:
        assert client.get("/download/" + url.rsplit("/", 1)[1]).status_code == 200
    # no links out: neither the seed nor the reference facts give an external identifier
    links_out = sparql_count(
        client,
        (
            f'SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}") && '
            f'isIRI(?o) && !STRSTARTS(STR(?o), "{BASE}") && ?p != <{RDF.type}>) }}'
        ),
    )
    linksets = [s for s in g.objects(DATASET, VOID.subset) if (s, RDF.type, VOID.Linkset) in g]
    assert len(linksets) == (0 if links_out == 0 else len(linksets))
    assert sum(_int(g, ls, VOID.triples) for ls in linksets) == links_out


def test_catalogue_and_void_negotiate(client) -> None:
    for path in ("/catalog", "/.well-known/void"):
        for media, fmt in (
            ("application/ld+json", "json-ld"),
            ("application/rdf+xml", "xml"),
            ("application/n-triples", "nt"),
        ):
            r = client.get(path, headers={"Accept": media})
            assert r.status_code == 200 and r.headers["content-type"].startswith(media)
            assert len(Graph().parse(data=r.content, format=fmt)) > 50
            assert "Accept" in r.headers["vary"] and "link" in r.headers
        html = client.get(path, headers={"Accept": "text/html"})
        assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
        etag = client.get(path).headers["etag"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(path, headers={"Accept": "image/png"}).status_code == 406


def test_no_blank_node_subjects_without_statements(catalogue) -> None:
    for s in set(catalogue.subjects()):
        if isinstance(s, BNode):
            assert len(list(catalogue.predicate_objects(s))) > 0
    assert (URIRef("https://creativecommons.org/licenses/by/4.0/"), RDFS.label, None) in catalogue
