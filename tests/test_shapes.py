"""SHACL shapes: the real data conforms, and every rule fires on data broken in one specific way.

Each case takes a copy of the real asserted graph (ontology + data files), breaks it the way a
careless edit would, validates it like ``sse-graph validate`` does and checks that the expected
rule reports the expected focus node with a message a person can act on. Breaking *real* data
(rather than toy graphs) proves the shapes fit the graph we ship, not a sketch of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from sse_graph.resources import resource_path
from sse_graph.validation import ValidationResult, Violation, load_shapes, validate

ID = Namespace("https://w3id.org/sse-kg/id/")
SSE = Namespace("https://w3id.org/sse-kg/ontology#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SCHEMA = Namespace("https://schema.org/")
# a plain Namespace: pytest probes module attributes and rdflib.XSD warns on unknown names
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

STRATEGY = ID["strategy/sse-2023-2029"]


@pytest.fixture(scope="session")
def asserted() -> Graph:
    """The real asserted graph: the ontology and every data file, parsed once per session."""
    g = Graph()
    g.parse(resource_path("ontology", "sse.ttl"), format="turtle")
    data_files = sorted(resource_path("data").glob("*.ttl"))
    assert data_files, "no data/*.ttl files"
    for path in data_files:
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load_shapes()


def copy_of(g: Graph) -> Graph:
    g2 = Graph()
    g2 += g
    return g2


# --- helpers that break a graph ----------------------------------------------------------


def replace(g: Graph, s: URIRef, p: URIRef, o: object) -> None:
    """Set the only value of ``p`` on ``s`` to ``o``."""
    g.remove((s, p, None))
    g.add((s, p, o))


def drop(s: URIRef, p: URIRef, o: object = None) -> Callable[[Graph], None]:
    return lambda g: g.remove((s, p, o))


def add(*triples: tuple) -> Callable[[Graph], None]:
    def _add(g: Graph) -> None:
        for t in triples:
            g.add(t)

    return _add


def set_value(s: URIRef, p: URIRef, o: object) -> Callable[[Graph], None]:
    return lambda g: replace(g, s, p, o)


def new_period(start: str, end: str, activity: URIRef) -> Callable[[Graph], None]:
    """Give ``activity`` a fresh timeframe ``start``-``end`` (a well-formed period otherwise)."""
    period = ID[f"period/{start}-{end}"]

    def _break(g: Graph) -> None:
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(start, datatype=XSD.gYear)))
        g.add((period, DCAT.endDate, Literal(end, datatype=XSD.gYear)))
        g.add((period, DCTERMS.source, ID["document/gb346-sse-strategy/action-plan"]))
        replace(g, activity, DCTERMS.temporal, period)

    return _break


def drop_label(s: URIRef, language: str) -> Callable[[Graph], None]:
    def _break(g: Graph) -> None:
        for label in list(g.objects(s, SKOS.prefLabel)):
            if label.language and label.language.split("-")[0] == language:
                g.remove((s, SKOS.prefLabel, label))

    return _break


def drop_text(s: URIRef, language: str) -> Callable[[Graph], None]:
    def _break(g: Graph) -> None:
        for text in list(g.objects(s, SSE.text)):
            if text.language and text.language.split("-")[0] == language:
                g.remove((s, SSE.text, text))

    return _break


@dataclass(frozen=True)
class Case:
    """One way to break the data, and the violation it must produce."""

    id: str
    breaks: Callable[[Graph], None]
    focus: str  # CURIE of the expected focus node
    shape: str  # CURIE of the rule expected to fire
    says: tuple[str, ...]  # fragments the message must contain


def decimal(lexical: str) -> Literal:
    return Literal(lexical, datatype=XSD.decimal)


def curie(iri: URIRef) -> str:
    return "id:" + str(iri).removeprefix(str(ID))


A12C = ID["activity/1.2-c"]
A11A = ID["activity/1.1-a"]
A21A = ID["activity/2.1-a"]
R193 = ID["instrument/R193"]

CASES: list[Case] = [
    # --- strategy -------------------------------------------------------------------------
    Case(
        "strategy-without-objectives",
        drop(STRATEGY, SSE.hasObjective),
        curie(STRATEGY),
        "sseshapes:Strategy-objectives",
        ("at least one objective",),
    ),
    Case(
        "strategy-without-cost",
        drop(STRATEGY, SSE.estimatedCost),
        curie(STRATEGY),
        "sseshapes:Strategy-cost",
        ("exactly one estimated cost",),
    ),
    Case(
        "strategy-with-two-costs",
        add((STRATEGY, SSE.estimatedCost, ID["estimate/objective-1"])),
        curie(STRATEGY),
        "sseshapes:Strategy-cost",
        ("exactly one estimated cost",),
    ),
    Case(
        "objective-costs-do-not-add-up",
        set_value(ID["estimate/objective-3"], SCHEMA.value, decimal("4800000")),
        curie(STRATEGY),
        "sseshapes:Strategy-costsAddUp",
        ("add up to 37600000", "37500000", "must be equal"),
    ),
    Case(
        "strategy-total-changed",
        set_value(ID["estimate/strategy"], SCHEMA.value, decimal("37000000")),
        curie(STRATEGY),
        "sseshapes:Strategy-costsAddUp",
        ("add up to 37500000", "37000000"),
    ),
    # --- objectives -----------------------------------------------------------------------
    Case(
        "objective-without-strategy",
        drop(STRATEGY, SSE.hasObjective, ID["objective/2"]),
        "id:objective/2",
        "sseshapes:Objective-parentStrategy",
        ("exactly one strategy",),
    ),
    Case(
        "objective-with-two-strategies",
        add(
            (ID["strategy/other"], RDF.type, SSE.Strategy),
            (ID["strategy/other"], SSE.hasObjective, ID["objective/2"]),
        ),
        "id:objective/2",
        "sseshapes:Objective-parentStrategy",
        ("exactly one strategy",),
    ),
    Case(
        "objective-without-outputs",
        drop(ID["objective/3"], SSE.hasOutput),
        "id:objective/3",
        "sseshapes:Objective-outputs",
        ("at least one output",),
    ),
    Case(
        "objective-without-cost",
        drop(ID["objective/1"], SSE.estimatedCost),
        "id:objective/1",
        "sseshapes:Objective-cost",
        ("exactly one estimated cost",),
    ),
    Case(
        "objective-bad-notation",
        set_value(ID["objective/1"], SKOS.notation, Literal("4")),
        "id:objective/1",
        "sseshapes:Objective-notation",
        ("1, 2 or 3",),
    ),
    # --- cost estimates -------------------------------------------------------------------
    Case(
        "cost-in-euro",
        set_value(ID["estimate/objective-1"], SCHEMA.currency, Literal("EUR")),
        "id:estimate/objective-1",
        "sseshapes:Cost-currency",
        ('"USD"',),
    ),
    Case(
        "cost-as-integer",
        set_value(ID["estimate/objective-1"], SCHEMA.value, Literal(15600000)),
        "id:estimate/objective-1",
        "sseshapes:Cost-value",
        ("xsd:decimal",),
    ),
    Case(
        "cost-zero",
        set_value(ID["estimate/objective-2"], SCHEMA.value, decimal("0")),
        "id:estimate/objective-2",
        "sseshapes:Cost-value",
        ("greater than 0",),
    ),
    # --- outputs --------------------------------------------------------------------------
    Case(
        "output-without-objective",
        drop(ID["objective/1"], SSE.hasOutput, ID["output/1.2"]),
        "id:output/1.2",
        "sseshapes:Output-parentObjective",
        ("exactly one objective",),
    ),
    Case(
        "output-with-two-objectives",
        add((ID["objective/2"], SSE.hasOutput, ID["output/1.2"])),
        "id:output/1.2",
        "sseshapes:Output-parentObjective",
        ("exactly one objective",),
    ),
    Case(
        "output-without-activities",
        drop(ID["output/2.2"], SSE.hasActivity),
        "id:output/2.2",
        "sseshapes:Output-activities",
        ("at least one activity",),
    ),
    Case(
        "output-bad-notation",
        set_value(ID["output/1.2"], SKOS.notation, Literal("1-2")),
        "id:output/1.2",
        "sseshapes:Output-notation",
        ('"1.2"',),
    ),
    Case(
        "output-notation-of-another-objective",
        set_value(ID["output/1.2"], SKOS.notation, Literal("2.2")),
        "id:output/1.2",
        "sseshapes:Output-notationMatchesObjective",
        ('"2.2"', 'notation "1"'),
    ),
    Case(
        "output-thematic-area-not-an-area",
        add((ID["output/3.1"], SSE.hasThematicArea, ID["paragraph/24"])),
        "id:output/3.1",
        "sseshapes:Output-thematicAreas",
        ("sse:ThematicArea",),
    ),
    # --- activities -----------------------------------------------------------------------
    Case(
        "activity-without-output",
        drop(ID["output/1.2"], SSE.hasActivity, A12C),
        "id:activity/1.2-c",
        "sseshapes:Activity-parentOutput",
        ("exactly one output",),
    ),
    Case(
        "activity-with-two-outputs",
        add((ID["output/1.3"], SSE.hasActivity, A12C)),
        "id:activity/1.2-c",
        "sseshapes:Activity-parentOutput",
        ("exactly one output",),
    ),
    Case(
        "activity-without-conclusion-points",
        drop(A11A, SSE.implements),
        "id:activity/1.1-a",
        "sseshapes:Activity-implements",
        ("at least one conclusion point",),
    ),
    Case(
        "activity-implements-a-pb-output",
        add((A11A, SSE.implements, ID["pb-output/A.2"])),
        "id:activity/1.1-a",
        "sseshapes:Activity-implements",
        ("sse:ConclusionPoint",),
    ),
    Case(
        "activity-without-pb-outputs",
        drop(A11A, SSE.contributesTo),
        "id:activity/1.1-a",
        "sseshapes:Activity-contributesTo",
        ("at least one Programme and Budget output",),
    ),
    Case(
        "activity-contributes-to-a-conclusion-point",
        add((A11A, SSE.contributesTo, ID["conclusion-point/7a"])),
        "id:activity/1.1-a",
        "sseshapes:Activity-contributesTo",
        ("sse:PBOutput",),
    ),
    Case(
        "activity-bad-notation",
        set_value(A12C, SKOS.notation, Literal("1.2c")),
        "id:activity/1.2-c",
        "sseshapes:Activity-notation",
        ('"1.2-c"',),
    ),
    Case(
        "activity-notation-of-another-output",
        set_value(A12C, SKOS.notation, Literal("1.3-c")),
        "id:activity/1.2-c",
        "sseshapes:Activity-notationMatchesOutput",
        ('"1.3-c"', 'notation "1.2"'),
    ),
    Case(
        "activity-milestone-not-a-milestone",
        set_value(A12C, SSE.milestone, ID["body/ICLS"]),
        "id:activity/1.2-c",
        "sseshapes:Activity-milestone",
        ("sse:Milestone",),
    ),
    # --- timeframes -----------------------------------------------------------------------
    Case(
        "activity-without-timeframe",
        drop(A11A, DCTERMS.temporal),
        "id:activity/1.1-a",
        "sseshapes:Timeframe-exactlyOne",
        ("exactly one timeframe",),
    ),
    Case(
        "activity-with-two-timeframes",
        add((A11A, DCTERMS.temporal, ID["period/2023"])),
        "id:activity/1.1-a",
        "sseshapes:Timeframe-exactlyOne",
        ("exactly one timeframe",),
    ),
    Case(
        "strategy-without-timeframe",
        drop(STRATEGY, DCTERMS.temporal),
        curie(STRATEGY),
        "sseshapes:Timeframe-exactlyOne",
        ("exactly one timeframe",),
    ),
    Case(
        "timeframe-starts-2022",
        new_period("2022", "2023", A11A),
        "id:period/2022-2023",
        "sseshapes:Period-withinPlan",
        ("from 2022 to 2023", "within 2023-2029", "id:activity/1.1-a"),
    ),
    Case(
        "timeframe-ends-2030",
        new_period("2023", "2030", A12C),
        "id:period/2023-2030",
        "sseshapes:Period-withinPlan",
        ("from 2023 to 2030", "id:activity/1.2-c"),
    ),
    Case(
        "shared-timeframe-changed",
        set_value(ID["period/2023-2028"], DCAT.endDate, Literal("2031", datatype=XSD.gYear)),
        "id:period/2023-2028",
        "sseshapes:Period-withinPlan",
        ("id:activity/1.2-c", "id:activity/1.2-d"),
    ),
    Case(
        "timeframe-start-after-end",
        new_period("2028", "2024", A12C),
        "id:period/2028-2024",
        "sseshapes:Period-startBeforeEnd",
        ("starts in 2028, after it ends in 2024", "id:activity/1.2-c"),
    ),
    Case(
        "timeframe-start-not-a-gyear",
        set_value(ID["period/2023"], DCAT.startDate, Literal(2023)),
        "id:period/2023",
        "sseshapes:Period-start",
        ("xsd:gYear",),
    ),
    Case(
        "timeframe-without-end",
        drop(ID["period/2023"], DCAT.endDate),
        "id:period/2023",
        "sseshapes:Period-end",
        ("exactly one dcat:endDate",),
    ),
    # --- conclusion points, P&B ----------------------------------------------------------
    Case(
        "conclusion-point-bad-notation",
        set_value(ID["conclusion-point/9n"], SKOS.notation, Literal("9n")),
        "id:conclusion-point/9n",
        "sseshapes:ConclusionPoint-notation",
        ('"9(n)"',),
    ),
    Case(
        "lettered-point-without-paragraph",
        drop(ID["conclusion-point/9n"], SKOS.broader),
        "id:conclusion-point/9n",
        "sseshapes:ConclusionPoint-broaderParagraph",
        ("skos:broader its paragraph",),
    ),
    Case(
        "conclusion-paragraph-bad-notation",
        set_value(ID["conclusion-point/9"], SKOS.notation, Literal("9(x)")),
        "id:conclusion-point/9",
        "sseshapes:ConclusionParagraph-notation",
        ('"9"',),
    ),
    Case(
        "pb-output-bad-notation",
        set_value(ID["pb-output/A.1"], SKOS.notation, Literal("A1")),
        "id:pb-output/A.1",
        "sseshapes:PBOutput-notation",
        ('"A.1"',),
    ),
    Case(
        "pb-output-without-outcome",
        drop(ID["pb-output/A.1"], SSE.pbOutcome),
        "id:pb-output/A.1",
        "sseshapes:PBOutput-outcome",
        ("exactly one outcome",),
    ),
    Case(
        "pb-output-under-wrong-outcome",
        set_value(ID["pb-output/A.1"], SSE.pbOutcome, ID["pb-outcome/4"]),
        "id:pb-outcome/4",
        "sseshapes:PBOutcome-outputNotations",
        ("id:pb-output/A.1", '"A.1"', '"4"'),
    ),
    Case(
        "pb-outcome-bad-notation",
        set_value(ID["pb-outcome/C"], SKOS.notation, Literal("D")),
        "id:pb-outcome/C",
        "sseshapes:PBOutcome-notation",
        ("A, B or C",),
    ),
    # --- instruments, principles, thematic areas ------------------------------------------
    Case(
        "recommendation-bad-notation",
        set_value(R193, SKOS.notation, Literal("193")),
        "id:instrument/R193",
        "sseshapes:Recommendation-notation",
        ('"R193"',),
    ),
    Case(
        "declaration-bad-notation",
        set_value(ID["instrument/mne-declaration"], SKOS.notation, Literal("MNE Declaration")),
        "id:instrument/mne-declaration",
        "sseshapes:OtherInstrument-notation",
        ("slug",),
    ),
    Case(
        "principle-bad-notation",
        set_value(ID["principle/7a"], SKOS.notation, Literal("7a")),
        "id:principle/7a",
        "sseshapes:Principle-notation",
        ('"7(a)"',),
    ),
    Case(
        "thematic-area-bad-notation",
        set_value(ID["thematic-area/24b"], SKOS.notation, Literal("24(f)")),
        "id:thematic-area/24b",
        "sseshapes:ThematicArea-notation",
        ('"24(a)"',),
    ),
    Case(
        "instrument-addresses-an-output",
        add((ID["instrument/R204"], SSE.addresses, ID["output/3.1"])),
        "id:instrument/R204",
        "sseshapes:Addresses-thematicArea",
        ("only point to an sse:ThematicArea",),
    ),
    # --- paragraphs -----------------------------------------------------------------------
    Case(
        "paragraph-notation-31",
        set_value(ID["paragraph/3"], SKOS.notation, Literal("31")),
        "id:paragraph/3",
        "sseshapes:Paragraph-notation",
        ("1 to 30",),
    ),
    Case(
        "paragraph-number-31",
        set_value(ID["paragraph/3"], SSE.paragraphNumber, Literal(31)),
        "id:paragraph/3",
        "sseshapes:Paragraph-number",
        ("1 to 30",),
    ),
    Case(
        "paragraph-without-chinese-text",
        drop_text(ID["paragraph/3"], "zh"),
        "id:paragraph/3",
        "sseshapes:Paragraph-textZh",
        ("exactly one Chinese text",),
    ),
    Case(
        "paragraph-with-two-english-texts",
        add((ID["paragraph/3"], SSE.text, Literal("Another rendering.", lang="en"))),
        "id:paragraph/3",
        "sseshapes:Paragraph-textEn",
        ("exactly one English text",),
    ),
    # --- labels ---------------------------------------------------------------------------
    Case(
        "second-english-label",
        add((A12C, SKOS.prefLabel, Literal("Statistics manual", lang="en"))),
        "id:activity/1.2-c",
        "sseshapes:Label-oneEn",
        ("exactly one English skos:prefLabel",),
    ),
    Case(
        "chinese-label-removed",
        drop_label(A12C, "zh"),
        "id:activity/1.2-c",
        "sseshapes:Label-oneZh",
        ("exactly one Chinese skos:prefLabel",),
    ),
    Case(
        "english-label-removed",
        drop_label(R193, "en"),
        "id:instrument/R193",
        "sseshapes:Label-oneEn",
        ("exactly one English skos:prefLabel",),
    ),
    Case(
        "second-chinese-label-as-zh-t-en",
        add((ID["objective/1"], SKOS.prefLabel, Literal("目标一", lang="zh-t-en"))),
        "id:objective/1",
        "sseshapes:Label-oneZh",
        ("exactly one Chinese skos:prefLabel",),
    ),
    Case(
        "label-in-french",
        add((ID["objective/1"], SKOS.prefLabel, Literal("Objectif 1", lang="fr"))),
        "id:objective/1",
        "sseshapes:Label-onlyZhEn",
        ("tagged zh or zh-*, en or en-*",),
    ),
    Case(
        "label-without-language",
        add((ID["objective/1"], SKOS.prefLabel, Literal("Objective 1"))),
        "id:objective/1",
        "sseshapes:Label-onlyZhEn",
        ("another language tag or none",),
    ),
    # --- concept schemes ------------------------------------------------------------------
    Case(
        "conclusion-point-outside-scheme",
        drop(ID["conclusion-point/9n"], SKOS.inScheme),
        "id:conclusion-point/9n",
        "sseshapes:InScheme-scheme",
        ("skos:inScheme a skos:ConceptScheme",),
    ),
    Case(
        "instrument-in-a-non-scheme",
        set_value(R193, SKOS.inScheme, ID["paragraph/3"]),
        "id:instrument/R193",
        "sseshapes:InScheme-scheme",
        ("skos:inScheme a skos:ConceptScheme",),
    ),
    # --- inferred-only properties ---------------------------------------------------------
    Case(
        "related-instrument-asserted",
        add((A21A, SSE.relatedInstrument, R193)),
        "id:activity/2.1-a",
        "sseshapes:NeverAsserted-relatedInstrument",
        ("must never be asserted", "inferred"),
    ),
    Case(
        "related-activity-asserted",
        add((R193, SSE.relatedActivity, A21A)),
        "id:instrument/R193",
        "sseshapes:NeverAsserted-relatedActivity",
        ("must never be asserted",),
    ),
    Case(
        "thematic-instrument-asserted",
        add((ID["activity/3.1-a"], SSE.thematicInstrument, ID["instrument/R204"])),
        "id:activity/3.1-a",
        "sseshapes:NeverAsserted-thematicInstrument",
        ("must never be asserted", "sse:addresses"),
    ),
    Case(
        "thematic-activity-asserted",
        add((ID["instrument/R205"], SSE.thematicActivity, ID["activity/3.1-a"])),
        "id:instrument/R205",
        "sseshapes:NeverAsserted-thematicActivity",
        ("must never be asserted",),
    ),
    Case(
        "source-as-literal",
        set_value(A12C, DCTERMS.source, Literal("the table")),
        "id:activity/1.2-c",
        "sseshapes:Provenance-source",
        ("dcterms:source, an IRI",),
    ),
]

# Provenance: removing dcterms:source from one instance of each kind makes the rule fire.
PROVENANCE_SUBJECTS = [
    STRATEGY,
    ID["objective/1"],
    ID["output/1.1"],
    A12C,
    ID["conclusion-point/9n"],
    ID["conclusion-point/9"],
    ID["pb-output/A.1"],
    ID["pb-outcome/A"],
    R193,
    ID["instrument/mne-declaration"],
    ID["principle/7a"],
    ID["thematic-area/24b"],
    ID["paragraph/3"],
    ID["milestone/icls-21"],
    ID["target-group/women"],
    ID["period/2023"],
    ID["estimate/objective-1"],
    ID["body/ICLS"],
    ID["scheme/instruments"],
]
CASES += [
    Case(
        f"no-source-{curie(s)}",
        drop(s, DCTERMS.source),
        curie(s),
        "sseshapes:Provenance-source",
        ("must say where it comes from",),
    )
    for s in PROVENANCE_SUBJECTS
]


def _find(result: ValidationResult, case: Case) -> list[Violation]:
    return [
        v for v in result.results if v.focus_node == case.focus and v.source_shape == case.shape
    ]


@pytest.fixture(scope="session")
def baseline(asserted: Graph, shapes: Graph) -> ValidationResult:
    return validate(asserted, shapes)


def test_real_data_conforms(baseline: ValidationResult) -> None:
    assert baseline.conforms, baseline.text()
    assert baseline.results == []
    assert baseline.text() == "Conforms: no SHACL violations."


def test_every_rule_is_exercised(shapes: Graph) -> None:
    """Each named rule (shape) in shapes.ttl has at least one case below that makes it fire."""
    from rdflib.namespace import SH

    ns = "https://w3id.org/sse-kg/shapes#"
    named = {
        "sseshapes:" + str(s).removeprefix(ns)
        for s in shapes.subjects(RDF.type, None)
        if str(s).startswith(ns)
        and (shapes.value(s, SH.message) is not None or (s, SH.sparql, None) in shapes)
    }
    exercised = {c.shape for c in CASES}
    assert named - exercised == set(), "rules without a test that makes them fire"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_fires(case: Case, asserted: Graph, shapes: Graph, baseline: ValidationResult) -> None:
    assert baseline.conforms, "the real data must conform before it can be broken"
    broken = copy_of(asserted)
    case.breaks(broken)
    assert len(broken) != len(asserted) or set(broken) != set(asserted), "the case broke nothing"

    result = validate(broken, shapes)

    assert not result.conforms
    hits = _find(result, case)
    assert hits, f"{case.shape} did not fire on {case.focus}; got:\n{result.text()}"
    violation = hits[0]
    assert violation.severity == "Violation"
    for fragment in case.says:
        assert any(fragment in v.message for v in hits), (fragment, [v.message for v in hits])
    # readable: no raw IRIs or unfilled {?placeholders} in the message
    assert "https://" not in violation.message
    assert "{?" not in violation.message and "{$" not in violation.message
    # the text report names the focus node, the rule and the message on one line
    line = next(ln for ln in result.text().splitlines() if case.focus in ln and case.shape in ln)
    assert violation.message in line
    # and the JSON form carries the same record
    assert violation.__dict__ in result.to_json()
