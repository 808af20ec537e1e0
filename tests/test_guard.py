"""The lexical guard: what it must refuse, and what it must not mistake for a keyword."""

from __future__ import annotations

import pytest

from sse_graph.sparql.guard import GuardError, check

SERVED = ("https://w3id.org/sse-kg/id/graph/asserted", "https://w3id.org/sse-kg/id/graph/inferred")


def ok(q: str, **kw):
    return check(q, served_graphs=SERVED, **kw)


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("ask {}", "ASK"),
        ("PREFIX s: <http://x/> CONSTRUCT { ?s s:p ?o } WHERE { ?s s:p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x>", "DESCRIBE"),
        ("# SELECT in a comment\nASK { ?s ?p ?o }", "ASK"),
        ('SELECT * WHERE { ?s ?p "SERVICE LOAD DROP INSERT" }', "SELECT"),
        ("SELECT * WHERE { ?s ?p '''multi\nline DELETE''' }", "SELECT"),
        ("PREFIX ex: <http://x/> SELECT * WHERE { ?s ex:load ex:service }", "SELECT"),
        ("SELECT ?drop ?insert WHERE { ?drop ?insert ?service }", "SELECT"),
        ("SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }", "SELECT"),
        ("SELECT * WHERE { ?s <http://x/#SERVICE> ?o }", "SELECT"),
        ("SELECT (COUNT(*) AS ?n) { { SELECT ?s { ?s ?p ?o } } }", "SELECT"),
    ],
)
def test_accepts(query: str, form: str) -> None:
    assert ok(query).form == form


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("SELECT * { SERVICE <http://x> { ?s ?p ?o } }", "service_not_allowed"),
        ("SELECT * { SeRvIcE SILENT <http://x> { ?s ?p ?o } }", "service_not_allowed"),
        ("INSERT DATA { <a:a> <a:b> <a:c> }", "update_not_allowed"),
        ("LOAD <http://x>", "update_not_allowed"),
        ("CLEAR ALL", "update_not_allowed"),
        ("SELECT * FROM <http://example.org/> { ?s ?p ?o }", "graph_not_served"),
        (
            "PREFIX e: <http://example.org/> SELECT * FROM NAMED e:g { ?s ?p ?o }",
            "graph_not_served",
        ),
        ("BASE <file:///etc/> SELECT * FROM <passwd> { ?s ?p ?o }", "graph_not_served"),
        ("SELECT * FROM e:g { ?s ?p ?o }", "bad_query"),
        ("{ ?s ?p ?o }", "bad_query"),
        ('SELECT * WHERE { ?s ?p "unterminated }', "bad_query"),
        ("SELECT * WHERE " + "{" * 65 + "}" * 65, "query_too_deep"),
        ("SELECT * WHERE { FILTER(" + "(" * 80 + "1" + ")" * 80 + ") }", "query_too_deep"),
        ("SELECT * WHERE { ?s ?p ?o } #" + "x" * 40_000, "query_too_long"),
    ],
)
def test_refuses(query: str, error: str) -> None:
    with pytest.raises(GuardError) as info:
        ok(query)
    assert info.value.error == error
    assert str(info.value)


def test_from_served_graph_is_allowed() -> None:
    c = ok(f"SELECT * FROM <{SERVED[1]}> FROM NAMED <{SERVED[0]}> {{ ?s ?p ?o }}")
    assert c.from_graphs == (SERVED[1],) and c.from_named == (SERVED[0],)
    c = ok("PREFIX g: <https://w3id.org/sse-kg/id/graph/> SELECT * FROM g:asserted { ?s ?p ?o }")
    assert c.from_graphs == (SERVED[0],)


def test_depth_is_measured_not_parsed() -> None:
    """A query that would crash pyoxigraph's parser is refused by counting, not parsing."""
    q = "SELECT * WHERE " + "{" * 100_000
    with pytest.raises(GuardError) as info:
        ok(q, max_bytes=10**7)
    assert info.value.error == "query_too_deep"
