"""Benchmark: every curated query over HTTP, the service against the Oxigraph server, one run.

    python bench/sparql.py [--seconds 0.8] [--count 200] [--only NAME,...]

Targets (issue 3 section 7, and issue 6 for remote mode), all over loopback in the same run:

- service, embedded store, response cache on    (one uvicorn worker, 2 query workers)
- service, embedded store, response cache off   (SSE_GRAPH_RESPONSE_CACHE=false)
- service, remote store, cache off               (SSE_GRAPH_STORE = the on-disk server below)
- Oxigraph server on disk   (`oxigraph load --location DIR`, then `oxigraph serve --location DIR`)
- Oxigraph server in memory (`oxigraph serve`, N-Quads POSTed to /store)

Each curated query runs with its default parameters joined in as an inline VALUES block (the
text a partner would send); the Oxigraph servers get the same protocol dataset the remote store
sends (both graphs as default and named graphs). For each: p50/p99 latency at concurrency 1
and req/s at concurrency 16. Then the ratios, geometric means over the queries, the issue's
targets, and how fast a worker is free again after a timed-out query. Prints figures only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    Figures,
    Server,
    curated_queries,
    fmt,
    geomean,
    machine,
    measure,
    servers,
    sse_graph,
    start_oxigraph_disk,
    start_oxigraph_memory,
    start_service,
    table,
    temp_dir,
)

CARTESIAN = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . "
    "?p ?q ?r }"
)
SHORT = {
    "on": "cache on",
    "off": "cache off",
    "remote": "remote",
    "disk": "ox disk",
    "mem": "ox mem",
}


def timed_out_worker(server: Server, limit: float = 1.0) -> dict[str, float]:
    """Send a 6-way cartesian product with ``timeout=limit``, then at once an ASK.

    Returns when the ASK sent 50 ms later answered (seconds after the cartesian was sent), when
    the cartesian got its 504, and the latency of an ASK sent right after that 504.
    """
    out: dict[str, float] = {}
    t0 = time.perf_counter()

    def heavy() -> None:
        r = httpx.get(
            server.url + "/sparql", params={"query": CARTESIAN, "timeout": str(limit)}, timeout=60
        )
        out["limit_answer_s"] = time.perf_counter() - t0
        out["limit_status"] = r.status_code

    thread = threading.Thread(target=heavy)
    thread.start()
    time.sleep(0.05)
    r = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s a ?c }"}, timeout=60)
    out["ask_answer_s"] = time.perf_counter() - t0
    out["ask_status"] = r.status_code
    thread.join()
    t1 = time.perf_counter()
    r = httpx.get(server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    out["ask_after_ms"] = (time.perf_counter() - t1) * 1000
    out["ask_after_status"] = r.status_code
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=0.8, help="time per measurement (c1, c16)")
    ap.add_argument("--count", type=int, default=200, help="max requests at concurrency 1")
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--only", help="comma-separated curated query names")
    ap.add_argument("--no-remote", action="store_true", help="skip the remote-mode service")
    ap.add_argument(
        "--remote-query-workers",
        type=int,
        default=0,
        help="SSE_GRAPH_QUERY_WORKERS for the remote-mode service (in-flight store requests; "
        "default: the service default, as for the embedded ones)",
    )
    args = ap.parse_args(argv)

    queries = curated_queries(args.only.split(",") if args.only else None)
    if not queries:
        print("no curated queries found in queries/", file=sys.stderr)
        return 1
    work = temp_dir("sse-bench-")
    cache = work / "cache"
    print(f"# bench/sparql.py — {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"machine: {machine()}")
    t_start = time.perf_counter()
    sse_graph("build", env={"SSE_GRAPH_CACHE_DIR": str(cache)}, stdout=sys.stderr)
    from sse_graph.build import build
    from sse_graph.settings import Settings

    built = build(Settings(cache_dir=cache), log=lambda *_: None)
    files = [built.asserted_path, built.inferred_path]
    print(
        f"graph: version {built.version}, {sum(built.manifest['counts'].values())} triples; "
        f"{len(queries)} curated queries; {args.seconds:g} s per measurement, "
        f"c1 ≤ {args.count} requests, c{args.concurrency} req/s"
    )

    with servers() as started:
        targets: dict[str, Server] = {}
        targets["on"] = start_service("cache on", cache)
        started.append(targets["on"])
        targets["off"] = start_service("cache off", cache, {"SSE_GRAPH_RESPONSE_CACHE": "false"})
        started.append(targets["off"])
        disk = start_oxigraph_disk("ox disk", work / "oxigraph", files)
        started.append(disk)
        if not args.no_remote:
            # the loader adds the version metadata the remote store reads (graphs replaced as-is)
            sse_graph(
                "load",
                "--store",
                disk.url,
                env={"SSE_GRAPH_CACHE_DIR": str(cache)},
                stdout=subprocess_devnull(),
            )
            env = {"SSE_GRAPH_STORE": disk.url, "SSE_GRAPH_RESPONSE_CACHE": "false"}
            if args.remote_query_workers:
                env["SSE_GRAPH_QUERY_WORKERS"] = str(args.remote_query_workers)
            targets["remote"] = start_service("remote", cache, env)
            started.append(targets["remote"])
        targets["disk"] = disk
        targets["mem"] = start_oxigraph_memory("ox mem", files)
        started.append(targets["mem"])
        print(f"servers up in {time.perf_counter() - t_start:.1f} s\n")

        results: dict[str, dict[str, Figures]] = {}
        for name, text in queries.items():
            results[name] = {}
            for key, server in targets.items():
                results[name][key] = measure(
                    server,
                    text,
                    count=args.count,
                    seconds=args.seconds,
                    concurrency=args.concurrency,
                    throughput_seconds=args.seconds,
                )
            print(f"  measured {name}", file=sys.stderr, flush=True)

        keys = list(targets)
        print("## p50 / p99 latency at concurrency 1 (ms)\n")
        rows = [
            [name] + [f"{fmt(f[k].p50_ms)} / {fmt(f[k].p99_ms)}" for k in keys]
            for name, f in results.items()
        ]
        rows.append(
            ["geometric mean p50"]
            + [fmt(geomean([f[k].p50_ms for f in results.values()])) for k in keys]
        )
        print(table(["query"] + [SHORT[k] for k in keys], rows))

        print(f"\n## req/s at concurrency {args.concurrency}\n")
        rows = [[name] + [fmt(f[k].rps, 0) for k in keys] for name, f in results.items()]
        rows.append(
            ["geometric mean"]
            + [fmt(geomean([f[k].rps for f in results.values()]), 0) for k in keys]
        )
        print(table(["query"] + [SHORT[k] for k in keys], rows))

        ratios = [("off", "disk"), ("on", "disk"), ("on", "mem"), ("disk", "mem")]
        if "remote" in keys:
            ratios += [("remote", "disk"), ("remote", "off")]
        print(f"\n## req/s ratios at concurrency {args.concurrency}\n")
        rows = [
            [name] + [fmt(f[a].rps / f[b].rps if f[b].rps else float("nan")) for a, b in ratios]
            for name, f in results.items()
        ]
        gm = {
            (a, b): geomean([f[a].rps / f[b].rps for f in results.values() if f[b].rps])
            for a, b in ratios
        }
        rows.append(["geometric mean"] + [fmt(gm[r]) for r in ratios])
        print(table(["query"] + [f"{SHORT[a]}/{SHORT[b]}" for a, b in ratios], rows))

        errors = {(n, k): f[k].errors for n, f in results.items() for k in keys if f[k].errors}
        if errors:
            print(f"\nnon-200 answers: {errors}")

        print("\n## timed-out query (6-way cartesian product, timeout=1 s), then ASK\n")
        rows = []
        for key in ("off", "remote"):
            if key not in targets:
                continue
            t = timed_out_worker(targets[key])
            rows.append(
                [
                    SHORT[key],
                    f"{t['limit_status']} after {t['limit_answer_s']:.2f} s",
                    f"{t['ask_status']} after {t['ask_answer_s']:.2f} s",
                    f"{max(0.0, t['ask_answer_s'] - 1.0):.2f} s",
                    f"{t['ask_after_status']} in {t['ask_after_ms']:.1f} ms",
                ]
            )
        print(
            table(
                [
                    "service",
                    "cartesian",
                    "ASK sent at +0.05 s",
                    "ASK after the limit",
                    "ASK right after the 504",
                ],
                rows,
            )
        )

        print("\n## targets (issue 3 section 7), geometric means over the curated queries\n")
        worst = max(results.items(), key=lambda kv: kv[1]["off"].p50_ms)
        p50_gm = geomean([f["off"].p50_ms for f in results.values()])
        print(
            f"- p50 < 5 ms for every curated query, cache off: worst {worst[0]} "
            f"{fmt(worst[1]['off'].p50_ms)} ms, geometric mean {fmt(p50_gm)} ms "
            f"→ {'met' if worst[1]['off'].p50_ms < 5 else 'NOT met'}"
        )
        print(
            f"- cache off ≥ ½ on-disk Oxigraph req/s: {fmt(gm[('off', 'disk')])}× "
            f"→ {'met' if gm[('off', 'disk')] >= 0.5 else 'NOT met'}"
        )
        print(
            f"- cache on ≥ on-disk Oxigraph req/s: {fmt(gm[('on', 'disk')])}× "
            f"→ {'met' if gm[('on', 'disk')] >= 1 else 'NOT met'}; "
            f"vs in-memory Oxigraph: {fmt(gm[('on', 'mem')])}×"
        )
        if "remote" in keys:
            print(
                f"- remote mode (cache off) vs the same on-disk server queried directly: "
                f"{fmt(gm[('remote', 'disk')])}× its req/s"
            )
        print(f"\ntotal {time.perf_counter() - t_start:.0f} s")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def subprocess_devnull():
    import subprocess

    return subprocess.DEVNULL


if __name__ == "__main__":
    sys.exit(main())
