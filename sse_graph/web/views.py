"""The data behind each resource page: what is linked to the resource, in both directions, and
the sections its kind adds (an instrument's related activities and why, an activity's points…).

Every page runs at most three queries: ``web/links`` (all statements about the resource),
and, for the kinds that need them, ``web/trace`` (instrument → paragraph → output → activity)
and ``web/matrix`` (activity → conclusion points and P&B outputs). Names come from the
:class:`~sse_graph.web.index.WebIndex`.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field

from sse_graph.queries import internal_query
from sse_graph.store.base import Store
from sse_graph.store.base import iri as iri_term
from sse_graph.web import svg
from sse_graph.web.i18n import Label
from sse_graph.web.index import DCTERMS, KIND_ORDER, RDF, SKOS, SSE, WebIndex
from sse_graph.web.quotes import Quote, quote
from sse_graph.web.render import Page

INFERRED_SUFFIX = "graph/inferred"
SCHEMA_VALUE = "https://schema.org/value"

#: inverse pairs of external vocabularies (the ontology's own come from owl:inverseOf)
KNOWN_INVERSES = {
    SKOS + "broader": SKOS + "narrower",
    SKOS + "narrower": SKOS + "broader",
    SKOS + "hasTopConcept": SKOS + "topConceptOf",
    SKOS + "topConceptOf": SKOS + "hasTopConcept",
    DCTERMS + "hasPart": DCTERMS + "isPartOf",
    DCTERMS + "isPartOf": DCTERMS + "hasPart",
    DCTERMS + "references": DCTERMS + "isReferencedBy",
    DCTERMS + "isReferencedBy": DCTERMS + "references",
}
#: properties shown in the page header, not again in the statements
HEADER_PROPS = {SKOS + "prefLabel"}
#: properties whose values are long texts, shown in their own section
TEXT_PROPS = {SSE + "text", SKOS + "definition"}
#: long lists are folded in a <details> past this many items
FOLD_AFTER = 24


# ---------------------------------------------------------------------------------------------
# Statements in both directions
# ---------------------------------------------------------------------------------------------


@dataclass
class Item:
    iri: str | None = None
    literal: Label | None = None
    datatype: str | None = None
    inferred: bool = False
    is_term: bool = False  # an ontology/vocabulary term (a class): shown by name, not linked


@dataclass
class Group:
    direction: str  # "out" | "in"
    prop: str
    items: list[Item] = field(default_factory=list)

    @property
    def inferred(self) -> bool:
        return all(i.inferred for i in self.items)


class Links:
    def __init__(self, rows: list[dict], index: WebIndex, id_base: str):
        self.index = index
        self.id_base = id_base
        self.out: dict[str, list[dict]] = defaultdict(list)
        self.inc: dict[str, list[dict]] = defaultdict(list)
        self.inferred: set[tuple[str, str, str]] = set()
        seen: set[tuple] = set()
        for row in rows:
            direction, p, v = row["dir"]["value"], row["p"]["value"], row["v"]
            g = row.get("g", {}).get("value", "")
            key = (direction, p, v["type"], v["value"], v.get("xml:lang"), v.get("datatype"))
            if g.endswith(INFERRED_SUFFIX):
                self.inferred.add((direction, p, v["value"]))
            if key in seen:
                continue
            seen.add(key)
            (self.out if direction == "out" else self.inc)[p].append(v)

    def objects(self, prop: str) -> list[str]:
        return self.index.ordered(v["value"] for v in self.out.get(prop, ()) if v["type"] == "uri")

    def subjects(self, prop: str) -> list[str]:
        return self.index.ordered(v["value"] for v in self.inc.get(prop, ()) if v["type"] == "uri")

    def literals(self, prop: str) -> dict[str, str]:
        return {
            v.get("xml:lang", ""): v["value"]
            for v in self.out.get(prop, ())
            if v["type"] == "literal"
        }

    def first(self, prop: str) -> str | None:
        values = self.out.get(prop)
        return values[0]["value"] if values else None

    def groups(self, page: Page) -> list[Group]:
        """Every statement, grouped by direction and property; an incoming statement is left out
        when its inverse is already shown as an outgoing one."""
        index = self.index
        out_pairs = {(p, v["value"]) for p, vs in self.out.items() for v in vs}
        groups: list[Group] = []
        for p, values in self.out.items():
            if p in HEADER_PROPS or p in TEXT_PROPS:
                continue
            group = Group("out", p)
            for v in values:
                inferred = ("out", p, v["value"]) in self.inferred
                if v["type"] == "uri":
                    value = v["value"]
                    term = p == RDF + "type" or not (value.startswith(self.id_base))
                    group.items.append(Item(iri=value, inferred=inferred, is_term=term))
                elif v["type"] == "literal":
                    tag = v.get("xml:lang", "")
                    group.items.append(
                        Item(
                            literal=Label(v["value"], tag, translated="-t-" in tag),
                            datatype=v.get("datatype"),
                            inferred=inferred,
                        )
                    )
            if group.items:
                groups.append(group)
        for p, values in self.inc.items():
            inverse = index.inverse.get(p) or KNOWN_INVERSES.get(p)
            group = Group("in", p)
            for v in values:
                if v["type"] != "uri":
                    continue
                if inverse and (inverse, v["value"]) in out_pairs:
                    continue
                inferred = ("in", p, v["value"]) in self.inferred
                group.items.append(Item(iri=v["value"], inferred=inferred))
            if group.items:
                groups.append(group)
        for g in groups:
            g.items.sort(
                key=lambda i: (
                    index.sort_key(i.iri) if i.iri else ((), 0, ""),
                    i.literal.tag if i.literal else "",
                    i.literal.text if i.literal else "",
                )
            )
        groups.sort(
            key=lambda g: (
                g.direction != "out",
                g.prop == RDF + "type",
                page.term(g.prop).text.casefold(),
            )
        )
        return groups


# ---------------------------------------------------------------------------------------------
# Trace: instrument → paragraph → output → activity
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    instrument: str
    kind: str  # "cites" | "thematic"
    paragraph: str | None
    area: str | None
    output: str
    activity: str


def reasons(rows: list[dict]) -> list[Reason]:
    out = []
    for r in rows:

        def v(name: str, _r=r) -> str | None:
            t = _r.get(name)
            return t["value"] if t else None

        out.append(
            Reason(
                v("instrument") or "",
                v("kind") or "cites",
                v("paragraph"),
                v("area"),
                v("output") or "",
                v("activity") or "",
            )
        )
    return sorted(
        set(out), key=lambda x: (x.kind, x.instrument, x.output, x.activity, x.paragraph or "")
    )


def instrument_names(index: WebIndex, instrument: str) -> tuple[str, ...]:
    names = list(index.labels.get(instrument, {}).values())
    names += [text for _, text in index.alt_labels.get(instrument, [])]
    return tuple(sorted(set(names)))


def cite_quote(page: Page, paragraph: str, instrument: str) -> Quote | None:
    text = page.pick(page.index.texts.get(paragraph))
    if text is None:
        return None
    return quote(
        text, instrument_names(page.index, instrument), page.index.notation.get(instrument, "")
    )


@dataclass
class OutputReasons:
    """Activities of one output related to an instrument, and the paragraphs that say why."""

    objective: str
    output: str
    paragraphs: list[str]
    activities: list[str]
    area: str | None = None


def group_reasons(index: WebIndex, items: list[Reason]) -> list[tuple[str, list[OutputReasons]]]:
    """[(objective, [OutputReasons…])] in plan order."""
    by_output: dict[tuple[str, str | None], OutputReasons] = {}
    for r in items:
        objective = index.plan.objective_of.get(r.output, "")
        key = (r.output, r.area)
        o = by_output.get(key)
        if o is None:
            o = by_output[key] = OutputReasons(objective, r.output, [], [], r.area)
        if r.paragraph and r.paragraph not in o.paragraphs:
            o.paragraphs.append(r.paragraph)
        if r.activity not in o.activities:
            o.activities.append(r.activity)
    grouped: dict[str, list[OutputReasons]] = defaultdict(list)
    for o in by_output.values():
        o.paragraphs = index.ordered(o.paragraphs)
        o.activities = index.ordered(o.activities)
        grouped[o.objective].append(o)
    result = []
    for objective in index.ordered(grouped):
        result.append(
            (
                objective,
                sorted(
                    grouped[objective],
                    key=lambda o: (index.sort_key(o.output), index.sort_key(o.area or "")),
                ),
            )
        )
    return result


# ---------------------------------------------------------------------------------------------
# Matrix rows: activity → points / P&B outputs
# ---------------------------------------------------------------------------------------------


@dataclass
class Matrix:
    cp: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # activity → points
    pb: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # activity → P&B

    @classmethod
    def of(cls, rows: list[dict]) -> Matrix:
        m = cls()
        for r in rows:
            target = m.cp if r["kind"]["value"] == "cp" else m.pb
            target[r["activity"]["value"]].add(r["target"]["value"])
        return m

    def implementers(self, point: str) -> set[str]:
        return {a for a, pts in self.cp.items() if point in pts}

    def contributors(self, pb_output: str) -> set[str]:
        return {a for a, outs in self.pb.items() if pb_output in outs}


def by_objective_output(
    index: WebIndex, activities
) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Activities grouped as [(objective, [(output, [activity…])…])…] in plan order."""
    plan = index.plan
    chosen = set(activities)
    result = []
    for objective in plan.objectives:
        outs = []
        for output in plan.outputs.get(objective, []):
            acts = [a for a in plan.activities.get(output, []) if a in chosen]
            if acts:
                outs.append((output, acts))
        if outs:
            result.append((objective, outs))
    return result


# ---------------------------------------------------------------------------------------------
# The page model
# ---------------------------------------------------------------------------------------------


@dataclass
class ResourceView:
    iri: str
    kind: str
    links: Links
    groups: list[Group]
    breadcrumb: list[str]
    data: dict = field(default_factory=dict)


def breadcrumb(index: WebIndex, iri: str, kind: str) -> list[str]:
    plan = index.plan
    if kind == "activity" and iri in plan.activity:
        a = plan.activity[iri]
        return [x for x in (plan.strategy, a.objective, a.output) if x]
    if kind == "output" and iri in plan.objective_of:
        return [x for x in (plan.strategy, plan.objective_of[iri]) if x]
    if kind == "objective" and plan.strategy:
        return [plan.strategy]
    chain, node = [], iri
    while node in index.broader and len(chain) < 5:
        node = index.broader[node]
        chain.insert(0, node)
    return chain


def neighbours(index: WebIndex, ordered: list[str], iri: str) -> tuple[str | None, str | None]:
    if iri not in ordered:
        return None, None
    i = ordered.index(iri)
    return (ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None)


async def build(page: Page, store: Store, iri: str) -> ResourceView | None:
    index = page.index
    assert index is not None
    kind = index.kind(iri)
    needs_trace = kind in ("activity", "output", "instrument", "paragraph", "thematic-area")
    needs_matrix = kind in (
        "instrument",
        "output",
        "objective",
        "conclusion-paragraph",
        "pb-outcome",
        "strategy",
    )
    jobs = [store.select(internal_query("web/links"), {"iri": iri_term(iri)})]
    if needs_trace:
        jobs.append(store.select(internal_query("web/trace")))
    if needs_matrix:
        jobs.append(store.select(internal_query("web/matrix")))
    results = await asyncio.gather(*jobs)
    rows = results[0]
    if not rows and not index.known(iri):
        return None
    links = Links(rows, index, page.id_base)
    trace = reasons(results[1]) if needs_trace else []
    mx = Matrix.of(results[-1]) if needs_matrix else None
    view = ResourceView(iri, kind, links, links.groups(page), breadcrumb(index, iri, kind))
    builder = BUILDERS.get(kind)
    if builder is not None:
        builder(page, view, trace, mx)
    return view


# ---- per kind ---------------------------------------------------------------------------------


def _activity(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    index = page.index
    plan = index.plan
    a = plan.activity.get(v.iri)
    d = v.data
    d["points"] = v.links.objects(SSE + "implements")
    pbs = v.links.objects(SSE + "contributesTo")
    by_outcome: dict[str, list[str]] = defaultdict(list)
    for pb in pbs:
        by_outcome[index.broader.get(pb, "")].append(pb)
    d["pb_groups"] = [(o, by_outcome[o]) for o in index.ordered(by_outcome)]
    d["pb_count"] = len(pbs)
    mine = [r for r in trace if r.activity == v.iri]
    d["direct"] = _instrument_reasons(page, [r for r in mine if r.kind == "cites"])
    d["thematic"] = _instrument_reasons(page, [r for r in mine if r.kind == "thematic"])
    d["activity"] = a
    ordered = plan.all_activities()
    d["prev"], d["next"] = neighbours(index, ordered, v.iri)
    if a is not None and a.start and a.end:
        first, last = plan.start or 2023, plan.end or 2029
        d["timeline"] = svg.timeline(
            [
                svg.Span(
                    index.notation.get(v.iri, ""),
                    page.label(v.iri).text,
                    page.href(v.iri),
                    a.start,
                    a.end,
                    svg.colour(
                        plan.objectives.index(a.objective) if a.objective in plan.objectives else 0
                    ),
                )
            ],
            first,
            last,
            [svg.Milestone(y or 0, page.label(m).text, page.href(m)) for m, y in a.milestones],
            title=page.t("activity.timeline_title"),
            desc=page.t("activity.timeline_desc", start=a.start, end=a.end),
            ident="activity-timeline",
            width=760,
            code_w=56,
        )


def _instrument_reasons(page: Page, items: list[Reason]) -> list[dict]:
    """[{instrument, paragraphs: [(paragraph, quote)], area, output}] for an activity/output."""
    grouped: dict[tuple[str, str | None], dict] = {}
    for r in items:
        g = grouped.setdefault(
            (r.instrument, r.area),
            {"instrument": r.instrument, "area": r.area, "output": r.output, "paragraphs": []},
        )
        if r.paragraph and r.paragraph not in [p for p, _ in g["paragraphs"]]:
            g["paragraphs"].append((r.paragraph, cite_quote(page, r.paragraph, r.instrument)))
    out = list(grouped.values())
    for g in out:
        g["paragraphs"].sort(key=lambda pq: page.index.sort_key(pq[0]))
    out.sort(key=lambda g: (page.index.sort_key(g["instrument"]), g["area"] or ""))
    return out


def _output(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    index = page.index
    plan = index.plan
    d = v.data
    d["activities"] = plan.activities.get(v.iri, v.links.objects(SSE + "hasActivity"))
    d["paragraphs"] = v.links.objects(SSE + "describedBy")
    d["areas"] = v.links.objects(SSE + "hasThematicArea")
    mine = [r for r in trace if r.output == v.iri]
    d["direct"] = _instrument_reasons(page, [r for r in mine if r.kind == "cites"])
    d["thematic"] = _instrument_reasons(page, [r for r in mine if r.kind == "thematic"])
    _coverage(page, d, d["activities"], mx)
    ordered = [o for ob in plan.objectives for o in plan.outputs.get(ob, [])]
    d["prev"], d["next"] = neighbours(index, ordered, v.iri)


def _coverage(page: Page, d: dict, activities: list[str], mx: Matrix | None) -> None:
    """Points and P&B outputs the given activities refer to, with how many of them do."""
    if mx is None:
        return
    cp: dict[str, int] = defaultdict(int)
    pb: dict[str, int] = defaultdict(int)
    for a in activities:
        for p in mx.cp.get(a, ()):
            cp[p] += 1
        for p in mx.pb.get(a, ()):
            pb[p] += 1
    d["cover_points"] = [(p, cp[p]) for p in page.ordered(cp)]
    d["cover_pbs"] = [(p, pb[p]) for p in page.ordered(pb)]


def _objective(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    plan = page.index.plan
    d = v.data
    d["outputs"] = plan.outputs.get(v.iri, [])
    d["paragraphs"] = v.links.objects(SSE + "describedBy")
    d["cost"] = plan.cost_of.get(v.iri)
    d["estimate"] = plan.estimate_of.get(v.iri)
    acts = [a for o in d["outputs"] for a in plan.activities.get(o, [])]
    _coverage(page, d, acts, mx)
    d["prev"], d["next"] = neighbours(page.index, plan.objectives, v.iri)


def _strategy(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    d = v.data
    d["paragraphs"] = v.links.objects(SSE + "describedBy")


def _sibling_neighbours(page: Page, v: ResourceView):
    """Previous and next concept of the same kind under the same broader concept."""
    index = page.index
    siblings = index.ordered(
        s
        for s, b in index.broader.items()
        if b == index.broader.get(v.iri) and index.kind(s) == v.kind
    )
    return neighbours(index, siblings, v.iri)


def _members_with_activities(page: Page, v: ResourceView, members, activities_of, acts=()):
    """Each narrower concept with its activities, and all of them grouped by objective/output."""
    d = v.data
    rows = [(m, sorted(activities_of(m))) for m in members]
    every = set(acts)
    for _, a in rows:
        every.update(a)
    d["activity_groups"] = by_objective_output(page.index, every)
    d["activity_count"] = len(every)
    return rows


def _point(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    d = v.data
    acts = v.links.subjects(SSE + "implements") or v.links.objects(SSE + "implementedBy")
    d["activity_groups"] = by_objective_output(page.index, acts)
    d["activity_count"] = len(set(acts))
    d["prev"], d["next"] = _sibling_neighbours(page, v)


def _conclusion_paragraph(
    page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None
) -> None:
    points = v.links.objects(SKOS + "narrower") or v.links.subjects(SKOS + "broader")
    v.data["points"] = _members_with_activities(
        page,
        v,
        points,
        lambda p: mx.implementers(p) if mx else [],
        v.links.subjects(SSE + "implements"),
    )


def _pb_outcome(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    outputs = v.links.objects(SKOS + "narrower") or v.links.subjects(SSE + "pbOutcome")
    v.data["pb_outputs"] = _members_with_activities(
        page, v, outputs, lambda p: mx.contributors(p) if mx else []
    )


def _pb_output(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    d = v.data
    acts = v.links.subjects(SSE + "contributesTo") or v.links.objects(
        SSE + "receivesContributionFrom"
    )
    d["activity_groups"] = by_objective_output(page.index, acts)
    d["activity_count"] = len(set(acts))
    d["prev"], d["next"] = _sibling_neighbours(page, v)


def _paragraph(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    index = page.index
    d = v.data
    texts = index.texts.get(v.iri, {})
    d["text"] = page.pick(texts)
    d["other_text"] = page.pick(
        {k: t for k, t in texts.items() if d["text"] is None or k != d["text"].tag}
    )
    d["cites"] = v.links.objects(SSE + "cites")
    d["describes"] = sorted(
        v.links.subjects(SSE + "describedBy") or v.links.objects(SSE + "describes"),
        key=lambda x: (KIND_ORDER.get(index.kind(x), 99), index.sort_key(x)),
    )
    mine = [r for r in trace if r.paragraph == v.iri]
    d["justifies"] = [
        (inst, group_reasons(index, [r for r in mine if r.instrument == inst]))
        for inst in index.ordered(r.instrument for r in mine)
    ]
    ordered = index.ordered(s for s in index.texts if index.kind(s) == "paragraph")
    d["prev"], d["next"] = neighbours(index, ordered, v.iri)


def _instrument(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    index = page.index
    d = v.data
    mine = [r for r in trace if r.instrument == v.iri]
    direct = [r for r in mine if r.kind == "cites"]
    thematic = [r for r in mine if r.kind == "thematic"]
    d["direct"] = group_reasons(index, direct)
    d["thematic"] = group_reasons(index, thematic)
    d["direct_count"] = len({r.activity for r in direct})
    d["thematic_count"] = len({r.activity for r in thematic})
    cited_by = v.links.subjects(SSE + "cites") or v.links.objects(SSE + "citedBy")
    d["cited_by"] = [(p, cite_quote(page, p, v.iri)) for p in cited_by]
    used = {p for r in mine for p in ([r.paragraph] if r.paragraph else [])}
    d["cited_elsewhere"] = [p for p in cited_by if p not in used]
    d["quotes"] = {p: q for p, q in d["cited_by"]}
    for r in mine:
        if r.paragraph and r.paragraph not in d["quotes"]:
            d["quotes"][r.paragraph] = cite_quote(page, r.paragraph, v.iri)
    d["graph"] = instrument_graph(page, v.iri, cited_by, mine, mx)
    instruments = index.ordered(s for s in index.types if index.kind(s) == "instrument")
    d["prev"], d["next"] = neighbours(index, instruments, v.iri)


def instrument_graph(
    page: Page, instrument: str, cited_by: list[str], mine: list[Reason], mx: Matrix | None
):
    index = page.index
    t = page.t

    def node(iri: str, cls: str, text: str | None = None) -> svg.Node:
        label = page.label(iri).text
        notation = index.notation.get(iri, "")
        if text is None:
            text = {"paragraph": t("graph.paragraph_short", n=notation)}.get(cls, notation or label)
        return svg.Node(
            iri, text, f"{page.kind_name(cls)} {notation} — {label}".strip(), page.href(iri), cls
        )

    paragraphs = list(cited_by)
    areas = index.ordered(r.area for r in mine if r.area)
    outputs = index.ordered(r.output for r in mine)
    activities = index.ordered(r.activity for r in mine)
    points = index.ordered(p for a in activities for p in (mx.cp.get(a, ()) if mx else ()))
    pbs = index.ordered(p for a in activities for p in (mx.pb.get(a, ()) if mx else ()))
    for r in mine:
        if r.paragraph and r.paragraph not in paragraphs:
            paragraphs.append(r.paragraph)
    paragraphs = index.ordered(paragraphs)
    columns = [
        svg.Column(t("graph.col.instrument"), [node(instrument, "instrument")]),
        svg.Column(t("graph.col.paragraphs"), [node(p, "paragraph") for p in paragraphs]),
        svg.Column(t("graph.col.areas"), [node(a, "thematic-area") for a in areas]),
        svg.Column(t("graph.col.outputs"), [node(o, "output") for o in outputs]),
        svg.Column(t("graph.col.activities"), [node(a, "activity") for a in activities]),
        svg.Column(t("graph.col.points"), [node(p, "conclusion-point") for p in points]),
        svg.Column(t("graph.col.pb"), [node(p, "pb-output") for p in pbs]),
    ]
    edges: list[svg.Edge] = [svg.Edge(instrument, p) for p in paragraphs]
    for r in mine:
        if r.kind == "cites" and r.paragraph:
            edges.append(svg.Edge(r.paragraph, r.output))
        elif r.area:
            edges.append(svg.Edge(r.paragraph or instrument, r.area, dashed=True))
            edges.append(svg.Edge(r.area, r.output, dashed=True))
        edges.append(svg.Edge(r.output, r.activity, dashed=r.kind == "thematic"))
    for a in activities:
        for p in mx.cp.get(a, ()) if mx else ():
            edges.append(svg.Edge(a, p))
        for p in mx.pb.get(a, ()) if mx else ():
            edges.append(svg.Edge(a, p))
    unique = list({(e.source, e.target): e for e in edges}.values())
    return svg.layered_graph(
        columns,
        unique,
        title=t("graph.title", name=page.label(instrument).text),
        desc=t(
            "graph.desc",
            paragraphs=len(paragraphs),
            outputs=len(outputs),
            activities=len(activities),
            points=len(points),
            pbs=len(pbs),
        ),
        ident="instrument-graph",
    )


def _principle(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    d = v.data
    d["definition"] = page.pick(page.index.definitions.get(v.iri))
    d["paragraphs"] = v.links.objects(SSE + "describedBy")
    d["groups"] = v.links.objects(SSE + "mentionsGroup")
    index = page.index
    siblings = index.ordered(s for s in index.definitions if index.kind(s) == v.kind)
    d["prev"], d["next"] = neighbours(index, siblings, v.iri)


def _thematic_area(page: Page, v: ResourceView, trace: list[Reason], mx: Matrix | None) -> None:
    _principle(page, v, trace, mx)
    d = v.data
    d["outputs"] = v.links.subjects(SSE + "hasThematicArea") or v.links.objects(
        SSE + "thematicAreaOf"
    )
    mine = [r for r in trace if r.area == v.iri]
    d["instruments"] = _instrument_reasons(page, mine)
    acts = [a for o in d["outputs"] for a in page.index.plan.activities.get(o, [])]
    d["activity_groups"] = by_objective_output(page.index, acts)
    d["activity_count"] = len(set(acts))


BUILDERS = {
    "activity": _activity,
    "output": _output,
    "objective": _objective,
    "strategy": _strategy,
    "conclusion-point": _point,
    "conclusion-paragraph": _conclusion_paragraph,
    "pb-output": _pb_output,
    "pb-outcome": _pb_outcome,
    "paragraph": _paragraph,
    "instrument": _instrument,
    "principle": _principle,
    "thematic-area": _thematic_area,
}
