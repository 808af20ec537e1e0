"""Each curated query gives the same rows via /queries/{name}, /sparql, SPARQLWrapper, CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from sse_graph.namespaces import SERVED_GRAPHS
from sse_graph.queries import load_queries
from sse_graph.sparql.guard import bind_values, check
from sse_graph.sparql.results import nt_terms

ROOT = Path(__file__).resolve().parent.parent
QUERIES = load_queries(ROOT / "queries")


def rows(doc: dict) -> list[tuple]:
    if "boolean" in doc:
        return [("boolean", doc["boolean"])]
    out = []
    for b in doc["results"]["bindings"]:
        out.append(
            tuple(
                sorted(
                    (k, v["type"], v["value"], v.get("xml:lang", ""), v.get("datatype", ""))
                    for k, v in b.items()
                )
            )
        )
    return sorted(out)


def test_there_are_enough_curated_queries() -> None:
    assert len(QUERIES) >= 12


def test_listing(client) -> None:
    listed = {q["name"]: q for q in client.get("/queries").json()}
    assert set(listed) == set(QUERIES)
    for name, q in QUERIES.items():
        assert listed[name]["title"] == q.title
        assert [p["name"] for p in listed[name]["parameters"]] == [p.name for p in q.parameters]
    name = next(iter(QUERIES))
    assert client.get(f"/queries/{name}.rq").text == QUERIES[name].text


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_same_rows_everywhere(name: str, client, service, cache_dir: Path) -> None:
    q = QUERIES[name]
    defaults = {p.name: p.default for p in q.parameters if p.default}
    via_api = client.get(f"/queries/{name}", params=defaults)
    assert via_api.status_code == 200, via_api.text
    expected = rows(via_api.json())
    assert expected, f"{name} returned no rows with its default parameters"

    # the text a partner would send: the same inline VALUES block the API joins in
    text = bind_values(
        q.text, check(q.text, served_graphs=SERVED_GRAPHS), nt_terms(q.bindings(defaults))
    )
    via_sparql = client.post("/sparql", data={"query": text})
    assert via_sparql.status_code == 200, via_sparql.text
    assert rows(via_sparql.json()) == expected

    sw = SPARQLWrapper(service.url + "/sparql")
    sw.setMethod(POST)
    sw.setQuery(text)
    sw.setReturnFormat(JSON)
    assert rows(sw.queryAndConvert()) == expected

    args = [
        sys.executable,
        "-m",
        "sse_graph.cli",
        "--cache-dir",
        str(cache_dir),
        "query",
        str(q.path),
        "-o",
        "json",
    ]
    # no -p: the CLI applies the declared defaults, like /queries/{name}
    env = {**os.environ}
    if service.mode != "embedded":
        args += ["--store", service.env["SSE_GRAPH_STORE"]]
    cli = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert rows(json.loads(cli.stdout)) == expected


def test_parameters_are_values_not_text(client) -> None:
    """A hostile parameter value is a literal that matches nothing; it never becomes SPARQL."""
    for q in QUERIES.values():
        strings = [p for p in q.parameters if p.type == "string"]
        if not strings:
            continue
        evil = '9(n)" } } UNION { ?s ?p ?o } #'
        r = client.get(f"/queries/{q.name}", params={strings[0].name: evil})
        assert r.status_code == 200, r.text
        assert len(r.json()["results"]["bindings"]) <= 1
        break
    else:
        pytest.fail("no curated query takes a string parameter")


def test_bad_parameters(client) -> None:
    name = next(n for n, q in QUERIES.items() if q.parameters)
    r = client.get(f"/queries/{name}", params={"nonsense": "1"})
    assert r.status_code == 400 and "takes" in r.json()["message"]
    assert client.get("/queries/no-such-query").status_code == 404
    typed = [
        (n, p)
        for n, q in QUERIES.items()
        for p in q.parameters
        if p.type in ("iri", "integer", "year")
    ]
    for n, p in typed:
        r = client.get(f"/queries/{n}", params={p.name: "not a value <>"})
        assert r.status_code == 400, (n, r.text)
