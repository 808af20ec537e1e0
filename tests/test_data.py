"""Faithful data: every fact traces to the seed or to facts.md, and nothing is invented.

The action-plan table itself is checked row by row in tests/test_queries.py; here: the paragraph
texts, the official wording, the language tags, provenance and outgoing links.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from tests.seed import FACTS_FILE, SEED_FILE, load_seed

ROOT = Path(__file__).resolve().parent.parent
SSE = Namespace("https://w3id.org/sse-kg/ontology#")
ID = "https://w3id.org/sse-kg/id/"
ALLOWED_TAGS = {"zh", "en", "en-t-zh", "zh-t-en"}
# namespaces an object IRI may be in: ours and the standard vocabularies we use
VOCABULARIES = (
    "https://w3id.org/sse-kg/",
    "http://www.w3.org/",
    "http://purl.org/dc/",
    "https://schema.org/",
    "http://xmlns.com/foaf/0.1/",
    "http://rdfs.org/ns/void#",
    "http://spdx.org/rdf/terms#",
    "https://creativecommons.org/licenses/by/4.0/",
    "http://purl.org/vocab/vann/",
    "http://id.loc.gov/vocabulary/iso639-1/",
    "http://publications.europa.eu/resource/authority/",
)


def squash(text: str) -> str:
    """Compare texts without whitespace and markup (the seed has line breaks and ** markers)."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    text = re.sub(r"(?m)^\s*(?:#+\s*|-\s+)", "", text)  # headings and list bullets
    text = text.replace("\\(", "(").replace("\\)", ")").replace("**", "")
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def data() -> Graph:
    g = Graph()
    for path in sorted((ROOT / "data").glob("*.ttl")):
        g.parse(path)
    return g


@pytest.fixture(scope="module")
def seed_text() -> str:
    return squash(SEED_FILE.read_text("utf-8"))


def test_counts(data: Graph) -> None:
    def n(cls):
        return len(set(data.subjects(RDF.type, cls)))

    assert (n(SSE.Objective), n(SSE.Output), n(SSE.Activity), n(SSE.Paragraph)) == (3, 9, 17, 30)
    assert len(set(data.objects(None, SSE.implements))) == 44
    assert len(set(data.objects(None, SSE.contributesTo))) == 31
    assert len(list(data.triples((None, SSE.implements, None)))) == 97
    assert len(list(data.triples((None, SSE.contributesTo, None)))) == 88
    assert n(SSE.Principle) == 5 and n(SSE.ThematicArea) == 5


def test_paragraph_texts_are_the_seed(data: Graph, seed_text: str) -> None:
    seed = load_seed()
    for paragraph in data.subjects(RDF.type, SSE.Paragraph):
        number = int(data.value(paragraph, SSE.paragraphNumber))
        texts = {o.language: str(o) for o in data.objects(paragraph, SSE.text)}
        assert set(texts) == {"zh", "en-t-zh"}, paragraph
        zh = squash(texts["zh"])
        assert zh in seed_text, f"paragraph {number}: Chinese text not found in the seed"
        parsed = squash(re.sub(r"^(?:#+\s*)?(?:-\s*)?\d{1,2}\.\s*", "", seed.paragraphs[number]))
        assert zh == parsed or zh in parsed or parsed in zh, number
        assert texts["en-t-zh"].strip(), number


@pytest.mark.parametrize("cls", ["Objective", "Output", "Activity", "Principle", "ThematicArea"])
def test_chinese_labels_come_from_the_seed(data: Graph, seed_text: str, cls: str) -> None:
    for s in data.subjects(RDF.type, SSE[cls]):
        zh = [o for o in data.objects(s, SKOS.prefLabel) if o.language == "zh"]
        assert len(zh) == 1, s
        assert squash(zh[0]) in seed_text, f"{s}: {zh[0]!r} is not in the seed"


@pytest.mark.parametrize(
    "cls", ["Objective", "Principle", "ThematicArea", "Recommendation", "PBOutcome"]
)
def test_official_english_comes_from_facts(data: Graph, cls: str) -> None:
    facts = re.sub(r"\s+", " ", FACTS_FILE.read_text("utf-8"))
    for s in data.subjects(RDF.type, SSE[cls]):
        en = [o for o in data.objects(s, SKOS.prefLabel) if o.language == "en"]
        assert len(en) == 1, s
        wording = re.sub(r"^Outcome [1-8A-C]: ", "", str(en[0]))  # "Outcome 4: <title>"
        assert wording in facts, f"{s}: {en[0]!r} is tagged @en but is not in facts.md"


def test_language_tags(data: Graph) -> None:
    tags = {o.language for o in data.objects() if isinstance(o, Literal) and o.language}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS


def test_every_instance_has_a_source(data: Graph) -> None:
    missing = []
    for s in set(data.subjects(RDF.type, None)):
        if not str(s).startswith(ID) or str(s) == ID + "document/reference-facts":
            continue
        if data.value(s, DCTERMS.source) is None:
            missing.append(str(s))
    assert missing == []
    sources = {str(o) for o in data.objects(None, DCTERMS.source)}
    allowed = re.compile(
        re.escape(ID) + r"(paragraph/([1-9]|[12]\d|30)|document/gb346-sse-strategy"
        r"(/action-plan)?|document/reference-facts)$"
    )
    assert all(allowed.match(src) for src in sources), sorted(
        s for s in sources if not allowed.match(s)
    )


def test_no_invented_links(data: Graph) -> None:
    """Object IRIs are ours or standard vocabularies: no external identifier was made up."""
    outside = sorted(
        {str(o) for o in data.objects() if isinstance(o, URIRef)}
        - {o for o in map(str, data.objects()) if o.startswith(VOCABULARIES)}
    )
    assert outside == []


def test_every_linked_resource_exists(data: Graph) -> None:
    """No dangling IRI under our base: everything an entity points to is described."""
    subjects = {str(s) for s in data.subjects()}
    dangling = sorted(
        str(o)
        for o in data.objects()
        if isinstance(o, URIRef) and str(o).startswith(ID) and str(o) not in subjects
    )
    assert dangling == []
