"""Linked data: every IRI of the graph dereferences, in every format, on a real server."""

from __future__ import annotations

import json

import httpx
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, SKOS

from sse_graph.linked_data import MEDIA, RESOURCE_TYPES, iri_for_path, local_url
from sse_graph.settings import Settings

BASE = "https://w3id.org/sse-kg/"
ID = BASE + "id/"
SSE = BASE + "ontology#"
ASSERTED = ID + "graph/asserted"
INFERRED = ID + "graph/inferred"
RDF_TYPES = [m for m in RESOURCE_TYPES if m != "text/html"]
RDFLIB = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/trig": "trig",
    "application/n-quads": "nquads",
}
DATASET_TYPES = ("application/trig", "application/n-quads")


def parse(body: bytes | str, media: str) -> Graph:
    """A representation as one rdflib graph (all named graphs merged)."""
    if media in DATASET_TYPES:
        ds = Dataset()
        ds.parse(data=body, format=RDFLIB[media])
        g = Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    return Graph().parse(data=body, format=RDFLIB[media])


def parse_quads(body: bytes | str, media: str) -> set[tuple]:
    ds = Dataset()
    ds.parse(data=body, format=RDFLIB[media])
    return {
        (s, p, o, g.identifier if hasattr(g, "identifier") else g)
        for s, p, o, g in ds.quads((None, None, None, None))
    }


def store_graph(oxstore, query: str) -> Graph:
    """CONSTRUCT on the in-process store, as an rdflib graph (the same term forms as parse)."""
    import pyoxigraph as ox

    triples = list(oxstore.query(query, use_default_graph_as_union=True))
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
    return Graph().parse(data=data.decode(), format="nt")


def path_of(value: str) -> str:
    assert value.startswith(BASE)
    return "/" + value[len(BASE) :]


@pytest.fixture(scope="module")
def subjects(oxstore) -> list[str]:
    rows = oxstore.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }} ORDER BY ?s',
        use_default_graph_as_union=True,
    )
    return [r[0].value for r in rows]


@pytest.fixture(scope="module")
def own_triples(oxstore) -> dict[str, set]:
    """Subject IRI → its triples (asserted and inferred), as rdflib terms."""
    g = store_graph(
        oxstore, f'CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{ID}")) }}'
    )
    out: dict[str, set] = {}
    for s, p, o in g:
        out.setdefault(str(s), set()).add((s, p, o))
    return out


# ---------------------------------------------------------------------------------------------
# The acceptance test: every subject IRI, every format
# ---------------------------------------------------------------------------------------------


def test_every_iri_dereferences_in_every_format(service, subjects, own_triples) -> None:
    assert len(subjects) > 200, "the graph mints a few hundred IRIs"
    failures: list[str] = []
    with httpx.Client(base_url=service.url, timeout=30.0) as client:
        for value in subjects:
            path = path_of(value)
            r = client.get(path, headers={"Accept": "text/html"})
            if r.status_code != 200 or not r.headers["content-type"].startswith("text/html"):
                failures.append(f"{path} html: {r.status_code}")
            for media in RDF_TYPES:
                r = client.get(path, headers={"Accept": media})
                if r.status_code != 200:
                    failures.append(f"{path} {media}: {r.status_code}")
                    continue
                if r.headers["content-type"].split(";")[0] != media:
                    failures.append(f"{path} {media}: served {r.headers['content-type']}")
                    continue
                try:
                    g = parse(r.content, media)
                except Exception as exc:  # reported with the IRI
                    failures.append(f"{path} {media}: does not parse: {exc}")
                    continue
                missing = own_triples[value] - set(g)
                if missing:
                    failures.append(
                        f"{path} {media}: {len(missing)} of its triples missing, "
                        f"e.g. {next(iter(missing))}"
                    )
    assert not failures, "\n".join(failures[:20])


def test_named_graphs_are_kept_apart_in_trig_and_nquads(client, oxstore) -> None:
    value = ID + "instrument/R193"
    for media in DATASET_TYPES:
        quads = parse_quads(client.get(path_of(value), headers={"Accept": media}).content, media)
        for graph in (ASSERTED, INFERRED):
            expected = store_graph(
                oxstore,
                f"CONSTRUCT {{ <{value}> ?p ?o }} "
                f"WHERE {{ GRAPH <{graph}> {{ <{value}> ?p ?o }} }}",
            )
            served = {(s, p, o) for s, p, o, g in quads if str(g) == graph}
            assert set(expected) <= served, (media, graph)
            assert len(expected) > 0


# ---------------------------------------------------------------------------------------------
# What a resource's representation says
# ---------------------------------------------------------------------------------------------


def test_r193_turtle_shows_related_activities(client, oxstore) -> None:
    """`curl -H 'Accept: text/turtle' …/id/instrument/R193` lists the activities related to it."""
    r = client.get("/id/instrument/R193", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/turtle; charset=utf-8"
    g = parse(r.text, "text/turtle")
    r193 = URIRef(ID + "instrument/R193")
    related = set(g.objects(r193, URIRef(SSE + "relatedActivity")))
    incoming = set(g.subjects(URIRef(SSE + "relatedInstrument"), r193))
    expected = {URIRef(ID + "activity/2.1-a"), URIRef(ID + "activity/2.1-b")}
    assert related == expected and incoming == expected
    # the store agrees (the links are inferred by the property chain)
    rows = oxstore.query(
        f"SELECT ?a WHERE {{ GRAPH <{INFERRED}> {{ <{r193}> <{SSE}relatedActivity> ?a }} }}"
    )
    assert {URIRef(row[0].value) for row in rows} == expected
    # inferred statements are marked, and the activities come with their labels
    assert "# Inferred by OWL 2 RL reasoning" in r.text
    inferred_part = r.text.split("# Inferred by OWL 2 RL reasoning", 1)[1]
    assert "sse:relatedActivity" in inferred_part.split("# Labels of the linked", 1)[0]
    for activity in expected:
        assert (activity, SKOS.notation, None) in g
        assert any(lbl.language == "zh" for lbl in g.objects(activity, SKOS.prefLabel))


def test_inferred_false_leaves_out_the_inferred_graph(client, oxstore) -> None:
    r193 = URIRef(ID + "instrument/R193")
    for media in ("text/turtle", "application/n-triples", "application/ld+json"):
        r = client.get(
            "/id/instrument/R193", params={"inferred": "false"}, headers={"Accept": media}
        )
        assert r.status_code == 200
        g = parse(r.content, media)
        assert (r193, URIRef(SSE + "relatedActivity"), None) not in g
        assert (None, URIRef(SSE + "relatedInstrument"), r193) not in g
        assert (r193, SKOS.notation, Literal("R193")) in g
    r = client.get(
        "/id/instrument/R193", params={"inferred": "maybe"}, headers={"Accept": "text/turtle"}
    )
    assert r.status_code == 400


def test_instrument_lists_paragraphs_citing_it_and_labels(client) -> None:
    g = parse(
        client.get("/id/instrument/R193", headers={"Accept": "application/ld+json"}).content,
        "application/ld+json",
    )
    r193 = URIRef(ID + "instrument/R193")
    citing = set(g.subjects(URIRef(SSE + "cites"), r193))
    assert URIRef(ID + "paragraph/3") in citing
    # labels of what it links to, both ways
    assert (URIRef(ID + "paragraph/3"), SKOS.prefLabel, None) in g
    assert (URIRef(ID + "body/ILC"), SKOS.prefLabel, None) in g


def test_jsonld_uses_the_published_context(client) -> None:
    ctx = client.get("/context.jsonld")
    assert ctx.status_code == 200
    assert ctx.headers["content-type"].startswith("application/ld+json")
    published = ctx.json()["@context"]
    assert published["sse"] == SSE and published["id"] == ID
    doc = client.get("/id/objective/1", headers={"Accept": "application/ld+json"}).json()
    assert doc["@context"] == published
    ids = [node["@id"] for node in doc["@graph"]]
    assert "id:objective/1" in ids and ids == sorted(ids, key=lambda i: i)  # compact, sorted
    assert (
        client.get("/context.jsonld", headers={"If-None-Match": ctx.headers["etag"]}).status_code
        == 304
    )


def test_catalogue_and_graph_iris_resolve(client) -> None:
    meta = Graph()
    for path in ("/catalog", "/.well-known/void"):
        meta.parse(data=client.get(path, headers={"Accept": "text/turtle"}).text, format="turtle")
    minted = sorted({str(s) for s in meta.subjects() if str(s).startswith(ID)})
    for needed in (
        "catalog",
        "dataset",
        "service/sparql",
        "graph/asserted",
        "graph/inferred",
        "agent/sse-graph-maintainers",
    ):
        assert ID + needed in minted
    assert any(m.startswith(ID + "distribution/") for m in minted)
    assert any(m.startswith(ID + "build/") for m in minted)
    assert any(m.startswith(ID + "software/") for m in minted)
    for value in minted:
        expected = set(meta.triples((URIRef(value), None, None)))
        for media in RDF_TYPES:
            r = client.get(path_of(value), headers={"Accept": media})
            assert r.status_code == 200, (value, media)
            g = parse(r.content, media)
            # blank nodes (checksums, partitions) are compared by their IRI statements only
            named = {t for t in expected if not _has_bnode(t)}
            assert named <= set(g), (value, media, named - set(g))
        r = client.get(path_of(value), headers={"Accept": "text/html"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")


def _has_bnode(triple) -> bool:
    from rdflib import BNode

    return any(isinstance(t, BNode) for t in triple)


# ---------------------------------------------------------------------------------------------
# Content negotiation, headers, errors
# ---------------------------------------------------------------------------------------------


def test_no_accept_and_browsers_get_html(client) -> None:
    request = client.build_request("GET", "/id/objective/1")
    del request.headers["accept"]
    r = client.send(request)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/id/objective/1", headers={"Accept": browser})
    assert r.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/ld+json"),
        ("application/n-triples", "application/n-triples"),
        ("text/plain", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/trig", "application/trig"),
        ("application/n-quads", "application/n-quads"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle"),
    ],
)
def test_accept_negotiation(client, accept, expected) -> None:
    r = client.get("/id/output/1.2", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == expected
    assert "Accept" in r.headers["vary"]


def test_format_override_and_link_headers(client) -> None:
    r = client.get("/id/output/1.2", params={"format": "nt"}, headers={"Accept": "text/turtle"})
    assert r.headers["content-type"].startswith("application/n-triples")
    links = r.headers["link"]
    for media, (name, _label) in MEDIA.items():
        assert f'/id/output/1.2?format={name}>; rel="alternate"; type="{media}"' in links
    # every advertised alternate works
    for media, (name, _label) in MEDIA.items():
        alt = client.get("/id/output/1.2", params={"format": name})
        assert alt.status_code == 200
        assert alt.headers["content-type"].split(";")[0] == media


def test_not_acceptable_lists_the_types(client) -> None:
    r = client.get("/id/output/1.2", headers={"Accept": "image/png"})
    assert r.status_code == 406
    body = r.json()
    assert body["error"] == "not_acceptable"
    assert set(body["supported"]) == set(RESOURCE_TYPES)
    assert "text/turtle" in body["message"]
    assert client.get("/id/output/1.2", params={"format": "pdf"}).status_code == 406
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406


def test_unknown_iri_is_404_with_help(client) -> None:
    r = client.get("/id/instrument/R1933", headers={"Accept": "application/json"})
    assert r.status_code == 404
    body = r.json()
    assert body["error"] == "not_found" and body["iri"] == ID + "instrument/R1933"
    assert any(u.endswith("/id/instrument/R193") for u in body["did_you_mean"])
    assert body["kinds"]["instrument"] >= 14
    assert "/catalog" in body["message"]
    for accept in ("text/turtle", "text/html"):
        r = client.get("/id/no-such-kind/x", headers={"Accept": accept})
        assert r.status_code == 404
    r = client.get("/id/no-such-kind/x", headers={"Accept": "text/html"})
    assert r.headers["content-type"].startswith("text/html")


def test_conditional_get_and_head(client) -> None:
    r = client.get("/id/activity/1.2-a", headers={"Accept": "text/turtle"})
    etag = r.headers["etag"]
    assert etag.startswith('W/"')
    again = client.get(
        "/id/activity/1.2-a", headers={"Accept": "text/turtle", "If-None-Match": etag}
    )
    assert again.status_code == 304 and again.content == b""
    assert client.get("/id/activity/1.2-a", headers={"If-None-Match": '"other"'}).status_code == 200
    head = client.head("/id/activity/1.2-a", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(r.content)
    assert head.headers["etag"] == etag and "link" in head.headers


# ---------------------------------------------------------------------------------------------
# The ontology
# ---------------------------------------------------------------------------------------------


def test_ontology_html_is_pylode(client) -> None:
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "pyLODE" in r.text and "relatedInstrument" in r.text
    assert 'id="Activity"' in r.text  # fragment of https://w3id.org/sse-kg/ontology#Activity
    zh = client.get("/ontology", params={"lang": "zh"}, headers={"Accept": "text/html"})
    assert zh.status_code == 200 and "相关文书" in zh.text


@pytest.mark.parametrize(
    "media", ["text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"]
)
def test_ontology_rdf_and_version_iri(client, oxstore, media) -> None:
    g = parse(client.get("/ontology", headers={"Accept": media}).content, media)
    onto = URIRef(BASE + "ontology")
    assert (onto, RDF.type, OWL.Ontology) in g
    version = g.value(onto, OWL.versionIRI)
    assert str(version) == BASE + "ontology/1.0.0"
    # every asserted statement about an ontology term is in the document
    expected = store_graph(
        oxstore,
        (
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ASSERTED}> {{ ?s ?p ?o }} "
            f'FILTER(isBlank(?s) || STRSTARTS(STR(?s), "{BASE}ontology")) }}'
        ),
    )
    assert len(expected) > 300
    assert {t for t in expected if not _has_bnode(t)} <= set(g)
    # property chains (blank-node lists) come through item by item
    chain = URIRef(OWL + "propertyChainAxiom")
    for prop, head in expected.subject_objects(chain):
        assert list(Collection(g, g.value(prop, chain))) == list(Collection(expected, head))
    assert not any(str(s).startswith(ID) for s in g.subjects())
    # the version IRI resolves to the same document
    r = client.get("/ontology/1.0.0", headers={"Accept": media})
    assert r.status_code == 200
    assert isomorphic(parse(r.content, media), g)


def test_ontology_terms_resolve_through_the_ontology_document(client, oxstore) -> None:
    rows = oxstore.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{SSE}")) }}',
        use_default_graph_as_union=True,
    )
    terms = {URIRef(r[0].value) for r in rows}
    g = parse(client.get("/ontology", headers={"Accept": "text/turtle"}).content, "text/turtle")
    assert terms and terms <= set(g.subjects())


def test_unknown_ontology_version_is_404(client) -> None:
    r = client.get("/ontology/9.9.9", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert BASE + "ontology/1.0.0" in r.json()["versions"]


# ---------------------------------------------------------------------------------------------
# In process: the public base mapping and the built-in HTML page
# ---------------------------------------------------------------------------------------------


def test_public_base_mapping() -> None:
    s = Settings(public_base="https://example.org/kg")
    assert s.public_base == "https://example.org/kg/"
    assert iri_for_path(s, "/id/activity/1.1-a") == "https://example.org/kg/id/activity/1.1-a"
    assert (
        local_url(s, "https://example.org/kg/id/x", "http://127.0.0.1:8000")
        == "http://127.0.0.1:8000/id/x"
    )
    assert (
        local_url(s, "https://example.org/kg/ontology#Activity", "https://proxy/sse/")
        == "https://proxy/sse/ontology#Activity"
    )
    assert (
        local_url(s, "http://www.w3.org/2004/02/skos/core#Concept", "http://x")
        == "http://www.w3.org/2004/02/skos/core#Concept"
    )


def test_builtin_html_page_without_the_web_client(built, settings) -> None:
    from fastapi.testclient import TestClient

    from sse_graph.app import create_app

    app = create_app(settings.model_copy(update={"query_workers": 1}))
    app.state.render_html = None
    with TestClient(app) as tc:
        r = tc.get("/id/instrument/R193", headers={"Accept": "text/html"})
        assert r.status_code == 200
        assert "<h1>Promotion of Cooperatives Recommendation, 2002 (No. 193)</h1>" in r.text
        assert 'href="http://testserver/id/activity/2.1-a"' in r.text
        assert '<tr class="inferred">' in r.text
        assert "Links to this resource" in r.text
        plain = tc.get(
            "/id/instrument/R193", params={"inferred": "false"}, headers={"Accept": "text/html"}
        )
        assert '<tr class="inferred">' not in plain.text
        assert tc.get("/id/instrument/R193", headers={"Accept": "text/turtle"}).status_code == 200
        doc = json.loads(tc.get("/download/").text)
        assert doc["files"]


def test_ontology_page_survives_without_pylode(oxstore) -> None:
    import pyoxigraph as ox

    from sse_graph.linked_data import fallback_ontology_html
    from sse_graph.queries import internal_query

    triples = list(oxstore.query(internal_query("ld/ontology")))
    page = fallback_ontology_html([t for t in triples if isinstance(t, ox.Triple)])
    assert 'id="Activity"' in page and 'id="relatedInstrument"' in page
