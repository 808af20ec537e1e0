"""Dumps: deterministic across builds, checksummed, parseable, with the right sizes."""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from sse_graph.export import DUMPS

ID = "https://w3id.org/sse-kg/id/"
ASSERTED = ID + "graph/asserted"
INFERRED = ID + "graph/inferred"
OX_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/trig": ox.RdfFormat.TRIG,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
RDFLIB = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
}
DUMP_NAMES = [d.name for d in DUMPS]


@pytest.fixture(scope="module")
def two_exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[float]]:
    """Two builds from scratch into two cache folders, each exported to its own folder."""
    from sse_graph.build import build
    from sse_graph.export import export_to_directory
    from sse_graph.settings import Settings

    outs, seconds = [], []
    for i in (1, 2):
        settings = Settings(cache_dir=tmp_path_factory.mktemp(f"cache{i}"))
        build(settings, force=True, log=lambda *_: None)
        out = tmp_path_factory.mktemp(f"export{i}")
        t0 = time.perf_counter()
        written = export_to_directory(settings, out)
        seconds.append(time.perf_counter() - t0)
        assert {p.name for p in written} >= set(DUMP_NAMES)
        outs.append(out)
    return outs[0], outs[1], seconds


@pytest.fixture(scope="module")
def counts(oxstore) -> dict[str, int]:
    def one(q: str) -> int:
        return int(next(iter(oxstore.query(q, use_default_graph_as_union=True)))[0].value)

    asserted = one(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ASSERTED}> {{ ?s ?p ?o }} }}")
    inferred = one(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}")
    full = one("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }")
    return {"asserted": asserted, "full": full, "dataset": asserted + inferred}


def statements(body: bytes, name: str, media: str) -> list:
    if name.endswith(".gz"):
        body = gzip.decompress(body)
    return list(ox.parse(body, format=OX_FORMATS[media]))


def test_dumps_are_byte_identical_across_two_builds(two_exports) -> None:
    first, second, _ = two_exports
    for name in DUMP_NAMES:
        for file in (name, name + ".sha256"):
            a, b = (first / file).read_bytes(), (second / file).read_bytes()
            assert a == b, f"{file} differs between two builds"
    # the catalogue and VoID are written too (they carry the build time, so may differ)
    for extra in ("catalog.ttl", "void.ttl"):
        Graph().parse(first / extra, format="turtle")


def test_export_matches_the_service(two_exports, client) -> None:
    first, _, _ = two_exports
    for name in DUMP_NAMES:
        r = client.get(f"/download/{name}")
        assert r.status_code == 200
        assert r.content == (first / name).read_bytes(), name


def test_export_time(two_exports) -> None:
    *_, seconds = two_exports
    # rendering takes well under a second; the rest is starting the store
    assert max(seconds) < 60, seconds


def test_checksums_etag_and_last_modified(client) -> None:
    index = client.get("/download/", headers={"Accept": "application/json"}).json()
    assert {f["name"] for f in index["files"]} == set(DUMP_NAMES)
    for f in index["files"]:
        r = client.get(f"/download/{f['name']}")
        digest = hashlib.sha256(r.content).hexdigest()
        assert digest == f["sha256"] and len(r.content) == f["bytes"]
        assert r.headers["etag"] == f'"{digest}"'
        assert "last-modified" in r.headers
        assert f'filename="{f["name"]}"' in r.headers["content-disposition"]
        checksum = client.get(f"/download/{f['name']}.sha256")
        assert checksum.text == f"{digest}  {f['name']}\n"  # sha256sum -c format
        assert checksum.headers["content-type"].startswith("text/plain")
        again = client.get(f"/download/{f['name']}", headers={"If-None-Match": r.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        since = client.get(
            f"/download/{f['name']}", headers={"If-Modified-Since": r.headers["last-modified"]}
        )
        assert since.status_code == 304
        head = client.head(f"/download/{f['name']}")
        assert head.status_code == 200 and head.content == b""
        assert int(head.headers["content-length"]) == len(r.content)


def test_each_dump_parses_with_the_right_count(client, counts) -> None:
    for spec in DUMPS:
        r = client.get(f"/download/{spec.name}")
        if spec.compressed:
            assert r.headers["content-type"] == "application/gzip"
            assert r.content[4:8] == b"\0\0\0\0", "gzip without a time stamp"
        else:
            assert r.headers["content-type"].split(";")[0] == spec.media_type
        items = statements(r.content, spec.name, spec.media_type)
        assert len(items) == counts[spec.graph], spec.name
        if spec.graph == "dataset":
            graphs = {q.graph_name.value for q in items}
            assert graphs == {ASSERTED, INFERRED}


def test_formats_agree_and_parse_in_rdflib(client) -> None:
    """Every graph dump is the same graph whatever the format, read by another RDF library."""
    for graph in ("asserted", "full"):
        nt = gzip.decompress(client.get(f"/download/sse-kg-{graph}.nt.gz").content)
        reference = Graph().parse(data=nt.decode(), format="nt")
        for ext, media in (
            ("ttl", "text/turtle"),
            ("jsonld", "application/ld+json"),
            ("rdf", "application/rdf+xml"),
        ):
            body = client.get(f"/download/sse-kg-{graph}.{ext}").content
            g = Graph().parse(data=body, format=RDFLIB[media])
            assert len(g) == len(reference), (graph, ext)
            assert isomorphic(g, reference), (graph, ext)


def test_jsonld_dump_is_compacted_with_the_published_context(client) -> None:
    doc = json.loads(client.get("/download/sse-kg-asserted.jsonld").content)
    assert doc["@context"] == client.get("/context.jsonld").json()["@context"]
    nodes = {n["@id"]: n for n in doc["@graph"]}
    r193 = nodes["id:instrument/R193"]
    assert r193["skos:notation"] == "R193"
    assert r193["sse:adoptedYear"] == {"@value": "2002", "@type": "xsd:gYear"}
    assert r193["sse:adoptedBy"] == {"@id": "id:body/ILC"}


def test_blank_nodes_have_stable_labels(client) -> None:
    ttl = client.get("/download/sse-kg-asserted.ttl").text
    nt = gzip.decompress(client.get("/download/sse-kg-asserted.nt.gz").content).decode()
    assert "_:b0 " in nt  # the property-chain lists, labelled b0, b1, … from their content
    assert "_:b0" in ttl or "[" in ttl


def test_download_index(client) -> None:
    r = client.get("/download/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    for name in DUMP_NAMES:
        assert name in r.text
    doc = client.get("/download/").json()
    assert doc["version"] == client.get("/readyz").json()["version"]
    assert doc["catalogue"].endswith("/catalog")
    missing = client.get("/download/nothing.ttl", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and "sse-kg-full.ttl" in missing.json()["files"]
    assert client.get("/download", follow_redirects=True).status_code == 200


def test_canonical_bnodes_ignore_input_labels() -> None:
    """The same structure with other blank-node labels gives the same bytes."""
    from sse_graph.linked_data import canonical_bnodes, serialize

    g = ox.NamedNode(ASSERTED)
    p = ox.NamedNode("https://w3id.org/sse-kg/ontology#p")
    first = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
    rest = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#rest")
    nil = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil")

    def chain(a: str, b: str) -> list[ox.Quad]:
        x, y = ox.BlankNode(a), ox.BlankNode(b)
        return [
            ox.Quad(p, ox.NamedNode("http://www.w3.org/2002/07/owl#propertyChainAxiom"), x, g),
            ox.Quad(x, first, ox.NamedNode("https://w3id.org/sse-kg/ontology#a"), g),
            ox.Quad(x, rest, y, g),
            ox.Quad(y, first, ox.NamedNode("https://w3id.org/sse-kg/ontology#b"), g),
            ox.Quad(y, rest, nil, g),
        ]

    one = serialize(canonical_bnodes(chain("zz", "aa")), "application/n-quads")
    two = serialize(canonical_bnodes(chain("aa", "zz")), "application/n-quads")
    assert one == two
