"""Operations endpoints and the OpenAPI document."""

from __future__ import annotations


def test_health_and_ready(client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and len(ready["version"]) == 16


def test_metrics_count_queries(client) -> None:
    client.get("/sparql", params={"query": "ASK { ?s ?p ?o } # metrics"})
    client.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://x> {} }"})
    text = client.get("/metrics").text
    assert 'sse_graph_queries_total{form="ask",status="ok"}' in text
    assert 'sse_graph_rejections_total{reason="service_not_allowed"}' in text
    assert "sse_graph_query_seconds_bucket" in text
    assert "sse_graph_query_workers_alive" in text or "store=" not in text


def test_openapi_lists_curated_queries(client) -> None:
    spec = client.get("/openapi.json").json()
    names = [q["name"] for q in client.get("/queries").json()]
    assert names, "no curated queries"
    for name in names:
        op = spec["paths"][f"/queries/{name}"]["get"]
        assert op["summary"]
    assert client.get("/docs").status_code == 200


def test_unknown_path_is_json_404(client) -> None:
    r = client.get("/no/such/thing", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["error"] == "not_found"
