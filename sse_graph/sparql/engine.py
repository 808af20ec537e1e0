"""Run one query on a pyoxigraph store and serialize it: the code a worker process executes.

Kept free of asyncio and HTTP so it runs the same in a worker, in the CLI and in benchmarks.
"""

from __future__ import annotations

import re
import time
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from sse_graph.namespaces import SERIALIZATION_PREFIXES
from sse_graph.sparql import results

_POSITION = re.compile(r"error at (\d+):(\d+): ?(.*)", re.S)


class EngineQueryError(Exception):
    def __init__(self, message: str, line: int | None, column: int | None):
        super().__init__(message)
        self.line = line
        self.column = column


def load_store(paths: list[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    return store


def run(
    store: ox.Store,
    query: str,
    media_type: str,
    max_rows: int,
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
    query_dataset: bool = False,
) -> tuple[str, bytes, int, bool, float]:
    """Return (form, body, count, truncated, seconds). Raise EngineQueryError for bad queries.

    The dataset: the protocol's graphs when given; else the query's own FROM/FROM NAMED
    (``query_dataset``); else the union of all graphs as the default graph.
    """
    kwargs: dict = {}
    if default_graphs or named_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs] or ox.DefaultGraph()
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    elif not query_dataset:
        kwargs["use_default_graph_as_union"] = True
    t0 = time.perf_counter()
    try:
        res = store.query(query, **kwargs)
        if isinstance(res, ox.QueryBoolean):
            return "ASK", results.boolean(bool(res), media_type), 1, False, time.perf_counter() - t0
        if isinstance(res, ox.QuerySolutions):
            variables = [v.value for v in res.variables]
            rows = [[sol[i] for i in range(len(variables))] for sol in islice(res, max_rows + 1)]
            truncated = len(rows) > max_rows
            rows = rows[:max_rows]
            writer = results.SOLUTION_WRITERS[media_type]
            body = writer(variables, rows, truncated, max_rows)
            return "SELECT", body, len(rows), truncated, time.perf_counter() - t0
        triples = list(islice(res, max_rows + 1))
        truncated = len(triples) > max_rows
        triples = triples[:max_rows]
        body = results.triples(triples, media_type, SERIALIZATION_PREFIXES)
        return "CONSTRUCT", body, len(triples), truncated, time.perf_counter() - t0
    except SyntaxError as exc:
        m = _POSITION.match(str(exc))
        if m:
            raise EngineQueryError(
                f"syntax error at line {m.group(1)}, column {m.group(2)}: {m.group(3)}",
                int(m.group(1)),
                int(m.group(2)),
            ) from None
        raise EngineQueryError(f"syntax error: {exc}", None, None) from None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise EngineQueryError(f"query evaluation failed: {exc}", None, None) from None
