"""The command line: build, validate, query, and one-line errors (never a traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SSE = "https://w3id.org/sse-kg/ontology#"


def run(*args: str, cache_dir: Path, stdin: str | None = None, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "sse_graph.cli", "--cache-dir", str(cache_dir), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_build_is_cached(built, cache_dir: Path) -> None:
    r = run("build", cache_dir=cache_dir)
    assert r.returncode == 0, r.stderr
    assert "cache hit" in r.stdout and built.version in r.stdout


def test_build_reports_timings(tmp_path: Path) -> None:
    r = run("build", cache_dir=tmp_path)
    assert r.returncode == 0, r.stderr
    for step in ("parsed", "validated", "inferred", "wrote cache"):
        assert step in r.stdout
    assert " s" in r.stdout
    manifest = json.loads(next(tmp_path.glob("*/manifest.json")).read_text())
    assert set(manifest["timings"]) == {"parse", "validate", "reason", "write"}


def test_query_table_csv_json(built, cache_dir: Path) -> None:
    q = f"SELECT ?o WHERE {{ ?o a <{SSE}Objective> }} ORDER BY ?o"
    r = run("query", "-", cache_dir=cache_dir, stdin=q)
    assert r.returncode == 0, r.stderr
    assert "objective/1" in r.stdout and "objective/3" in r.stdout
    r = run("query", "-", "-o", "csv", cache_dir=cache_dir, stdin=q)
    assert r.stdout.splitlines()[0] == "o" and len(r.stdout.splitlines()) == 4
    r = run("query", "-", "-o", "json", cache_dir=cache_dir, stdin=q)
    assert len(json.loads(r.stdout)["results"]["bindings"]) == 3
    r = run("query", "-", cache_dir=cache_dir, stdin=f"CONSTRUCT WHERE {{ ?o a <{SSE}Objective> }}")
    assert "Objective" in r.stdout


def test_errors_are_one_line(built, cache_dir: Path, tmp_path: Path) -> None:
    cases = [
        run("query", "-", cache_dir=cache_dir, stdin="SELECT * WHERE { ?s ?p }"),
        run("query", str(tmp_path / "missing.rq"), cache_dir=cache_dir),
        run("query", "-", cache_dir=cache_dir, stdin="SELECT * { SERVICE <http://x> {} }"),
    ]
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b .\n")
    cases.append(run("validate", str(bad), cache_dir=cache_dir))
    data = tmp_path / "data"
    data.mkdir()
    (data / "bad.ttl").write_text("this is not turtle")
    cases.append(run("--data-dir", str(data), "build", cache_dir=tmp_path / "c"))
    for r in cases:
        assert r.returncode not in (0, 1) or r.returncode == 2, r
        assert r.returncode != 0
        assert "Traceback" not in r.stderr, r.stderr
        lines = [line for line in r.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, r.stderr
        assert lines[0].startswith("sse-graph ")


def test_validate_broken_file_names_node_and_rule(tmp_path: Path, cache_dir: Path) -> None:
    from rdflib import Graph, URIRef

    broken = tmp_path / "broken.ttl"
    plan = Graph().parse(ROOT / "data" / "plan.ttl")
    # the activity 1.1-a loses its conclusion points (sse:implements)
    activity = URIRef("https://w3id.org/sse-kg/id/activity/1.1-a")
    plan.remove((activity, URIRef(SSE + "implements"), None))
    plan.serialize(broken, format="turtle")
    others = [str(p) for p in sorted((ROOT / "data").glob("*.ttl")) if p.name != "plan.ttl"]
    r = run("validate", *others, str(broken), cache_dir=cache_dir)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "activity/1.1-a" in r.stdout and "implements" in r.stdout
    j = run("validate", *others, str(broken), "--format", "json", cache_dir=cache_dir)
    doc = json.loads(j.stdout)
    assert doc["conforms"] is False and doc["results"]
    ok = run("validate", cache_dir=cache_dir)
    assert ok.returncode == 0, ok.stdout
