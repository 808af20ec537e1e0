"""Benchmark: how query latency grows with the graph, embedded and remote, at 1×, 10×, 100×.

    python bench/scale.py [--factors 1,10,100] [--seconds 0.5] [--only NAME,...]

The synthetic graph is this plan replicated for many country programmes: copy k (k ≥ 1) of
every asserted and inferred triple that mentions an instance IRI (``…/id/…``, except the graph
IRIs) gets those IRIs suffixed with ``~cpK``; ontology and vocabulary triples are kept once.
Copy 0 is the real plan, so a curated query's default parameters still select one plan's rows
(selective queries should stay flat) while scans and counts grow with the size.

The embedded service is given the synthetic graph as a prepared build cache (a data folder
with a marker file gives it its own cache key), so nothing is re-reasoned; the remote service
runs over an on-disk Oxigraph server loaded with ``sse-graph load``. Both with the response
cache off, one uvicorn worker, p50 at concurrency 1. Prints figures only.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    ROOT,
    curated_queries,
    fmt,
    geomean,
    machine,
    measure,
    servers,
    sse_graph,
    start_oxigraph_disk,
    start_service,
    table,
    temp_dir,
)

INSTANCE = "https://w3id.org/sse-kg/id/"
GRAPHS = INSTANCE + "graph/"


def _is_instance(term) -> bool:
    return (
        isinstance(term, ox.NamedNode)
        and term.value.startswith(INSTANCE)
        and not term.value.startswith(GRAPHS)
    )


def _copy(term, k: int):
    if _is_instance(term):
        return ox.NamedNode(f"{term.value}~cp{k}")
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(f"cp{k}{term.value}")
    return term


def replicate(source: Path, target: Path, factor: int) -> int:
    """Write ``factor`` copies of the instance quads of ``source`` (N-Quads); return the count."""
    quads = list(ox.parse(path=str(source), format=ox.RdfFormat.N_QUADS))
    instance = [q for q in quads if _is_instance(q.subject) or _is_instance(q.object)]
    out = set(quads)
    for k in range(1, factor):
        for q in instance:
            out.add(ox.Quad(_copy(q.subject, k), q.predicate, _copy(q.object, k), q.graph_name))
    ox.serialize(sorted(out, key=str), output=str(target), format=ox.RdfFormat.N_QUADS)
    return len(out)


def prepare(work: Path, base_cache: Path, factor: int) -> tuple[dict[str, str], int]:
    """A data folder and a build cache holding the graph replicated ``factor`` times.

    Returns the environment that makes ``sse-graph`` use them, and the number of triples.
    """
    from sse_graph.build import build, cache_key
    from sse_graph.settings import Settings

    real = build(Settings(cache_dir=base_cache), log=lambda *_: None)
    if factor == 1:
        return {"SSE_GRAPH_CACHE_DIR": str(base_cache)}, sum(real.manifest["counts"].values())
    data = work / f"data-x{factor}"
    data.mkdir()
    for ttl in (ROOT / "data").glob("*.ttl"):
        shutil.copy(ttl, data / ttl.name)
    (data / "zz-synthetic-scale.ttl").write_text(
        f"# synthetic benchmark graph: the plan replicated {factor} times (bench/scale.py)\n"
    )
    cache = work / f"cache-x{factor}"
    settings = Settings(cache_dir=cache, data_dir=data)
    key = cache_key(settings)
    target = cache / key[:32]
    target.mkdir(parents=True)
    counts = {
        "asserted": replicate(real.asserted_path, target / "asserted.nq", factor),
        "inferred": replicate(real.inferred_path, target / "inferred.nq", factor),
    }
    manifest = {
        "key": key,
        "version": key[:16],
        "software": real.manifest["software"] + f" (bench/scale.py ×{factor})",
        "built": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "counts": counts,
        "inputs": [],
        "timings": {},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return {"SSE_GRAPH_CACHE_DIR": str(cache), "SSE_GRAPH_DATA_DIR": str(data)}, sum(
        counts.values()
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--factors", default="1,10,100")
    ap.add_argument("--seconds", type=float, default=0.5, help="time per measurement")
    ap.add_argument("--count", type=int, default=50, help="max requests per measurement")
    ap.add_argument("--only", help="comma-separated curated query names")
    args = ap.parse_args(argv)

    factors = [int(f) for f in args.factors.split(",")]
    queries = curated_queries(args.only.split(",") if args.only else None)
    work = temp_dir("sse-scale-")
    base_cache = work / "cache"
    t_start = time.perf_counter()
    print(f"# bench/scale.py — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine: {machine()}")
    sse_graph("build", env={"SSE_GRAPH_CACHE_DIR": str(base_cache)}, capture_output=True)

    sizes: dict[int, int] = {}
    p50: dict[tuple[int, str], dict[str, float]] = {}
    statuses: dict[tuple[int, str, str], str] = {}
    setup: dict[int, str] = {}
    for factor in factors:
        t0 = time.perf_counter()
        env, sizes[factor] = prepare(work, base_cache, factor)
        t_prep = time.perf_counter() - t0
        with servers() as started:
            t0 = time.perf_counter()
            emb = start_service(
                f"embedded ×{factor}",
                Path(env["SSE_GRAPH_CACHE_DIR"]),
                {**env, "SSE_GRAPH_RESPONSE_CACHE": "false"},
            )
            started.append(emb)
            t_emb = time.perf_counter() - t0
            t0 = time.perf_counter()
            store = start_oxigraph_disk(f"oxigraph ×{factor}", work / f"oxigraph-x{factor}", [])
            started.append(store)
            sse_graph("load", "--store", store.url, env=env, capture_output=True)
            rem = start_service(
                f"remote ×{factor}",
                Path(env["SSE_GRAPH_CACHE_DIR"]),
                {**env, "SSE_GRAPH_RESPONSE_CACHE": "false", "SSE_GRAPH_STORE": store.url},
            )
            started.append(rem)
            t_rem = time.perf_counter() - t0
            setup[factor] = (
                f"×{factor}: {sizes[factor]:,} triples; synthetic cache {t_prep:.1f} s, "
                f"embedded service ready in {t_emb:.1f} s, store loaded + remote service "
                f"ready in {t_rem:.1f} s"
            )
            print(setup[factor], file=sys.stderr, flush=True)
            for mode, server in (("embedded", emb), ("remote", rem)):
                for name, text in queries.items():
                    fig = measure(
                        server,
                        text,
                        count=args.count,
                        seconds=args.seconds,
                        concurrency=0,
                        throughput_seconds=0,
                        min_samples=1,
                    )
                    p50.setdefault((factor, mode), {})[name] = fig.p50_ms
                    if fig.status != "ok":
                        statuses[(factor, mode, name)] = fig.status

    print()
    for factor in factors:
        print(f"- {setup[factor]}")
    modes = ("embedded", "remote")
    cols = [(f, m) for m in modes for f in factors]
    headers = ["query"] + [f"{m} ×{f}" for f, m in cols]
    print("\n## p50 latency at concurrency 1 (ms), response cache off\n")
    rows = []
    for name in queries:
        rows.append(
            [name] + [statuses.get((f, m, name)) or fmt(p50[(f, m)][name]) for f, m in cols]
        )
    rows.append(["geometric mean"] + [fmt(geomean(list(p50[(f, m)].values()))) for f, m in cols])
    print(table(headers, rows))
    if len(factors) > 1:
        base = factors[0]
        print(f"\n## growth of the geometric-mean p50 relative to ×{base}\n")
        rows = []
        for m in modes:
            g0 = geomean(list(p50[(base, m)].values()))
            rows.append(
                [m] + [f"{fmt(geomean(list(p50[(f, m)].values())) / g0)}×" for f in factors]
            )
        print(table(["mode"] + [f"×{f} ({sizes[f]:,} triples)" for f in factors], rows))
    print(f"\ntotal {time.perf_counter() - t_start:.0f} s")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
