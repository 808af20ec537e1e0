"""The build: cache keyed by inputs, deterministic output, reasoning kept apart and explainable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sse_graph.build import BuildError, build, cache_key
from sse_graph.settings import Settings

SSE = "https://w3id.org/sse-kg/ontology#"
ID = "https://w3id.org/sse-kg/id/"
ASSERTED = ID + "graph/asserted"
INFERRED = ID + "graph/inferred"


def test_same_inputs_same_bytes(built, tmp_path: Path) -> None:
    again = build(Settings(cache_dir=tmp_path), force=True, log=lambda *_: None)
    assert again.version == built.version
    for name in ("asserted.nq", "inferred.nq"):
        assert (again.directory / name).read_bytes() == (built.directory / name).read_bytes()


def test_cache_key_follows_every_input(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    settings = Settings(data_dir=data, cache_dir=tmp_path / "cache")
    before = cache_key(settings)
    with (data / "plan.ttl").open("a", encoding="utf-8") as f:
        f.write("\n# a comment changes the bytes, hence the version\n")
    assert cache_key(settings) != before


def test_invalid_data_is_not_cached(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    plan = (data / "plan.ttl").read_text("utf-8")
    (data / "plan.ttl").write_text(plan.replace('"15600000"', '"15700000"', 1), "utf-8")
    settings = Settings(data_dir=data, cache_dir=tmp_path / "cache")
    with pytest.raises(BuildError, match="does not validate"):
        build(settings, log=lambda *_: None)
    assert not list((tmp_path / "cache").glob("*/manifest.json"))


def test_inferred_links_are_never_asserted(oxstore) -> None:
    for prop in ("relatedInstrument", "thematicInstrument", "relatedActivity", "thematicActivity"):
        assert not bool(oxstore.query(f"ASK {{ GRAPH <{ASSERTED}> {{ ?a <{SSE}{prop}> ?i }} }}"))
        assert bool(oxstore.query(f"ASK {{ GRAPH <{INFERRED}> {{ ?a <{SSE}{prop}> ?i }} }}"))


def _pairs(store, prop: str) -> set[tuple[str, str]]:
    rows = store.query(
        f"SELECT ?a ?i WHERE {{ ?a <{SSE}{prop}> ?i }}", use_default_graph_as_union=True
    )
    return {(r["a"].value.removeprefix(ID), r["i"].value.removeprefix(ID)) for r in rows}


def test_issue_acceptance_links(oxstore) -> None:
    related = _pairs(oxstore, "relatedInstrument")
    assert {
        ("activity/2.1-a", "instrument/R193"),
        ("activity/2.1-b", "instrument/R193"),
        ("activity/2.2-a", "instrument/R189"),
    } <= related
    assert {a for a, i in related if i == "instrument/R193"} == {"activity/2.1-a", "activity/2.1-b"}
    assert {a for a, i in related if i == "instrument/R189"} == {"activity/2.2-a"}
    thematic = _pairs(oxstore, "thematicInstrument")
    assert thematic == {
        ("activity/3.1-a", "instrument/R204"),
        ("activity/3.1-b", "instrument/R204"),
        ("activity/3.1-a", "instrument/R205"),
        ("activity/3.1-b", "instrument/R205"),
    }


def test_every_related_link_is_explained_by_a_citation(oxstore) -> None:
    """The chain's premises are all asserted: each inferred link has a citation behind it."""
    unexplained = oxstore.query(f"""
        SELECT ?a ?i WHERE {{
          GRAPH <{INFERRED}> {{ ?a <{SSE}relatedInstrument> ?i }}
          FILTER NOT EXISTS {{ GRAPH <{ASSERTED}> {{
            ?o <{SSE}hasActivity> ?a ; <{SSE}describedBy> ?p . ?p <{SSE}cites> ?i }} }}
        }}""")
    assert list(unexplained) == []
    unexplained = oxstore.query(f"""
        SELECT ?a ?i WHERE {{
          GRAPH <{INFERRED}> {{ ?a <{SSE}thematicInstrument> ?i }}
          FILTER NOT EXISTS {{ GRAPH <{ASSERTED}> {{
            ?o <{SSE}hasActivity> ?a ; <{SSE}hasThematicArea> ?t . ?i <{SSE}addresses> ?t }} }}
        }}""")
    assert list(unexplained) == []


def test_subclass_and_inverse_reasoning(oxstore) -> None:
    instruments = {
        r["i"].value
        for r in oxstore.query(
            f"SELECT ?i WHERE {{ ?i a <{SSE}Instrument> }}", use_default_graph_as_union=True
        )
    }
    assert ID + "instrument/R193" in instruments
    assert bool(
        oxstore.query(
            f"ASK {{ GRAPH <{ASSERTED}> {{ <{ID}instrument/R193> a <{SSE}Recommendation> }} "
            f"FILTER NOT EXISTS {{ GRAPH <{ASSERTED}> "
            f"{{ <{ID}instrument/R193> a <{SSE}Instrument> }} }} }}"
        )
    )
    implemented = {
        r["a"].value.removeprefix(ID)
        for r in oxstore.query(
            f"SELECT ?a WHERE {{ <{ID}conclusion-point/9n> <{SSE}implementedBy> ?a }}",
            use_default_graph_as_union=True,
        )
    }
    assert {"activity/1.2-a", "activity/2.1-a", "activity/2.2-a", "activity/2.3-a"} <= implemented
    narrower = bool(
        oxstore.query(
            f"ASK {{ <{ID}conclusion-point/9> <http://www.w3.org/2004/02/skos/core#narrower> "
            f"<{ID}conclusion-point/9n> }}",
            use_default_graph_as_union=True,
        )
    )
    assert narrower


def test_inferred_graph_is_about_our_resources(oxstore) -> None:
    foreign = oxstore.query(f"""SELECT ?s WHERE {{ GRAPH <{INFERRED}> {{ ?s ?p ?o }}
        FILTER(!STRSTARTS(STR(?s), "https://w3id.org/sse-kg/")) }} LIMIT 5""")
    assert list(foreign) == []
    trivial = oxstore.query(f"""ASK {{ GRAPH <{INFERRED}> {{
        {{ ?s <http://www.w3.org/2002/07/owl#sameAs> ?s }} UNION
        {{ ?s a <http://www.w3.org/2002/07/owl#Thing> }} }} }}""")
    assert not bool(trivial)
