"""Curated queries (``queries/*.rq``): their headers, and their answers checked against the seed.

The expected answers are not copied from query results: they are derived here from the seed
document itself (``../shared/seed`` beside the repository), by a small parser of the action-plan
table at its end and of its numbered paragraphs. Queries run on the built graph the way the
service runs them: checked by the guard, parameters joined in as an inline ``VALUES`` block at the
start of the top-level WHERE group (``sse_graph.sparql.guard.bind_values``), then evaluated by
``sse_graph.sparql.engine.run``. A second run binds the parameters by pyoxigraph substitution
instead and must give the same rows.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from sse_graph.namespaces import SERVED_GRAPHS
from sse_graph.queries import PARAM_TYPES, CuratedQuery, load_queries
from sse_graph.sparql import engine, results
from sse_graph.sparql.guard import bind_values, check
from tests.seed import LETTERS, Seed, load_seed

ROOT = Path(__file__).resolve().parent.parent
QUERY_DIR = ROOT / "queries"

SSE = "https://w3id.org/sse-kg/ontology#"
ID = "https://w3id.org/sse-kg/id/"
JSON = "application/sparql-results+json"

QUERIES: dict[str, CuratedQuery] = load_queries(QUERY_DIR)

# Values for the parameters that have no default (left out, the query lists everything), so that
# the binding itself is exercised too.
SAMPLE_VALUES: dict[str, dict[str, str]] = {
    "activities-related-to-instrument": {"instrument": "R193"},
    "activities-per-pb-output": {"pbOutput": "4.1"},
    "paragraphs-citing-instruments": {"instrument": "R193"},
    "instruments-including-subclasses": {"class": SSE + "Recommendation"},
}

# Queries that answer with exactly one row of totals, so need no ORDER BY.
SINGLE_ROW = {"plan-in-numbers"}


# ---------------------------------------------------------------------------------------------
# The seed parser (tests/seed.py), against the totals the issue states
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Seed:
    return load_seed()


def test_seed_parser_reads_the_whole_table(seed: Seed) -> None:
    """The parser itself, against the totals the issue states for the table."""
    assert len(seed.rows) == 17
    assert len({r.output for r in seed.rows}) == 9
    assert len({p for r in seed.rows for p in r.points}) == 44
    assert len({p for r in seed.rows for p in r.pb_outputs}) == 31
    assert sum(len(r.points) for r in seed.rows) == 97
    assert sum(len(r.pb_outputs) for r in seed.rows) == 88
    assert sorted(seed.paragraphs) == list(range(1, 31))
    assert seed.by_code["3.2-d"].points == ("16(j)",)  # across the page break of the table


# ---------------------------------------------------------------------------------------------
# Running a curated query
# ---------------------------------------------------------------------------------------------


def _rows(body: bytes) -> list[dict[str, str]]:
    doc = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]


def run(oxstore, name: str, **params: str) -> list[dict[str, str]]:
    """Rows (variable → lexical value) of a curated query, parameters bound as the service does."""
    query = QUERIES[name]
    checked = check(query.text, served_graphs=SERVED_GRAPHS, max_bytes=1 << 20)
    text = bind_values(query.text, checked, results.nt_terms(query.bindings(params)))
    form, body, _count, truncated, _secs = engine.run(oxstore, text, JSON, 100_000)
    assert form == "SELECT" and not truncated
    return _rows(body)


def run_substituted(oxstore, name: str, **params: str) -> list[dict[str, str]]:
    """The same query with its parameters bound by pyoxigraph substitution instead."""
    query = QUERIES[name]
    substitutions = {
        ox.Variable(k): results.term_from_json(v) for k, v in query.bindings(params).items()
    }
    res = oxstore.query(query.text, use_default_graph_as_union=True, substitutions=substitutions)
    names = [v.value for v in res.variables]
    return [{n: sol[i].value for i, n in enumerate(names) if sol[i] is not None} for sol in res]


def column(rows: list[dict[str, str]], var: str) -> list[str]:
    return [r[var] for r in rows if var in r]


def split_list(value: str) -> list[str]:
    return [v for v in value.split(", ") if v]


# ---------------------------------------------------------------------------------------------
# Headers, parameters, defaults
# ---------------------------------------------------------------------------------------------


def test_there_are_enough_curated_queries() -> None:
    assert len(QUERIES) >= 14
    assert sorted(QUERIES) == sorted(p.stem for p in QUERY_DIR.glob("*.rq"))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_header(name: str) -> None:
    query = QUERIES[name]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name)
    assert query.title.strip(), "every curated query has a title"
    assert len(query.description.strip()) > 40, "every curated query has a real description"
    assert "PREFIX" in query.text
    if name not in SINGLE_ROW:
        assert "ORDER BY" in query.text, "results come in a deterministic order"
    for p in query.parameters:
        assert p.type in PARAM_TYPES
        assert p.description.strip(), f"parameter {p.name} is documented"
        if p.default is not None:
            query.bindings({})  # the default is valid for its type


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.parameters))
def test_parameters_are_projected(oxstore, name: str) -> None:
    """A bound variable must be in the SELECT projection (pyoxigraph substitution rule)."""
    query = QUERIES[name]
    res = oxstore.query(query.text, use_default_graph_as_union=True)
    projected = {v.value for v in res.variables}
    for p in query.parameters:
        assert p.name in projected, f"?{p.name} is not in the projection of {name}"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_runs_with_defaults(oxstore, name: str) -> None:
    rows = run(oxstore, name)
    assert rows, f"{name} returns no row with its default parameters"
    if name in SINGLE_ROW:
        assert len(rows) == 1
    for p in QUERIES[name].parameters:
        if p.default is not None:
            assert {r[p.name] for r in rows} == {p.default}


@pytest.mark.parametrize("name", sorted(n for n, q in QUERIES.items() if q.parameters))
def test_binding_by_values_equals_substitution(oxstore, name: str) -> None:
    """Inline VALUES (the service's way) and pyoxigraph substitution bind to the same rows."""
    for params in ({}, SAMPLE_VALUES.get(name, {})):
        rows = run(oxstore, name, **params)
        assert rows
        assert run_substituted(oxstore, name, **params) == rows


# ---------------------------------------------------------------------------------------------
# Answers against the seed
# ---------------------------------------------------------------------------------------------


def test_activities_implementing_9n(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "activities-implementing-conclusion-point")
    codes = column(rows, "activityCode")
    assert codes == sorted(seed.activities_of_point("9(n)"))
    assert codes == ["1.2-a", "1.2-b", "1.2-c", "1.2-d", "2.1-a", "2.2-a", "2.3-a"]
    for r in rows:
        row = seed.by_code[r["activityCode"]]
        assert (r["outputCode"], r["objectiveCode"]) == (row.output, row.objective)
        assert (int(r["start"]), int(r["end"])) == (row.start, row.end)
        assert r["label_zh"] == row.text
        assert r["label_en"]


def test_every_conclusion_point_both_ways(oxstore, seed: Seed) -> None:
    """sse:implements from the activity and the inferred sse:implementedBy from the point."""
    points = sorted({p for r in seed.rows for p in r.points})
    for point in points:
        expected = sorted(seed.activities_of_point(point))
        forward = run(oxstore, "activities-implementing-conclusion-point", conclusion=point)
        inverse = run(oxstore, "conclusion-point-implemented-by", conclusion=point)
        assert column(forward, "activityCode") == expected, point
        assert column(inverse, "activityCode") == expected, point
        assert all(r["inInferredGraph"] == "true" for r in inverse)


def test_implemented_by_default(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "conclusion-point-implemented-by")
    assert column(rows, "activityCode") == sorted(seed.activities_of_point("16(a)"))
    assert column(rows, "activityCode") == ["2.1-a", "2.1-b", "2.2-a", "2.3-a", "3.1-a"]


def _seed_related(seed: Seed) -> dict[str, set[str]]:
    """R-number → activities of the outputs whose strategy paragraphs name it (from the seed)."""
    related: dict[str, set[str]] = {}
    for rec, paragraphs in seed.recommendations_cited().items():
        outputs = {seed.output_of_paragraph[n] for n in paragraphs} - {None}
        related[rec] = {r.code for r in seed.rows if r.output in outputs}
    return related


def test_r193_path_matches_the_inferred_link(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "instrument-paragraph-output-activity-path")
    assert {r["instrument"] for r in rows} == {"R193"}
    assert sorted({r["activityCode"] for r in rows}) == ["2.1-a", "2.1-b"]
    assert {r["activityCode"] for r in rows} == _seed_related(seed)["R193"]
    assert {r["paragraphNumber"] for r in rows} == {"15"}
    assert {r["outputCode"] for r in rows} == {"2.1"}
    assert all(r["matchesInferred"] == "true" for r in rows)


def test_every_path_equals_the_inferred_related_activities(oxstore) -> None:
    inferred: dict[str, set[str]] = defaultdict(set)
    for r in run(oxstore, "activities-related-to-instrument"):
        if r["link"] == SSE + "relatedInstrument":
            inferred[r["instrument"]].add(r["activityCode"])
    instruments = column(run(oxstore, "instruments-including-subclasses"), "notation")
    assert len(instruments) == 14
    for notation in instruments:
        path = run(oxstore, "instrument-paragraph-output-activity-path", instrument=notation)
        assert {r["activityCode"] for r in path} == inferred.get(notation, set()), notation
        assert all(r["matchesInferred"] == "true" for r in path)


def test_related_instruments_by_reasoning(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "activities-related-to-instrument")
    links: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in rows:
        links[(r["instrument"], r["link"].removeprefix(SSE))].add(r["activityCode"])
    assert links[("R193", "relatedInstrument")] == {"2.1-a", "2.1-b"}
    assert links[("R189", "relatedInstrument")] == {"2.2-a"}
    assert links[("R204", "thematicInstrument")] == {"3.1-a", "3.1-b"}
    assert links[("R205", "thematicInstrument")] == {"3.1-a", "3.1-b"}
    # R204 and R205 are cited only in the background (paragraph 3): no citation link
    assert ("R204", "relatedInstrument") not in links
    assert ("R205", "relatedInstrument") not in links
    # every recommendation's citation links, derived from the seed's paragraphs and sections
    for rec, expected in _seed_related(seed).items():
        assert links.get((rec, "relatedInstrument"), set()) == expected, rec
    # the explanation column: a citing paragraph or an addressed thematic area
    for r in rows:
        if r["link"] == SSE + "thematicInstrument":
            assert r["via"].startswith(ID + "thematic-area/")
        else:
            assert r["via"].startswith(ID + "paragraph/")
    assert {
        (r["instrument"], r["viaNotation"]) for r in rows if r["link"] == SSE + "thematicInstrument"
    } == {("R204", "24(b)"), ("R205", "24(e)")}
    one = run(oxstore, "activities-related-to-instrument", instrument="R189")
    assert [(r["activityCode"], r["viaNotation"]) for r in one] == [("2.2-a", "21")]


def test_cost_per_objective_and_total(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "cost-per-objective")
    objectives = {r["code"]: r for r in rows if r["level"] == "objective"}
    assert {k: int(v["amount"]) for k, v in objectives.items()} == seed.costs
    assert [objectives[k]["millionUSD"] for k in ("1", "2", "3")] == ["15.6", "17.2", "4.7"]
    (total,) = [r for r in rows if r["level"] == "plan total"]
    (summed,) = [r for r in rows if r["level"] == "sum of objectives"]
    assert int(total["amount"]) == seed.total_cost == sum(seed.costs.values()) == 37_500_000
    assert int(summed["amount"]) == int(total["amount"])
    assert total["millionUSD"] == "37.5"
    assert {r["currency"] for r in rows} == {"USD"}
    assert [r["level"] for r in rows][-2:] == ["sum of objectives", "plan total"]


def test_activities_per_pb_outcome(oxstore, seed: Seed) -> None:
    activities: dict[str, set[str]] = defaultdict(set)
    outputs: dict[str, set[str]] = defaultdict(set)
    links: dict[str, int] = defaultdict(int)
    for r in seed.rows:
        for pb in r.pb_outputs:
            outcome = pb.split(".")[0]
            activities[outcome].add(r.code)
            outputs[outcome].add(pb)
            links[outcome] += 1
    rows = run(oxstore, "activities-per-pb-outcome")
    assert column(rows, "outcomeCode") == sorted(activities)
    for r in rows:
        code = r["outcomeCode"]
        assert int(r["activities"]) == len(activities[code]), code
        assert int(r["pbOutputs"]) == len(outputs[code]), code
        assert int(r["links"]) == links[code], code
        assert split_list(r["activityCodes"]) == sorted(activities[code]), code
        assert r["label_en"].startswith(f"Outcome {code}")
        assert r["label_zh"]
    assert sum(int(r["links"]) for r in rows) == 88


def test_activities_per_pb_output(oxstore, seed: Seed) -> None:
    expected: dict[str, set[str]] = defaultdict(set)
    for r in seed.rows:
        for pb in r.pb_outputs:
            expected[pb].add(r.code)
    rows = run(oxstore, "activities-per-pb-output")
    assert len(rows) == 31
    assert {r["pbOutput"]: split_list(r["activityCodes"]) for r in rows} == {
        k: sorted(v) for k, v in expected.items()
    }
    for r in rows:
        assert int(r["activities"]) == len(expected[r["pbOutput"]])
        assert r["outcomeCode"] == r["pbOutput"].split(".")[0]
    one = run(oxstore, "activities-per-pb-output", pbOutput="A.1")
    assert [split_list(r["activityCodes"]) for r in one] == [["1.2-a", "1.2-b", "1.2-c", "1.2-d"]]


@pytest.mark.parametrize("year", [1999, *range(2021, 2031), 2045])
def test_activities_running_past_a_year(oxstore, seed: Seed, year: int) -> None:
    rows = run(oxstore, "activities-running-past-year", year=str(year))
    assert column(rows, "activityCode") == sorted(r.code for r in seed.rows if r.end > year)
    assert {r["year"] for r in rows} <= {str(year)}


def test_what_runs_past_2023(oxstore, seed: Seed) -> None:
    codes = column(run(oxstore, "activities-running-past-year"), "activityCode")
    assert len(codes) == 15
    assert "1.2-a" not in codes and "1.2-b" not in codes  # the 21st ICLS rows (2023 only)


@pytest.mark.parametrize("area", ["24(a)", "24(b)", "24(c)", "24(d)", "24(e)"])
def test_activities_of_a_thematic_area(oxstore, seed: Seed, area: str) -> None:
    rows = run(oxstore, "activities-of-thematic-area", area=area)
    # paragraph 24, which sets out the five areas, belongs to output 3.1 in the seed
    assert seed.output_of_paragraph[24] == "3.1"
    assert (24, area[3]) in seed.items
    assert column(rows, "activityCode") == sorted(r.code for r in seed.rows if r.output == "3.1")
    instruments = {r.get("instrumentNotation") for r in rows}
    assert instruments == {{"24(b)": "R204", "24(e)": "R205"}.get(area)}
    heading = re.search(r"\*\*(.+?)。?\*\*", seed.items[(24, area[3])])[1]
    assert {r["area_zh"] for r in rows} == {heading}


def _points_of(seed: Seed, paragraph: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for r in seed.rows:
        for p in r.points:
            if p == paragraph or p.startswith(paragraph + "("):
                out[p].add(r.code)
    return out


@pytest.mark.parametrize("paragraph", ["6", "7", "8", "9", "10", "11", "12", "13", "16"])
def test_points_of_a_conclusions_paragraph(oxstore, seed: Seed, paragraph: str) -> None:
    expected = _points_of(seed, paragraph)
    rows = run(oxstore, "conclusion-points-of-paragraph", paragraph=paragraph)
    assert {r["notation"]: split_list(r["activityCodes"]) for r in rows} == {
        k: sorted(v) for k, v in expected.items()
    }
    assert all(int(r["activities"]) == len(expected[r["notation"]]) for r in rows)


def test_paragraph_9_by_default(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "conclusion-points-of-paragraph")
    assert column(rows, "notation") == [f"9({c})" for c in "abcdefghijklmn"]
    assert {r["notation"]: int(r["activities"]) for r in rows}["9(n)"] == 7


@pytest.mark.parametrize("paragraph", ["6", "7", "9", "16"])
def test_uncited_letters(oxstore, seed: Seed, paragraph: str) -> None:
    cited = {p[len(paragraph) + 1] for p in _points_of(seed, paragraph)}
    highest = max(cited)
    expected = [f"{paragraph}({c})" for c in LETTERS[: LETTERS.index(highest)] if c not in cited]
    rows = run(oxstore, "uncited-letters-of-conclusion-paragraph", paragraph=paragraph)
    assert column(rows, "missing") == expected
    for r in rows:
        assert r["highestCited"] == f"{paragraph}({highest})"
        assert int(r["citedPoints"]) == len(cited)


def test_uncited_letters_default(oxstore) -> None:
    rows = run(oxstore, "uncited-letters-of-conclusion-paragraph")
    assert column(rows, "missing") == ["6(a)", "6(d)", "6(g)"]


def test_activity_traceability(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "activity-traceability")
    assert column(rows, "activityCode") == sorted(seed.by_code)
    for r in rows:
        row = seed.by_code[r["activityCode"]]
        assert sorted(split_list(r["conclusionPoints"])) == sorted(row.points), row.code
        assert sorted(split_list(r["pbOutputs"])) == sorted(row.pb_outputs), row.code
        assert int(r["pointCount"]) == len(row.points)
        assert int(r["pbOutputCount"]) == len(row.pb_outputs)
        assert (r["objectiveCode"], r["outputCode"]) == (row.objective, row.output)
        assert (int(r["start"]), int(r["end"])) == (row.start, row.end)
        assert r["label_zh"] == row.text
    assert sum(int(r["pointCount"]) for r in rows) == 97
    assert sum(int(r["pbOutputCount"]) for r in rows) == 88
    # lists in reading order: by paragraph number, then letter
    by_code = {r["activityCode"]: r for r in rows}
    assert by_code["1.3-a"]["conclusionPoints"] == "6(b), 16(b), 16(c)"


def test_paragraphs_citing_instruments(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "paragraphs-citing-instruments")
    assert len(rows) == 14
    cited = {r["instrument"]: [int(n) for n in split_list(r["paragraphs"])] for r in rows}
    for r in rows:
        assert int(r["paragraphCount"]) == len(cited[r["instrument"]])
        assert cited[r["instrument"]] == sorted(cited[r["instrument"]])
    for rec, paragraphs in seed.recommendations_cited().items():
        assert cited[rec] == sorted(paragraphs), rec
    assert cited["R193"] == [3, 7, 15]
    assert cited["R189"] == [21]
    counts = [int(r["paragraphCount"]) for r in rows]
    assert counts == sorted(counts, reverse=True)
    one = run(oxstore, "paragraphs-citing-instruments", instrument="mne-declaration")
    assert [r["paragraphs"] for r in one] == ["24"]
    assert "多国企业" in seed.paragraphs[24]


@pytest.mark.parametrize(
    "slug",
    [
        "women",
        "persons-with-disabilities",
        "refugees",
        "indigenous-and-tribal-peoples",
        "older-workers",
    ],
)
def test_target_group_mentions(oxstore, seed: Seed, slug: str) -> None:
    """Where a group is named in so many words: the seed's paragraphs, principles, areas."""
    rows = [
        r
        for r in run(oxstore, "target-groups-and-mentions")
        if r["group"] == ID + "target-group/" + slug
    ]
    assert rows
    (label,) = {r["label_zh"] for r in rows}
    places = {(r["kind"].removeprefix(SSE), r["placeNotation"]) for r in rows}
    expected = {("Paragraph", str(n)) for n, text in seed.paragraphs.items() if label in text}
    for (number, letter), text in seed.items.items():
        if label in text and number == 7:
            expected.add(("Principle", f"7({letter})"))
        if label in text and number == 24:
            expected.add(("ThematicArea", f"24({letter})"))
    assert places == expected


def test_every_target_group_is_mentioned(oxstore) -> None:
    rows = run(oxstore, "target-groups-and-mentions")
    assert all("place" in r for r in rows)
    assert len({r["group"] for r in rows}) == 18
    assert all(r["label_en"] and r["label_zh"] for r in rows)


def test_objectives_outputs_activity_counts(oxstore, seed: Seed) -> None:
    expected: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in seed.rows:
        expected[(r.objective, r.output)].append(r.code)
    rows = run(oxstore, "objectives-outputs-activity-counts")
    assert [(r["objectiveCode"], r["outputCode"]) for r in rows] == sorted(expected)
    for r in rows:
        codes = expected[(r["objectiveCode"], r["outputCode"])]
        assert int(r["activities"]) == len(codes)
        assert split_list(r["activityCodes"]) == codes
        assert int(r["objectiveCostUSD"]) == seed.costs[r["objectiveCode"]]
    assert sum(int(r["activities"]) for r in rows) == 17


def test_instruments_need_reasoning(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "instruments-including-subclasses")
    assert len(rows) == 14
    assert all(r["class"].startswith(SSE) and r["class"] != SSE + "Instrument" for r in rows)
    # rdf:type sse:Instrument is never asserted: only the reasoner gives it
    assert all(r["typeAsserted"] == "false" and r["typeInferred"] == "true" for r in rows)
    recommendations = {r["notation"] for r in rows if r["class"] == SSE + "Recommendation"}
    assert recommendations == set(seed.recommendations_cited()) == {"R189", "R193", "R204", "R205"}
    only = run(
        oxstore,
        "instruments-including-subclasses",
        **SAMPLE_VALUES["instruments-including-subclasses"],
    )
    assert column(only, "notation") == sorted(recommendations)
    asserted = oxstore.query(
        "ASK { GRAPH <https://w3id.org/sse-kg/id/graph/asserted> {"
        " ?i a <https://w3id.org/sse-kg/ontology#Instrument> } }"
    )
    assert not bool(asserted)


def test_search_labels(oxstore, seed: Seed) -> None:
    def entities(text: str) -> list[tuple[str, str, str]]:
        return [
            (r["entity"], r["label"], r["lang"]) for r in run(oxstore, "search-labels", text=text)
        ]

    # case-insensitive
    assert entities("cooperative") == entities("COOPERATIVE") == entities("CoOpErAtIvE")
    found = {e for e, _, _ in entities("cooperative")}
    assert ID + "instrument/R193" in found
    assert ID + "activity/1.2-c" in found
    # Chinese: the table rows that name the ICLS in so many words
    for text in ("国际劳工统计学家大会", "合作社"):
        rows = run(oxstore, "search-labels", text=text)
        activities = {
            r["entity"].removeprefix(ID + "activity/")
            for r in rows
            if r["entity"].startswith(ID + "activity/")
        }
        assert activities == {r.code for r in seed.rows if text in r.text}, text
        assert all(text in r["label"] and r["lang"].startswith("zh") for r in rows)
    assert entities("no such text anywhere") == []


def test_icls_milestones(oxstore, seed: Seed) -> None:
    rows = run(oxstore, "icls-milestones")
    by_milestone: dict[str, set[str]] = defaultdict(set)
    years: dict[str, str] = {}
    for r in rows:
        by_milestone[r["milestone"].removeprefix(ID + "milestone/")].add(r["activityCode"])
        years[r["milestone"].removeprefix(ID + "milestone/")] = r["year"]
        assert r["bodyNotation"] == "ICLS"
    for session in ("21", "22"):
        named = {r for r in seed.rows if f"第 {session} 届国际劳工统计学家大会" in r.text}
        assert by_milestone[f"icls-{session}"] == {r.code for r in named}
        # the session falls in the year its activities end
        assert {str(r.end) for r in named} == {years[f"icls-{session}"]}
    assert years == {"icls-21": "2023", "icls-22": "2028"}
    assert by_milestone == {"icls-21": {"1.2-a", "1.2-b"}, "icls-22": {"1.2-c", "1.2-d"}}


def test_plan_in_numbers(oxstore, seed: Seed) -> None:
    (row,) = run(oxstore, "plan-in-numbers")
    assert {k: int(v) for k, v in row.items()} == {
        "objectives": len({r.objective for r in seed.rows}),
        "outputs": len({r.output for r in seed.rows}),
        "activities": len(seed.rows),
        "conclusionPoints": len({p for r in seed.rows for p in r.points}),
        "pbOutputs": len({p for r in seed.rows for p in r.pb_outputs}),
        "pbOutcomes": len({p.split(".")[0] for r in seed.rows for p in r.pb_outputs}),
        "implementsLinks": sum(len(r.points) for r in seed.rows),
        "contributesToLinks": sum(len(r.pb_outputs) for r in seed.rows),
        "paragraphs": len(seed.paragraphs),
    }
    assert (row["activities"], row["conclusionPoints"], row["pbOutputs"]) == ("17", "44", "31")
    assert (row["implementsLinks"], row["contributesToLinks"]) == ("97", "88")
