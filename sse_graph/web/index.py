"""What every page needs to name things: labels, notations, kinds, order, texts, the plan tree.

Loaded from the store with two queries (``rq/web/index-terms.rq``, ``rq/web/index-plan.rq``)
once per dataset version, so a page only runs the queries for its own links. When the store's
version changes (a remote store reloaded), the next page reloads the index.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from dataclasses import dataclass, field

from sse_graph.queries import internal_query
from sse_graph.store.base import Store
from sse_graph.web.i18n import Label, pick

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SSE = "https://w3id.org/sse-kg/ontology#"
DCTERMS = "http://purl.org/dc/terms/"

#: kinds of resources, most specific first: the first class a resource has names its kind
KINDS: tuple[tuple[str, str], ...] = (
    (SSE + "Activity", "activity"),
    (SSE + "Output", "output"),
    (SSE + "Objective", "objective"),
    (SSE + "Strategy", "strategy"),
    (SSE + "ConclusionParagraph", "conclusion-paragraph"),
    (SSE + "ConclusionPoint", "conclusion-point"),
    (SSE + "PBOutput", "pb-output"),
    (SSE + "PBOutcome", "pb-outcome"),
    (SSE + "Instrument", "instrument"),
    (SSE + "Principle", "principle"),
    (SSE + "ThematicArea", "thematic-area"),
    (SSE + "Paragraph", "paragraph"),
    (SSE + "Milestone", "milestone"),
    (SSE + "TargetGroup", "target-group"),
    (SSE + "ActionPlanTable", "action-plan"),
    (SSE + "SourceDocument", "document"),
    ("http://purl.org/dc/terms/PeriodOfTime", "period"),
    ("https://schema.org/MonetaryAmount", "estimate"),
    ("http://www.w3.org/ns/org#Organization", "body"),
    (SKOS + "ConceptScheme", "scheme"),
    ("http://www.w3.org/ns/prov#Entity", "entity"),
)
KIND_ORDER = {kind: i for i, (_, kind) in enumerate(KINDS)}
_CLASS_KIND = dict(KINDS)


def _value(term: dict | None) -> str | None:
    return None if term is None else term["value"]


@dataclass
class Activity:
    iri: str
    output: str
    objective: str
    start: int | None = None
    end: int | None = None
    period: str | None = None
    milestones: list[tuple[str, int | None]] = field(default_factory=list)


@dataclass
class Plan:
    strategy: str | None = None
    period: str | None = None
    start: int | None = None
    end: int | None = None
    cost: float | None = None
    estimate: str | None = None
    objectives: list[str] = field(default_factory=list)
    outputs: dict[str, list[str]] = field(default_factory=dict)  # objective → outputs
    activities: dict[str, list[str]] = field(default_factory=dict)  # output → activities
    activity: dict[str, Activity] = field(default_factory=dict)
    cost_of: dict[str, float] = field(default_factory=dict)  # objective → USD
    estimate_of: dict[str, str] = field(default_factory=dict)  # objective → estimate IRI
    objective_of: dict[str, str] = field(default_factory=dict)  # output → objective

    def all_activities(self) -> list[str]:
        return [
            a
            for o in self.objectives
            for out in self.outputs.get(o, [])
            for a in self.activities.get(out, [])
        ]


def _int(term: dict | None) -> int | None:
    if term is None:
        return None
    m = re.match(r"-?\d+", term["value"])
    return int(m.group(0)) if m else None


_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Search form of a text: NFKC, case-folded, no whitespace (Chinese is written with and
    without spaces around numbers: "第 21 届" and "第21届" must match)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).casefold())


class WebIndex:
    """Everything needed to name and order resources, for one dataset version."""

    def __init__(self, version: str):
        self.version = version
        self.labels: dict[str, dict[str, str]] = {}
        self.alt_labels: dict[str, list[tuple[str, str]]] = {}
        self.term_labels: dict[str, dict[str, str]] = {}  # rdfs:label of ontology terms
        self.titles: dict[str, dict[str, str]] = {}  # dcterms:title (the ontology, documents)
        self.notation: dict[str, str] = {}
        self.types: dict[str, set[str]] = {}
        self.order: dict[str, int] = {}
        self.texts: dict[str, dict[str, str]] = {}  # sse:text
        self.definitions: dict[str, dict[str, str]] = {}  # skos:definition
        self.notes: dict[str, dict[str, str]] = {}  # skos:scopeNote
        self.inverse: dict[str, str] = {}
        self.broader: dict[str, str] = {}  # conclusion point → paragraph, P&B output → outcome
        self.plan = Plan()
        self.search_rows: list[tuple[str, str, str, str, str]] = []  # iri, field, tag, text, folded

    # ---- loading

    @classmethod
    async def load(cls, store: Store) -> WebIndex:
        version = store.version
        terms, plan = await asyncio.gather(
            store.select(internal_query("web/index-terms")),
            store.select(internal_query("web/index-plan")),
        )
        index = cls(version)
        index._add_terms(terms)
        index._add_plan(plan)
        index._build_search()
        return index

    def _add_terms(self, rows: list[dict]) -> None:
        for row in rows:
            s, p, o = row["s"]["value"], row["p"]["value"], row["o"]
            if row["s"]["type"] != "uri":
                continue
            value = o["value"]
            tag = o.get("xml:lang", "").lower()
            if p == SKOS + "prefLabel":
                self.labels.setdefault(s, {}).setdefault(tag, value)
            elif p == SKOS + "altLabel":
                self.alt_labels.setdefault(s, []).append((tag, value))
            elif p == SKOS + "notation":
                self.notation.setdefault(s, value)
            elif p == RDF + "type" and o["type"] == "uri":
                self.types.setdefault(s, set()).add(value)
            elif p == SSE + "order":
                if re.fullmatch(r"-?\d+", value):
                    self.order[s] = int(value)
            elif p == RDFS + "label":
                self.term_labels.setdefault(s, {}).setdefault(tag, value)
            elif p == OWL + "inverseOf" and o["type"] == "uri":
                self.inverse[s] = value
                self.inverse.setdefault(value, s)
            elif p == SSE + "text":
                self.texts.setdefault(s, {}).setdefault(tag, value)
            elif p == SKOS + "definition":
                self.definitions.setdefault(s, {}).setdefault(tag, value)
            elif p == SKOS + "scopeNote":
                self.notes.setdefault(s, {}).setdefault(tag, value)
            elif p == DCTERMS + "title":
                self.titles.setdefault(s, {}).setdefault(tag, value)
            elif p in (SKOS + "broader", SSE + "pbOutcome") and o["type"] == "uri":
                self.broader.setdefault(s, value)
        for values in self.alt_labels.values():
            values.sort()

    def _add_plan(self, rows: list[dict]) -> None:
        plan = self.plan
        for row in rows:
            strategy = _value(row.get("strategy"))
            objective = _value(row.get("objective"))
            output = _value(row.get("output"))
            activity = _value(row.get("activity"))
            if strategy and not objective:
                plan.strategy = strategy
                plan.period = _value(row.get("period")) or plan.period
                plan.start = _int(row.get("start")) or plan.start
                plan.end = _int(row.get("end")) or plan.end
                if row.get("cost"):
                    plan.cost = float(row["cost"]["value"])
                    plan.estimate = _value(row.get("estimate"))
                continue
            if objective and objective not in plan.objectives:
                plan.objectives.append(objective)
            if objective and not output:
                if row.get("cost"):
                    plan.cost_of[objective] = float(row["cost"]["value"])
                    plan.estimate_of[objective] = _value(row.get("estimate")) or ""
                continue
            if output:
                outs = plan.outputs.setdefault(objective, [])
                if output not in outs:
                    outs.append(output)
                plan.objective_of[output] = objective
            if activity:
                acts = plan.activities.setdefault(output, [])
                if activity not in acts:
                    acts.append(activity)
                a = plan.activity.get(activity)
                if a is None:
                    a = plan.activity[activity] = Activity(activity, output, objective)
                a.period = _value(row.get("period")) or a.period
                a.start = _int(row.get("start")) or a.start
                a.end = _int(row.get("end")) or a.end
                milestone = _value(row.get("milestone"))
                if milestone and milestone not in [m for m, _ in a.milestones]:
                    a.milestones.append((milestone, _int(row.get("year"))))
        plan.objectives.sort(key=self.sort_key)
        for outs in plan.outputs.values():
            outs.sort(key=self.sort_key)
        for acts in plan.activities.values():
            acts.sort(key=self.sort_key)

    def _build_search(self) -> None:
        rows = self.search_rows
        for iri, values in self.labels.items():
            for tag, text in values.items():
                rows.append((iri, "label", tag, text, fold(text)))
        for iri, values in self.alt_labels.items():
            for tag, text in values:
                rows.append((iri, "label", tag, text, fold(text)))
        for iri, notation in self.notation.items():
            rows.append((iri, "notation", "", notation, fold(notation)))
        for source, name in (
            (self.texts, "text"),
            (self.definitions, "text"),
            (self.notes, "text"),
        ):
            for iri, values in source.items():
                for tag, text in values.items():
                    rows.append((iri, name, tag, text, fold(text)))

    # ---- lookups

    def known(self, iri: str) -> bool:
        return iri in self.labels or iri in self.types or iri in self.notation

    def kind(self, iri: str) -> str:
        types = self.types.get(iri, ())
        for cls, kind in KINDS:
            if cls in types:
                return kind
        return "resource"

    def label(self, iri: str, lang: str) -> Label | None:
        return (
            pick(self.labels.get(iri), lang)
            or pick(self.term_labels.get(iri), lang)
            or pick(self.titles.get(iri), lang)
        )

    def sort_key(self, iri: str) -> tuple:
        """Display order: sse:order, else the notation's numbers and letters, else the IRI."""
        notation = self.notation.get(iri) or iri.rsplit("/", 1)[-1]
        parts = tuple(
            (0, int(x), "") if x.isdigit() else (1, 0, x)
            for x in re.findall(r"\d+|[A-Za-z]+", notation)
        )
        return (parts, self.order.get(iri, 0), iri)

    def ordered(self, iris) -> list[str]:
        return sorted(set(iris), key=self.sort_key)


class IndexCache:
    """The current :class:`WebIndex`, reloaded when the store's version changes."""

    def __init__(self) -> None:
        self._index: WebIndex | None = None
        self._lock = asyncio.Lock()

    async def get(self, store: Store) -> WebIndex:
        index = self._index
        if index is not None and index.version == store.version:
            return index
        async with self._lock:
            index = self._index
            if index is None or index.version != store.version:
                index = self._index = await WebIndex.load(store)
        return index
