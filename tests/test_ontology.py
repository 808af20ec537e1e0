"""The ontology: the public vocabulary of docs/modelling.md, documented, inside OWL 2 RL.

Besides checking that every term is there and documented in English and Chinese, this runs the
OWL 2 RL reasoner (owlrl) on the ontology plus a tiny hand-made graph to prove that the two
property chains really produce sse:relatedInstrument and sse:thematicInstrument.
"""

from __future__ import annotations

import owlrl
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS

from sse_graph.resources import resource_path

SSE = Namespace("https://w3id.org/sse-kg/ontology#")
ID = Namespace("https://w3id.org/sse-kg/id/")
VANN = Namespace("http://purl.org/vocab/vann/")
ONTOLOGY = URIRef("https://w3id.org/sse-kg/ontology")

# Terms of docs/modelling.md, exactly as named there.
CLASSES = [
    "Strategy", "Objective", "Output", "Activity", "ConclusionPoint", "ConclusionParagraph",
    "PBOutput", "PBOutcome", "Instrument", "Recommendation", "Declaration", "Constitution",
    "Conclusions", "CallToAction", "GlobalAgenda", "Principle", "ThematicArea", "Paragraph",
    "Milestone", "TargetGroup", "SourceDocument", "ActionPlanTable",
]  # fmt: skip
CONCEPT_CLASSES = [
    "ConclusionPoint", "ConclusionParagraph", "PBOutput", "PBOutcome", "Instrument",
    "ThematicArea", "Principle", "TargetGroup",
]  # fmt: skip
INSTRUMENT_SUBCLASSES = [
    "Recommendation", "Declaration", "Constitution", "Conclusions", "CallToAction", "GlobalAgenda",
]  # fmt: skip
INVERSE_PAIRS = [
    ("hasObjective", "objectiveOf"),
    ("hasOutput", "outputOf"),
    ("hasActivity", "activityOf"),
    ("implements", "implementedBy"),
    ("contributesTo", "receivesContributionFrom"),
    ("cites", "citedBy"),
    ("describedBy", "describes"),
    ("relatedInstrument", "relatedActivity"),
    ("hasThematicArea", "thematicAreaOf"),
    ("addresses", "addressedBy"),
    ("thematicInstrument", "thematicActivity"),
]
OTHER_OBJECT_PROPERTIES = ["pbOutcome", "estimatedCost", "milestone", "body", "mentionsBody",
                           "mentionsGroup", "adoptedBy"]  # fmt: skip
DATATYPE_PROPERTIES = ["year", "text", "paragraphNumber", "order", "adoptedYear", "session"]
OBJECT_PROPERTIES = [p for pair in INVERSE_PAIRS for p in pair] + OTHER_OBJECT_PROPERTIES

# Domains and ranges as the modelling table gives them. Where the table lists several classes,
# OWL 2 RL cannot take their union as a domain: the ontology uses a common superclass
# (sse:PlanElement) or owl:Thing, and the comment says which classes are meant.
EXPECTED_DOMAIN_RANGE = {
    "hasObjective": (SSE.Strategy, SSE.Objective),
    "hasOutput": (SSE.Objective, SSE.Output),
    "hasActivity": (SSE.Output, SSE.Activity),
    "implements": (SSE.Activity, SSE.ConclusionPoint),
    "contributesTo": (SSE.Activity, SSE.PBOutput),
    "cites": (SSE.Paragraph, SSE.Instrument),
    "describedBy": (SSE.PlanElement, SSE.Paragraph),
    "relatedInstrument": (SSE.Activity, SSE.Instrument),
    "hasThematicArea": (SSE.Output, SSE.ThematicArea),
    "addresses": (SSE.Instrument, SSE.ThematicArea),
    "thematicInstrument": (SSE.Activity, SSE.Instrument),
    "pbOutcome": (SSE.PBOutput, SSE.PBOutcome),
    "estimatedCost": (SSE.PlanElement, URIRef("https://schema.org/MonetaryAmount")),
    "milestone": (SSE.Activity, SSE.Milestone),
    "year": (SSE.Milestone, URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    "body": (SSE.Milestone, URIRef("http://www.w3.org/ns/org#Organization")),
    "text": (SSE.Paragraph, RDF.langString),
    "paragraphNumber": (SSE.Paragraph, URIRef("http://www.w3.org/2001/XMLSchema#integer")),
    "order": (OWL.Thing, URIRef("http://www.w3.org/2001/XMLSchema#integer")),
    "mentionsBody": (SSE.Paragraph, URIRef("http://www.w3.org/ns/org#Organization")),
    "mentionsGroup": (OWL.Thing, SSE.TargetGroup),
    "adoptedBy": (SSE.Instrument, URIRef("http://www.w3.org/ns/org#Organization")),
    "adoptedYear": (SSE.Instrument, URIRef("http://www.w3.org/2001/XMLSchema#gYear")),
    "session": (SSE.Instrument, RDF.langString),
}


@pytest.fixture(scope="session")
def onto() -> Graph:
    return Graph().parse(resource_path("ontology", "sse.ttl"), format="turtle")


def ours(g: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(s for s in g.subjects(RDF.type, kind) if str(s).startswith(str(SSE)))


def languages(g: Graph, s: URIRef, p: URIRef) -> set[str]:
    return {o.language for o in g.objects(s, p) if isinstance(o, Literal) and o.language}


# --- header ----------------------------------------------------------------------------------


def test_header(onto: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in onto
    assert languages(onto, ONTOLOGY, DCTERMS.title) == {"en", "zh"}
    assert languages(onto, ONTOLOGY, DCTERMS.description) == {"en", "zh"}
    assert onto.value(ONTOLOGY, OWL.versionIRI) == URIRef("https://w3id.org/sse-kg/ontology/1.0.0")
    assert str(onto.value(ONTOLOGY, OWL.versionInfo)) == "1.0.0"
    assert onto.value(ONTOLOGY, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(onto.value(ONTOLOGY, DCTERMS.creator)) == "sse-graph maintainers"
    assert onto.value(ONTOLOGY, DCTERMS.source) == ID["document/gb346-sse-strategy"]
    assert str(onto.value(ONTOLOGY, VANN.preferredNamespacePrefix)) == "sse"
    assert str(onto.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(SSE)


# --- the contract's terms --------------------------------------------------------------------


@pytest.mark.parametrize("name", CLASSES)
def test_contract_class_declared(onto: Graph, name: str) -> None:
    assert (SSE[name], RDF.type, OWL.Class) in onto


@pytest.mark.parametrize("name", OBJECT_PROPERTIES)
def test_contract_object_property_declared(onto: Graph, name: str) -> None:
    assert (SSE[name], RDF.type, OWL.ObjectProperty) in onto


@pytest.mark.parametrize("name", DATATYPE_PROPERTIES)
def test_contract_datatype_property_declared(onto: Graph, name: str) -> None:
    assert (SSE[name], RDF.type, OWL.DatatypeProperty) in onto


@pytest.mark.parametrize("name", CONCEPT_CLASSES)
def test_concept_classes_are_skos_concepts(onto: Graph, name: str) -> None:
    assert (SSE[name], RDFS.subClassOf, SKOS.Concept) in onto


@pytest.mark.parametrize("name", INSTRUMENT_SUBCLASSES)
def test_instrument_subclasses(onto: Graph, name: str) -> None:
    assert (SSE[name], RDFS.subClassOf, SSE.Instrument) in onto


@pytest.mark.parametrize(("name", "expected"), sorted(EXPECTED_DOMAIN_RANGE.items()))
def test_domain_and_range_as_in_the_contract(onto: Graph, name: str, expected: tuple) -> None:
    assert (onto.value(SSE[name], RDFS.domain), onto.value(SSE[name], RDFS.range)) == expected


@pytest.mark.parametrize(("forward", "backward"), INVERSE_PAIRS)
def test_inverse_pairs(onto: Graph, forward: str, backward: str) -> None:
    assert (SSE[forward], OWL.inverseOf, SSE[backward]) in onto
    assert (SSE[backward], OWL.inverseOf, SSE[forward]) in onto
    # an inverse's domain and range are the forward property's, swapped
    assert onto.value(SSE[backward], RDFS.domain) == onto.value(SSE[forward], RDFS.range)
    assert onto.value(SSE[backward], RDFS.range) == onto.value(SSE[forward], RDFS.domain)


def test_pb_outcome_is_a_kind_of_skos_broader(onto: Graph) -> None:
    assert (SSE.pbOutcome, RDFS.subPropertyOf, SKOS.broader) in onto


@pytest.mark.parametrize(
    ("prop", "chain"),
    [
        ("relatedInstrument", ["activityOf", "describedBy", "cites"]),
        ("thematicInstrument", ["activityOf", "hasThematicArea", "addressedBy"]),
    ],
)
def test_property_chains(onto: Graph, prop: str, chain: list[str]) -> None:
    heads = list(onto.objects(SSE[prop], OWL.propertyChainAxiom))
    assert len(heads) == 1
    assert list(Collection(onto, heads[0])) == [SSE[p] for p in chain]
    comment = " ".join(str(c) for c in onto.objects(SSE[prop], RDFS.comment) if c.language == "en")
    assert "NEVER ASSERTED" in comment


# --- documentation of every term -------------------------------------------------------------


def all_terms(onto: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return sorted({t for kind in kinds for t in ours(onto, kind)})


def test_no_undeclared_terms(onto: Graph) -> None:
    """Every sse: IRI used in the ontology is declared as a class or property."""
    used = {
        n
        for t in onto
        for n in t
        if isinstance(n, URIRef) and str(n).startswith(str(SSE)) and n != URIRef(str(SSE))
    }
    assert used - set(all_terms(onto)) == set()


def test_every_term_is_documented(onto: Graph) -> None:
    problems = []
    for term in all_terms(onto):
        if languages(onto, term, RDFS.label) != {"en", "zh"}:
            problems.append(f"{term}: rdfs:label must be en and zh")
        if len(list(onto.objects(term, RDFS.label))) != 2:
            problems.append(f"{term}: exactly one rdfs:label per language")
        if not {"en", "zh"} <= languages(onto, term, RDFS.comment):
            problems.append(f"{term}: rdfs:comment must be en and zh")
        if onto.value(term, RDFS.isDefinedBy) != ONTOLOGY:
            problems.append(f"{term}: rdfs:isDefinedBy the ontology")
    assert problems == []


def test_every_property_has_domain_and_range(onto: Graph) -> None:
    props = ours(onto, OWL.ObjectProperty) + ours(onto, OWL.DatatypeProperty)
    missing = [
        p for p in props if onto.value(p, RDFS.domain) is None or onto.value(p, RDFS.range) is None
    ]
    assert missing == []


# --- OWL 2 RL ------------------------------------------------------------------------------


def test_stays_inside_owl2_rl(onto: Graph) -> None:
    """No constructs OWL 2 RL cannot use where we would be tempted to use them."""
    assert not list(onto.triples((None, OWL.unionOf, None)))
    assert not list(onto.triples((None, OWL.someValuesFrom, None)))
    for card in (OWL.cardinality, OWL.minCardinality, OWL.qualifiedCardinality):
        assert not list(onto.triples((None, card, None)))
    for card in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        assert all(int(o) <= 1 for o in onto.objects(None, card))
    # domains and ranges are named classes or datatypes, never anonymous class expressions
    for p in (RDFS.domain, RDFS.range, RDFS.subClassOf):
        assert not [o for o in onto.objects(None, p) if isinstance(o, BNode)]
    # no characteristics that would let the reasoner merge individuals (owl:sameAs)
    for kind in (OWL.FunctionalProperty, OWL.InverseFunctionalProperty):
        assert not ours(onto, kind)


TINY = """
@prefix sse: <https://w3id.org/sse-kg/ontology#> .
@prefix id: <https://w3id.org/sse-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:output\\/2.1 a sse:Output ;
    sse:hasActivity id:activity\\/2.1-a ;
    sse:describedBy id:paragraph\\/15 .
id:activity\\/2.1-a a sse:Activity .
id:paragraph\\/15 a sse:Paragraph ;
    sse:paragraphNumber 15 ;
    sse:text "在促进有利于体面劳动的可持续企业方面……"@zh ,
        "In promoting sustainable enterprises …"@en-t-zh ;
    sse:cites id:instrument\\/R193 .
id:instrument\\/R193 a sse:Recommendation ;
    sse:adoptedYear "2002"^^xsd:gYear ;
    sse:session "90th Session"@en .

id:output\\/3.1 a sse:Output ;
    sse:hasActivity id:activity\\/3.1-a ;
    sse:describedBy id:paragraph\\/24 ;
    sse:hasThematicArea id:thematic-area\\/24b .
id:activity\\/3.1-a a sse:Activity .
id:paragraph\\/24 a sse:Paragraph .
id:thematic-area\\/24b a sse:ThematicArea .
id:instrument\\/R204 a sse:Recommendation ;
    sse:addresses id:thematic-area\\/24b .
"""


@pytest.fixture(scope="session")
def closure(onto: Graph) -> Graph:
    g = Graph()
    g += onto
    g.parse(data=TINY, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    return g


def test_related_instrument_is_inferred_by_the_chain(closure: Graph) -> None:
    a21a, r193 = ID["activity/2.1-a"], ID["instrument/R193"]
    assert (a21a, SSE.activityOf, ID["output/2.1"]) in closure
    assert (a21a, SSE.relatedInstrument, r193) in closure
    assert (r193, SSE.relatedActivity, a21a) in closure
    # R193 is cited only by a paragraph of output 2.1: no link to the activity of 3.1
    assert (ID["activity/3.1-a"], SSE.relatedInstrument, r193) not in closure


def test_thematic_instrument_is_inferred_by_the_chain(closure: Graph) -> None:
    a31a, r204 = ID["activity/3.1-a"], ID["instrument/R204"]
    assert (a31a, SSE.thematicInstrument, r204) in closure
    assert (r204, SSE.thematicActivity, a31a) in closure
    # the thematic link is kept apart from the citation link
    assert (a31a, SSE.relatedInstrument, r204) not in closure
    assert (ID["activity/2.1-a"], SSE.thematicInstrument, r204) not in closure


def test_alignments_are_inferred(closure: Graph) -> None:
    assert (ID["output/2.1"], DCTERMS.hasPart, ID["activity/2.1-a"]) in closure
    assert (ID["activity/2.1-a"], DCTERMS.isPartOf, ID["output/2.1"]) in closure
    assert (ID["paragraph/15"], DCTERMS.references, ID["instrument/R193"]) in closure
    assert (ID["instrument/R193"], RDF.type, SSE.Instrument) in closure
    assert (ID["instrument/R193"], RDF.type, SKOS.Concept) in closure
    assert (ID["output/2.1"], RDF.type, SSE.PlanElement) in closure


def test_reasoning_raises_no_inconsistency(closure: Graph) -> None:
    """owlrl records clashes (e.g. a literal outside a datatype range) as error messages."""
    from owlrl.Namespaces import ERRNS

    assert [str(m) for m in closure.objects(None, ERRNS.error)] == []
