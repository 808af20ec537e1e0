"""``sse-graph``: build, validate, query, serve, export, load (the services behind the API)."""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import sys
import time
from pathlib import Path

from sse_graph import __version__


class CliError(Exception):
    """A failure reported as one line on stderr, exit status 2."""


def _settings(args: argparse.Namespace):
    from sse_graph.settings import Settings

    overrides = {}
    if getattr(args, "store", None):
        overrides["store"] = args.store
    if getattr(args, "cache_dir", None):
        overrides["cache_dir"] = Path(args.cache_dir)
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = Path(args.data_dir)
    return Settings(**overrides)


def cmd_build(args: argparse.Namespace) -> int:
    from sse_graph.build import build

    settings = _settings(args)
    t0 = time.perf_counter()
    built = build(settings, force=args.force, log=lambda m: print(m, flush=True))
    total = time.perf_counter() - t0
    counts = built.manifest["counts"]
    print(
        f"version {built.version}: {counts['asserted']} asserted + {counts['inferred']} "
        f"inferred triples; total {total:.2f} s"
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from sse_graph import validation
    from sse_graph.build import parse_files, shapes_file, source_files

    settings = _settings(args)
    files = [Path(f) for f in args.files] if args.files else source_files(settings)
    if args.files:
        # a data file is validated together with the ontology, as it would be built
        onto = [p for p in source_files(settings) if p.parent == settings.ontology_dir]
        files = onto + [f for f in files if f.resolve() not in {o.resolve() for o in onto}]
    graph = parse_files(files)
    result = validation.validate(graph, parse_files([shapes_file(settings)]))
    if args.format == "turtle":
        sys.stdout.write(result.report_graph.serialize(format="turtle"))
    elif args.format == "json":
        print(
            json.dumps(
                {"conforms": result.conforms, "results": result.to_json()},
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(result.text() if not result.conforms else f"conforms: {len(files)} files")
    return 0 if result.conforms else 1


def _read_query(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.exists():
        raise CliError(f"{source}: no such file")
    return path.read_text("utf-8")


def cmd_query(args: argparse.Namespace) -> int:
    from sse_graph.errors import ApiError
    from sse_graph.metrics import Metrics
    from sse_graph.namespaces import SERVED_GRAPHS
    from sse_graph.queries import QueryFileError, parse_query_file
    from sse_graph.sparql.guard import GuardError, check
    from sse_graph.sparql.protocol import SparqlService
    from sse_graph.store import open_store

    settings = _settings(args)
    text = _read_query(args.file)
    bindings = None
    if args.file != "-":
        # a curated file's declared parameters take their defaults, as in /queries/{name}
        try:
            curated = parse_query_file(Path(args.file))
        except QueryFileError:
            if args.param:
                raise
            curated = None
        if curated is not None:
            supplied = dict(p.split("=", 1) for p in args.param if "=" in p)
            bindings = curated.bindings(supplied)
    elif args.param:
        raise CliError("--param needs a curated .rq file with a header declaring parameters")
    try:
        form = check(text, served_graphs=SERVED_GRAPHS, max_bytes=1 << 20).form
    except GuardError as exc:
        raise CliError(str(exc)) from None
    graph_outputs = ("ttl", "nt", "jsonld", "rdf", "nq", "trig")
    if form in ("CONSTRUCT", "DESCRIBE"):
        fmt = args.output if args.output in graph_outputs else "ttl"
    else:
        fmt = "json" if args.output in ("table", *graph_outputs) else args.output
    # one query: one worker, and no response cache to fill
    settings = settings.model_copy(update={"query_workers": 1, "response_cache": False})

    async def run():
        store = open_store(settings)
        await store.start()
        try:
            service = SparqlService(store, settings, Metrics())
            outcome = await service.query(text, fmt=fmt, bindings=bindings, max_bytes=1 << 20)
            return outcome.response
        except ApiError as exc:
            raise CliError(exc.message) from None
        finally:
            await store.close()

    response = asyncio.run(run())
    if form in ("CONSTRUCT", "DESCRIBE") or args.output != "table":
        sys.stdout.buffer.write(response.body)
        return 0
    doc = json.loads(response.body)
    if "boolean" in doc:
        print("true" if doc["boolean"] else "false")
        return 0
    _print_table(doc["head"]["vars"], doc["results"]["bindings"])
    if response.truncated:
        print(f"(truncated at {response.limit} rows)", file=sys.stderr)
    return 0


def _cell(term: dict | None) -> str:
    if term is None:
        return ""
    if term["type"] == "literal" and "xml:lang" in term:
        return f"{term['value']}@{term['xml:lang']}"
    return term["value"]


def _print_table(variables: list[str], rows: list[dict]) -> None:
    cells = [[_cell(r.get(v)).replace("\n", " ") for v in variables] for r in rows]
    widths = [min(60, max([len(v), *(len(c[i]) for c in cells)])) for i, v in enumerate(variables)]
    out = csv.writer(sys.stdout, delimiter="\t") if not sys.stdout.isatty() else None
    if out is not None:
        out.writerow(variables)
        out.writerows(cells)
        return
    print("  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for c in cells:
        print("  ".join(x[:w].ljust(w) for x, w in zip(c, widths, strict=True)))
    print(f"({len(cells)} rows)")


def cmd_serve(args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from sse_graph.build import ensure_built

    settings = _settings(args)
    host = args.host or settings.host
    port = args.port or settings.port
    if args.store:
        os.environ["SSE_GRAPH_STORE"] = args.store
    if args.cache_dir:
        os.environ["SSE_GRAPH_CACHE_DIR"] = str(args.cache_dir)
    if args.query_workers:
        os.environ["SSE_GRAPH_QUERY_WORKERS"] = str(args.query_workers)
    if settings.embedded:
        built = ensure_built(settings, log=lambda m: print(m, file=sys.stderr, flush=True))
        print(
            f"serving version {built.version} on http://{host}:{port}/",
            file=sys.stderr,
            flush=True,
        )
    uvicorn.run(
        "sse_graph.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=args.workers,
        log_level=args.log_level,
        log_config=_log_config(args.log_level),
        access_log=False,  # ours is structured: one JSON object per request
        proxy_headers=False,
    )
    return 0


def _log_config(level: str) -> dict:
    """uvicorn's logging plus ``sse_graph.access``: one JSON line per request on stdout."""
    lvl = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "json": {"format": "%(message)s"},
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": lvl, "propagate": False},
            "sse_graph": {"handlers": ["stderr"], "level": lvl, "propagate": False},
            "sse_graph.access": {"handlers": ["access"], "level": lvl, "propagate": False},
        },
    }


def cmd_export(args: argparse.Namespace) -> int:
    from sse_graph.export import export_to_directory

    settings = _settings(args)
    written = export_to_directory(settings, Path(args.directory))
    for path in written:
        print(path)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from sse_graph.store.remote import load_into_store

    settings = _settings(args)
    if settings.embedded:
        raise CliError("load needs --store URL (or SSE_GRAPH_STORE) naming a remote store")
    report = load_into_store(settings, log=lambda m: print(m, flush=True))
    print(json.dumps(report, indent=2))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sse-graph", description=__doc__)
    p.add_argument("--version", action="version", version=f"sse-graph {__version__}")
    p.add_argument("--cache-dir", help="build cache folder (default: $SSE_GRAPH_CACHE_DIR)")
    p.add_argument("--data-dir", help="instance data folder (default: the embedded data/)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="parse, validate, reason and write the cache")
    b.add_argument("--force", action="store_true", help="rebuild even if the cache is warm")
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="SHACL report; exit 1 on violations")
    v.add_argument("files", nargs="*", help="Turtle files (default: the whole graph)")
    v.add_argument("--format", choices=["text", "turtle", "json"], default="text")
    v.set_defaults(func=cmd_validate)

    q = sub.add_parser("query", help="run a SPARQL query (FILE.rq or - for stdin)")
    q.add_argument("file")
    q.add_argument(
        "--output",
        "-o",
        default="table",
        choices=["table", "json", "csv", "tsv", "ttl", "nt", "jsonld", "rdf", "nq", "trig"],
    )
    q.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        help="NAME=VALUE for a curated query's declared parameter",
    )
    q.add_argument("--store", help="remote store URL instead of the embedded graph")
    q.set_defaults(func=cmd_query)

    s = sub.add_parser("serve", help="start the HTTP service")
    s.add_argument("--host", help="address to bind (default: $SSE_GRAPH_HOST or 127.0.0.1)")
    s.add_argument("--port", type=int, help="port (default: $SSE_GRAPH_PORT or 8000)")
    s.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    s.add_argument(
        "--query-workers",
        type=int,
        default=0,
        help="query worker processes per service process (default: settings)",
    )
    s.add_argument("--store", help="remote store URL (default: embedded)")
    s.add_argument("--log-level", default="info")
    s.set_defaults(func=cmd_serve)

    e = sub.add_parser("export", help="write the dumps, checksums and catalogue to DIR")
    e.add_argument("directory")
    e.set_defaults(func=cmd_export)

    ld = sub.add_parser("load", help="push the asserted and inferred graphs into a remote store")
    ld.add_argument("--store", required=False)
    ld.set_defaults(func=cmd_load)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    from sse_graph.build import BuildError
    from sse_graph.errors import ApiError
    from sse_graph.queries import QueryFileError

    try:
        return args.func(args)
    except (CliError, BuildError, QueryFileError) as exc:
        print(f"sse-graph {args.command}: {exc}", file=sys.stderr)
        return 2
    except ApiError as exc:
        print(f"sse-graph {args.command}: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        print(
            f"sse-graph {args.command}: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "),
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    sys.exit(main())
