"""SPARQL 1.1 Protocol conformance, one case per W3C protocol test we implement.

Case names follow the W3C test ids (https://www.w3.org/2009/sparql/docs/tests/data-sparql11/
protocol/manifest), adapted to this dataset: its graphs are the asserted and inferred graphs.
The endpoint is read-only, so the update tests expect a refusal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from rdflib import Graph, URIRef

ASSERTED = "https://w3id.org/sse-kg/id/graph/asserted"
INFERRED = "https://w3id.org/sse-kg/id/graph/inferred"
SSE = "https://w3id.org/sse-kg/ontology#"
R193 = "https://w3id.org/sse-kg/id/instrument/R193"

# an inferred-only triple: true on the union and the inferred graph, false on the asserted one
RELATED_ASK = f"ASK {{ ?a <{SSE}relatedInstrument> <{R193}> }}"
COUNT_ACTIVITIES = f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a <{SSE}Activity> }}"


@dataclass
class Case:
    id: str
    method: str
    params: dict = field(default_factory=dict)
    body: str | bytes | None = None
    content_type: str | None = None
    accept: str | None = None
    status: int = 200
    media: str | None = None
    check: object = None  # callable(response) -> None


def _bool(expected: bool):
    def check(r):
        assert json.loads(r.text)["boolean"] is expected

    return check


def _count(expected: int):
    def check(r):
        assert int(json.loads(r.text)["results"]["bindings"][0]["n"]["value"]) == expected

    return check


def _graph(r):
    g = Graph().parse(data=r.text, format="turtle")
    assert len(g) > 0


CASES = [
    Case(
        "query_get",
        "GET",
        {"query": COUNT_ACTIVITIES},
        media="application/sparql-results+json",
        check=_count(17),
    ),
    Case(
        "query_post_form",
        "POST",
        body=f"query={COUNT_ACTIVITIES}",
        content_type="application/x-www-form-urlencoded",
        check=_count(17),
    ),
    Case(
        "query_post_direct",
        "POST",
        body=COUNT_ACTIVITIES,
        content_type="application/sparql-query",
        check=_count(17),
    ),
    Case("query_union_default_graph", "GET", {"query": RELATED_ASK}, check=_bool(True)),
    Case(
        "query_dataset_default_graph",
        "GET",
        {"query": RELATED_ASK, "default-graph-uri": ASSERTED},
        check=_bool(False),
    ),
    Case(
        "query_dataset_default_graphs_get",
        "GET",
        {"query": RELATED_ASK, "default-graph-uri": [ASSERTED, INFERRED]},
        check=_bool(True),
    ),
    Case(
        "query_dataset_default_graphs_post",
        "POST",
        body=f"query={RELATED_ASK}&default-graph-uri={INFERRED}",
        content_type="application/x-www-form-urlencoded",
        check=_bool(True),
    ),
    Case(
        "query_dataset_named_graphs_post",
        "POST",
        body=f"query=ASK {{ GRAPH <{INFERRED}> {{ ?a <{SSE}relatedInstrument> ?i }} }}"
        f"&named-graph-uri={INFERRED}",
        content_type="application/x-www-form-urlencoded",
        check=_bool(True),
    ),
    Case(
        "query_dataset_named_graphs_get",
        "GET",
        {"query": f"ASK {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}", "named-graph-uri": ASSERTED},
        check=_bool(False),
    ),
    Case(
        "query_dataset_full",
        "GET",
        {
            "query": f"ASK {{ ?s a <{SSE}Activity> GRAPH <{INFERRED}> {{ ?s ?p ?o }} }}",
            "default-graph-uri": ASSERTED,
            "named-graph-uri": INFERRED,
        },
        check=_bool(True),
    ),
    Case(
        "query_multiple_dataset",
        "GET",
        {
            "query": f"ASK FROM <{INFERRED}> {{ ?a <{SSE}relatedInstrument> ?i }}",
            "default-graph-uri": ASSERTED,
        },
        check=_bool(False),
    ),
    Case(
        "query_from_served_graph",
        "GET",
        {"query": f"ASK FROM <{INFERRED}> {{ ?a <{SSE}relatedInstrument> ?i }}"},
        check=_bool(True),
    ),
    Case(
        "query_from_limits_the_default_graph",
        "GET",
        {"query": f"ASK FROM <{ASSERTED}> {{ ?a <{SSE}relatedInstrument> ?i }}"},
        check=_bool(False),
    ),
    Case(
        "query_from_named_only",
        "GET",
        {
            "query": f"SELECT (COUNT(*) AS ?n) FROM NAMED <{INFERRED}> "
            f"WHERE {{ ?s a <{SSE}Activity> }}"
        },
        check=_count(0),
    ),
    Case(
        "query_content_type_select",
        "GET",
        {"query": COUNT_ACTIVITIES},
        accept="application/sparql-results+xml",
        media="application/sparql-results+xml",
    ),
    Case(
        "query_content_type_ask",
        "GET",
        {"query": RELATED_ASK},
        accept="application/sparql-results+json",
        media="application/sparql-results+json",
    ),
    Case(
        "query_content_type_describe",
        "GET",
        {"query": f"DESCRIBE <{R193}>"},
        media="text/turtle",
        check=_graph,
    ),
    Case(
        "query_content_type_construct",
        "GET",
        {
            "query": f"CONSTRUCT {{ ?a <{SSE}relatedInstrument> <{R193}> }} "
            f"WHERE {{ ?a <{SSE}relatedInstrument> <{R193}> }}"
        },
        media="text/turtle",
        check=_graph,
    ),
    Case("bad_query_method", "PUT", {"query": COUNT_ACTIVITIES}, status=405),
    Case("bad_multiple_queries", "GET", {"query": [COUNT_ACTIVITIES, RELATED_ASK]}, status=400),
    Case(
        "bad_query_wrong_media_type",
        "POST",
        body=COUNT_ACTIVITIES,
        content_type="text/plain",
        status=415,
    ),
    Case("bad_query_missing_form_type", "POST", body=f"query={COUNT_ACTIVITIES}", status=400),
    Case("bad_query_missing_direct_type", "POST", body=COUNT_ACTIVITIES, status=400),
    Case(
        "bad_query_non_utf8",
        "POST",
        body=COUNT_ACTIVITIES.encode("utf-16"),
        content_type="application/sparql-query; charset=UTF-16",
        status=400,
    ),
    Case("bad_query_syntax", "GET", {"query": "SELECT * WHERE { ?s ?p }"}, status=400),
    Case("bad_update_get", "GET", {"update": "CLEAR ALL"}, status=403),
    Case(
        "bad_update_form",
        "POST",
        body="update=CLEAR ALL",
        content_type="application/x-www-form-urlencoded",
        status=403,
    ),
    Case(
        "bad_update_direct",
        "POST",
        body="CLEAR ALL",
        content_type="application/sparql-update",
        status=403,
    ),
    Case("bad_update_in_query", "GET", {"query": "DROP ALL"}, status=400),
    Case(
        "bad_unknown_default_graph",
        "GET",
        {"query": COUNT_ACTIVITIES, "default-graph-uri": "http://example.org/g"},
        status=400,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_protocol(client, case: Case) -> None:
    headers = {}
    if case.accept:
        headers["Accept"] = case.accept
    if case.content_type:
        headers["Content-Type"] = case.content_type
    r = client.request(
        case.method, "/sparql", params=case.params, content=case.body, headers=headers
    )
    assert r.status_code == case.status, r.text
    if case.status >= 400:
        doc = r.json()
        assert doc["error"] and doc["message"], doc
        assert "Traceback" not in r.text
        return
    if case.media:
        assert r.headers["content-type"].split(";")[0] == case.media
    assert "Accept" in r.headers["vary"]
    if case.check:
        case.check(r)


def test_bad_query_reports_position(client) -> None:
    r = client.get("/sparql", params={"query": "SELECT * WHERE {\n ?s ?p ?o .\n FILTER(?x = ) }"})
    assert r.status_code == 400
    doc = r.json()
    assert doc["error"] == "bad_query"
    assert (doc["line"], doc["column"]) == (3, 13) or doc["line"] == 3


def test_error_as_plain_text(client) -> None:
    accept = "text/plain, application/sparql-results+json;q=0.5"
    r = client.get("/sparql", params={"query": "SELECT"}, headers={"Accept": accept})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("400 ")


def test_service_description(client) -> None:
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    q = f"""PREFIX sd: <{sd}> PREFIX void: <http://rdfs.org/ns/void#>
    SELECT ?name ?n WHERE {{ ?s sd:defaultDataset/sd:namedGraph ?ng .
      ?ng sd:name ?name ; sd:graph/void:triples ?n }}"""
    counts = {str(row.name): int(row.n) for row in g.query(q)}
    assert set(counts) == {ASSERTED, INFERRED}
    for graph, n in counts.items():
        live = client.get(
            "/sparql",
            params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"},
        )
        assert int(live.json()["results"]["bindings"][0]["n"]["value"]) == n
    formats = {str(o) for o in g.objects(None, URIRef(sd + "resultFormat"))}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats


def test_head_and_cors(client) -> None:
    r = client.head("/sparql", params={"query": COUNT_ACTIVITIES})
    assert r.status_code == 200 and r.content == b""
    r = client.get(
        "/sparql", params={"query": COUNT_ACTIVITIES}, headers={"Origin": "https://example.org"}
    )
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    pre = client.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code == 200
    assert "POST" in pre.headers["access-control-allow-methods"]


def test_etag_and_not_modified(client) -> None:
    r = client.get("/sparql", params={"query": COUNT_ACTIVITIES})
    etag = r.headers["etag"]
    assert "max-age" in r.headers["cache-control"]
    again = client.get(
        "/sparql", params={"query": COUNT_ACTIVITIES}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    version = client.get("/readyz").json()["version"]
    assert version in etag


def test_server_timing(client) -> None:
    r = client.get("/sparql", params={"query": COUNT_ACTIVITIES + " # timing"})
    assert "total;dur=" in r.headers["server-timing"]
