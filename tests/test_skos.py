"""SKOS integrity: the concept schemes load as they are in SKOS tools (Skosmos and the like).

Checked on the graph after reasoning (the union of the asserted and inferred graphs), as a SKOS
tool reading the ``sse-kg-full`` dump would see it, and on that dump itself.
"""

from __future__ import annotations

import gzip

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

ID = "https://w3id.org/sse-kg/id/"
SSE = "https://w3id.org/sse-kg/ontology#"
PREFIX = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"


def rows(oxstore, query: str) -> list[tuple]:
    return [
        tuple(t.value if t is not None else None for t in r)
        for r in oxstore.query(PREFIX + query, use_default_graph_as_union=True)
    ]


def test_the_named_schemes_exist(oxstore) -> None:
    schemes = {r[0] for r in rows(oxstore, "SELECT ?s WHERE { ?s a skos:ConceptScheme }")}
    for name in (
        "conclusion-points",
        "pb-outputs",
        "instruments",
        "thematic-areas",
        "principles",
        "target-groups",
    ):
        assert ID + "scheme/" + name in schemes
    unlabelled = rows(
        oxstore,
        "SELECT ?s WHERE { ?s a skos:ConceptScheme FILTER NOT EXISTS { ?s skos:prefLabel ?l } }",
    )
    assert not unlabelled


@pytest.mark.parametrize(
    ("scheme", "cls"),
    [
        ("conclusion-points", "ConclusionPoint"),
        ("pb-outputs", "PBOutput"),
        ("pb-outputs", "PBOutcome"),
        ("instruments", "Instrument"),
        ("thematic-areas", "ThematicArea"),
    ],
)
def test_each_kind_is_in_its_scheme(oxstore, scheme, cls) -> None:
    outside = rows(
        oxstore,
        f"SELECT ?c WHERE {{ ?c a <{SSE}{cls}> "
        f"FILTER NOT EXISTS {{ ?c skos:inScheme <{ID}scheme/{scheme}> }} }}",
    )
    assert not outside
    assert rows(oxstore, f"SELECT ?c WHERE {{ ?c a <{SSE}{cls}> }} LIMIT 1")


def test_pb_outputs_have_their_outcome_as_broader(oxstore) -> None:
    bad = rows(
        oxstore,
        f"SELECT ?o ?c WHERE {{ ?o <{SSE}pbOutcome> ?c "
        "FILTER NOT EXISTS { ?o skos:broader ?c } }",
    )
    assert not bad
    missing = rows(
        oxstore,
        f"SELECT ?o WHERE {{ ?o a <{SSE}PBOutput> "
        f"FILTER NOT EXISTS {{ ?o <{SSE}pbOutcome> ?c }} }}",
    )
    assert not missing


def test_no_concept_has_two_preflabels_in_one_language(oxstore) -> None:
    """SKOS S14."""
    bad = rows(
        oxstore,
        "SELECT ?c ?a ?b WHERE { ?c skos:prefLabel ?a, ?b "
        "FILTER(?a != ?b && LANG(?a) = LANG(?b)) }",
    )
    assert not bad, bad[:5]


def test_every_concept_has_a_preflabel(oxstore) -> None:
    bad = rows(
        oxstore, "SELECT ?c WHERE { ?c a skos:Concept FILTER NOT EXISTS { ?c skos:prefLabel ?l } }"
    )
    assert not bad


def test_pref_and_alt_labels_are_disjoint(oxstore) -> None:
    """SKOS S13."""
    assert not rows(oxstore, "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l ; skos:altLabel ?l }")


def test_broader_and_narrower_are_symmetric_after_reasoning(oxstore) -> None:
    assert rows(oxstore, "SELECT ?a WHERE { ?a skos:broader ?b } LIMIT 1")
    assert not rows(
        oxstore,
        "SELECT ?a ?b WHERE { ?a skos:broader ?b FILTER NOT EXISTS { ?b skos:narrower ?a } }",
    )
    assert not rows(
        oxstore,
        "SELECT ?a ?b WHERE { ?a skos:narrower ?b FILTER NOT EXISTS { ?b skos:broader ?a } }",
    )


def test_top_concepts_are_symmetric_and_in_their_scheme(oxstore) -> None:
    assert not rows(
        oxstore,
        "SELECT ?c ?s WHERE { ?c skos:topConceptOf ?s "
        "FILTER NOT EXISTS { ?s skos:hasTopConcept ?c } }",
    )
    assert not rows(
        oxstore,
        "SELECT ?c ?s WHERE { ?s skos:hasTopConcept ?c "
        "FILTER NOT EXISTS { ?c skos:topConceptOf ?s } }",
    )
    assert not rows(
        oxstore,
        "SELECT ?c ?s WHERE { ?c skos:topConceptOf ?s FILTER NOT EXISTS { ?c skos:inScheme ?s } }",
    )
    # a top concept has no broader concept in its own scheme
    assert not rows(
        oxstore,
        "SELECT ?c WHERE { ?c skos:topConceptOf ?s ; skos:broader ?b . ?b skos:inScheme ?s }",
    )


def test_every_concept_is_in_a_scheme(oxstore) -> None:
    bad = rows(
        oxstore, "SELECT ?c WHERE { ?c a skos:Concept FILTER NOT EXISTS { ?c skos:inScheme ?s } }"
    )
    assert not bad, bad[:5]
    # and every scheme it names is a concept scheme
    assert not rows(
        oxstore,
        "SELECT ?c ?s WHERE { ?c skos:inScheme ?s FILTER NOT EXISTS { ?s a skos:ConceptScheme } }",
    )


def test_broader_has_no_cycles(oxstore) -> None:
    assert not rows(oxstore, "SELECT ?c WHERE { ?c skos:broader+ ?c }")


def test_related_is_disjoint_from_broader_transitive(oxstore) -> None:
    """SKOS S27."""
    assert not rows(oxstore, "SELECT ?a ?b WHERE { ?a skos:related ?b ; skos:broader+ ?b }")


def test_notations_are_unique_within_a_scheme(oxstore) -> None:
    bad = rows(
        oxstore,
        "SELECT ?s ?n WHERE { ?a skos:inScheme ?s ; skos:notation ?n . "
        "?b skos:inScheme ?s ; skos:notation ?n FILTER(?a != ?b) }",
    )
    assert not bad, bad[:5]


def test_the_full_dump_is_skos_as_published(client) -> None:
    """What a SKOS tool loads from the download: the same checks on the file."""
    nt = gzip.decompress(client.get("/download/sse-kg-full.nt.gz").content).decode()
    g = Graph().parse(data=nt, format="nt")
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) > 100
    for c in concepts:
        assert set(g.objects(c, SKOS.inScheme)), c
        langs = [lbl.language for lbl in g.objects(c, SKOS.prefLabel)]
        assert len(langs) == len(set(langs)), c
    for a, b in g.subject_objects(SKOS.broader):
        assert (b, SKOS.narrower, a) in g
    scheme = URIRef(ID + "scheme/instruments")
    assert (URIRef(ID + "instrument/R193"), SKOS.topConceptOf, scheme) in g
