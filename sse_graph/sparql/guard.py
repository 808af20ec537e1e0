"""A cheap lexical pre-check that runs before any SPARQL parser sees the text.

Why lexical: pyoxigraph's parser crashes the whole process on a few thousand nested groups, so
depth has to be measured without parsing. The same pass finds the query form and every keyword
that would make the service write, fetch or read files (updates, LOAD, SERVICE, FROM <elsewhere>).
Strings, IRIs and comments are skipped properly, so ``"SERVICE"`` in a literal or ``ex:load`` as a
prefixed name are not mistaken for keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)

_IRI = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_WORD = re.compile(r"[^\W\d][\w\-.]*(?::[\w\-.:%\\]*)?|:[\w\-.:%\\]*", re.UNICODE)
_VAR = re.compile(r"[?$][\w]+", re.UNICODE)
_STRINGS = (
    re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""', re.S),
    re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''", re.S),
    re.compile(r'"(?:[^"\\\n\r]|\\.)*"'),
    re.compile(r"'(?:[^'\\\n\r]|\\.)*'"),
)


class GuardError(Exception):
    """The query is refused before parsing. ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, error: str, message: str):
        self.status = status
        self.error = error
        super().__init__(message)


@dataclass(frozen=True)
class Checked:
    """What the lexical pass learnt about a query that may be run."""

    form: str  # SELECT | ASK | CONSTRUCT | DESCRIBE
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    #: offset just inside the top-level WHERE group's "{" (where bound values are joined in)
    where_body: int | None = None


def check(
    query: str,
    *,
    served_graphs: tuple[str, ...],
    max_bytes: int = 32_768,
    max_depth: int = 64,
) -> Checked:
    """Reject what must never run; return the query form and any FROM graphs."""
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise GuardError(
            414, "query_too_long", f"the query is {size} bytes; the limit is {max_bytes} bytes"
        )
    if "\x00" in query:
        raise GuardError(400, "bad_query", "the query contains a NUL character")

    form: str | None = None
    prefixes: dict[str, str] = {}
    base: str | None = None
    from_graphs: list[str] = []
    from_named: list[str] = []
    depth = 0
    pending: list[str] = []  # keywords whose operand we are waiting for (PREFIX, BASE, FROM)
    prefix_name: str | None = None
    saw_where = False
    where_body: int | None = None

    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
            continue
        if c == "#":
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        if c in "\"'":
            for pattern in _STRINGS:
                m = pattern.match(query, i)
                if m:
                    i = m.end()
                    break
            else:
                raise GuardError(400, "bad_query", f"unterminated string at offset {i}")
            pending.clear()
            continue
        if c == "<":
            m = _IRI.match(query, i)
            if m:
                iri = m.group(1)
                _operand(iri, pending, prefixes, prefix_name, from_graphs, from_named, base)
                if pending and pending[-1] == "BASE":
                    base = iri if base is None else urljoin(base, iri)
                pending.clear()
                prefix_name = None
                i = m.end()
                continue
            i += 1
            continue
        if c in "{([":
            if (
                c == "{"
                and depth == 0
                and where_body is None
                and form is not None
                and (saw_where or form != "CONSTRUCT")
            ):
                where_body = i + 1
            depth += 1
            if depth > max_depth:
                raise GuardError(
                    400,
                    "query_too_deep",
                    f"the query nests groups more than {max_depth} levels deep",
                )
            i += 1
            pending.clear()
            continue
        if c in "})]":
            depth = max(0, depth - 1)
            i += 1
            pending.clear()
            continue
        if c in "?$":
            m = _VAR.match(query, i)
            i = m.end() if m else i + 1
            pending.clear()
            continue
        m = _WORD.match(query, i)
        if m:
            word = m.group(0)
            i = m.end()
            if ":" in word:
                if pending and pending[-1] == "PREFIX" and word.endswith(":"):
                    prefix_name = word[:-1]
                    continue
                if pending and pending[-1] in ("FROM", "NAMED"):
                    pfx, _, local = word.partition(":")
                    if pfx not in prefixes:
                        raise GuardError(400, "bad_query", f"undeclared prefix in {word!r}")
                    _operand(
                        prefixes[pfx] + local,
                        pending,
                        prefixes,
                        None,
                        from_graphs,
                        from_named,
                        base,
                    )
                pending.clear()
                continue
            upper = word.upper()
            if upper == "SERVICE":
                raise GuardError(
                    400,
                    "service_not_allowed",
                    "SERVICE is not allowed: this endpoint never sends requests to other services",
                )
            if upper in UPDATE_KEYWORDS:
                raise GuardError(
                    400,
                    "update_not_allowed",
                    f"{upper} is an update operation; this endpoint is read-only "
                    "(updates are refused; the graph is loaded with the sse-graph CLI)",
                )
            if form is None and upper in QUERY_FORMS:
                form = upper
            if upper == "WHERE" and depth == 0:
                saw_where = True
            if upper in ("PREFIX", "BASE", "FROM"):
                pending[:] = [upper]
            elif upper == "NAMED" and pending == ["FROM"]:
                pending.append("NAMED")
            else:
                pending.clear()
            continue
        i += 1
        pending.clear()

    if form is None:
        raise GuardError(
            400, "bad_query", "not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE"
        )
    for iri in (*from_graphs, *from_named):
        if iri not in served_graphs:
            raise GuardError(
                400,
                "graph_not_served",
                f"FROM <{iri}>: this endpoint never fetches or reads graphs; "
                f"the graphs it holds are {', '.join('<' + g + '>' for g in served_graphs)}",
            )
    return Checked(form, tuple(from_graphs), tuple(from_named), where_body)


def bind_values(query: str, checked: Checked, bindings: dict[str, str]) -> str:
    """Join bound values into the top-level WHERE group as an inline ``VALUES`` block.

    ``bindings`` maps variable names to terms already written in N-Triples syntax from parsed
    values (``sse_graph.sparql.results.nt_terms``), so a value can never escape its term. Placing
    the block first in the WHERE group (rather than after the query) makes the variable bound
    for every FILTER and aggregate in that group, in every store.
    """
    if not bindings:
        return query
    if checked.where_body is None:
        raise GuardError(400, "bad_query", "this query has no WHERE clause to bind values into")
    for name in bindings:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise GuardError(400, "bad_parameter", f"bad variable name {name!r}")
    names = " ".join(f"?{n}" for n in bindings)
    terms = " ".join(bindings.values())
    block = f" VALUES ({names}) {{ ({terms}) }} "
    return query[: checked.where_body] + block + query[checked.where_body :]


def _operand(
    iri: str,
    pending: list[str],
    prefixes: dict[str, str],
    prefix_name: str | None,
    from_graphs: list[str],
    from_named: list[str],
    base: str | None,
) -> None:
    if not pending:
        return
    if pending[-1] == "PREFIX" and prefix_name is not None:
        prefixes[prefix_name] = urljoin(base, iri) if base else iri
    elif pending[-1] == "FROM":
        from_graphs.append(urljoin(base, iri) if base else iri)
    elif pending[-1] == "NAMED":
        from_named.append(urljoin(base, iri) if base else iri)
