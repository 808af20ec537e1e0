"""Server-side render time of the web client's pages (not a test; the target is < 100 ms).

Starts ``sse-graph serve`` on a loopback port (as tests/conftest.py does, with a fresh build
cache unless ``--cache-dir`` is given), requests each main page N times in each language, and
prints p50 / p99 of the render time the service reports in its ``Server-Timing: web;dur=``
header (time spent in the web client: its queries and the template), next to the p50 of the
whole round trip seen by the client.

    .venv/bin/python bench/pages.py               # 50 requests per page and language
    .venv/bin/python bench/pages.py -n 200 --url http://127.0.0.1:8000   # a running service
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import start_service

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 100.0

PAGES = [
    "/",
    "/instruments",
    "/matrix",
    "/matrix?objective=2",
    "/matrix.csv",
    "/search?q=R193",
    "/search?q=%E7%BB%9F%E8%AE%A1",  # 统计
    "/search?q=cooperatives",
    "/query",
    "/query?example=activities-implementing-conclusion-point&run=1",
    "/about",
    "/id/strategy/sse-2023-2029",
    "/id/objective/1",
    "/id/output/2.1",
    "/id/activity/2.1-a",
    "/id/activity/1.2-a",
    "/id/instrument/R193",
    "/id/instrument/sse-conclusions",
    "/id/conclusion-point/9n",
    "/id/conclusion-point/9",
    "/id/pb-output/A.1",
    "/id/pb-outcome/4",
    "/id/paragraph/15",
    "/id/paragraph/24",
    "/id/principle/7b",
    "/id/thematic-area/24e",
    "/id/target-group/women",
    "/id/body/ICLS",
    "/id/document/reference-facts",
]

WEB_DUR = re.compile(r"(?:^|,)\s*web;dur=([\d.]+)")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure(url: str, n: int, warmup: int, langs: list[str]) -> list[tuple]:
    rows = []
    with httpx.Client(base_url=url, timeout=30, headers={"Accept": "text/html"}) as client:
        for path in PAGES:
            for lang in langs:
                sep = "&" if "?" in path else "?"
                target = f"{path}{sep}lang={lang}"
                server, total = [], []
                for i in range(warmup + n):
                    t0 = time.perf_counter()
                    r = client.get(target)
                    elapsed = (time.perf_counter() - t0) * 1000
                    if r.status_code != 200:
                        raise SystemExit(f"{target}: HTTP {r.status_code}")
                    m = WEB_DUR.search(r.headers.get("server-timing", ""))
                    if m is None:
                        raise SystemExit(f"{target}: no web;dur in Server-Timing")
                    if i >= warmup:
                        server.append(float(m.group(1)))
                        total.append(elapsed)
                rows.append(
                    (
                        target,
                        statistics.median(server),
                        percentile(server, 99),
                        max(server),
                        statistics.median(total),
                    )
                )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", "--requests", type=int, default=50, help="requests per page and language")
    ap.add_argument("--warmup", type=int, default=3, help="requests per page not counted")
    ap.add_argument("--lang", choices=["en", "zh", "both"], default="both")
    ap.add_argument("--url", help="measure a running service instead of starting one")
    ap.add_argument("--cache-dir", type=Path, help="build cache to use (default: a fresh one)")
    args = ap.parse_args()
    langs = ["en", "zh"] if args.lang == "both" else [args.lang]

    server = None
    tmp = None
    url = args.url
    if url is None:
        if args.cache_dir is None:
            tmp = tempfile.TemporaryDirectory(prefix="sse-bench-")
            cache = Path(tmp.name)
        else:
            cache = args.cache_dir
        print(f"starting the service (build cache {cache}) …", file=sys.stderr)
        server = start_service("sse-graph", cache)
        url = server.url
    try:
        rows = measure(url.rstrip("/"), args.requests, args.warmup, langs)
    finally:
        if server is not None:
            server.stop()
        if tmp is not None:
            tmp.cleanup()

    width = max(len(r[0]) for r in rows)
    print(f"{'page':<{width}}  {'p50 ms':>7}  {'p99 ms':>7}  {'max ms':>7}  {'client p50':>10}")
    for path, p50, p99, worst, client in rows:
        flag = "" if p99 < TARGET_MS else "  ← over target"
        print(f"{path:<{width}}  {p50:7.1f}  {p99:7.1f}  {worst:7.1f}  {client:10.1f}{flag}")
    over = [r for r in rows if r[2] >= TARGET_MS]
    all_p99 = max(r[2] for r in rows)
    print(
        f"\n{len(rows)} pages × {args.requests} requests; worst p99 {all_p99:.1f} ms; "
        f"target < {TARGET_MS:.0f} ms server-side: {'met' if not over else 'NOT met'}"
    )
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main())
