"""Self-description: a DCAT catalogue (DCAT-AP 3), VoID statistics and PROV-O provenance.

Everything that can be counted is counted in the store when the description is made (graph
sizes, entities, classes, properties, labels per language, links out); sizes and checksums come
from the rendered dumps. Nothing here is a hand-written number, and nothing names a party that
is not real: the publisher is the sse-graph project's maintainers (the ontology's
``dcterms:creator``), reached through the service's home page; the source document, its session,
date and language come from the graph itself.

IRIs minted here (all under ``{public_base}id/``, all resolving at ``/id/…``):
``catalog``, ``dataset``, ``distribution/{graph}-{format}``, ``service/sparql``,
``agent/sse-graph-maintainers``, ``software/sse-graph/{version}``, ``build/{dataset version}``,
and the named graphs ``graph/asserted`` and ``graph/inferred`` (described as VoID subsets).
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from sse_graph import __version__
from sse_graph.http import Context, ctx, from_store, not_modified
from sse_graph.linked_data import (
    ASSERTED,
    INFERRED,
    Description,
    body_response,
    choose_media,
    html_page,
    resource_headers,
    serialize,
    sorted_triples,
)
from sse_graph.queries import internal_query
from sse_graph.settings import Settings
from sse_graph.sparql.results import term_from_json
from sse_graph.store.base import Store

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
PROV = "http://www.w3.org/ns/prov#"
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
LIME = "http://www.w3.org/ns/lemon/lime#"
FORMATS = "http://www.w3.org/ns/formats/"
IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"

LICENSE = "https://creativecommons.org/licenses/by/4.0/"  # pyproject.toml, ontology header
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
LEXICALIZATION_MODELS = {
    "skos": "http://www.w3.org/2004/02/skos/core",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema",
}

#: EU file-type authority table and W3C format IRIs for the media types of the dumps.
FILE_TYPES = {
    "text/turtle": ("RDF_TURTLE", "Turtle"),
    "application/n-triples": ("RDF_N_TRIPLES", "N-Triples"),
    "application/ld+json": ("JSON_LD", "JSON-LD"),
    "application/rdf+xml": ("RDF_XML", "RDF_XML"),
    "application/trig": ("RDF_TRIG", "TriG"),
    "application/n-quads": ("RDF_N_QUADS", "N-Quads"),
}
FORMAT_LABELS = {
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF/XML",
    "application/trig": "TriG",
    "application/n-quads": "N-Quads",
}

TEXT = {
    "catalog.title": (
        "Catalogue of the sse-graph linked data",
        "sse-graph 关联数据目录",
    ),
    "catalog.description": (
        "Datasets and services published by the sse-graph project: a knowledge graph of the ILO "
        "Strategy and Action Plan on Decent Work and the Social and Solidarity Economy "
        "2023–2029, its downloadable dumps and its SPARQL endpoint.",
        "sse-graph 项目发布的数据集和服务：劳工组织《关于体面劳动与社会互助经济的战略和行动计划"
        "(2023-2029 年)》知识图谱、可下载的数据转储文件及其 SPARQL 端点。",
    ),
    "dataset.title": (
        "Knowledge graph of the ILO Strategy and Action Plan on Decent Work and the Social and "
        "Solidarity Economy 2023–2029",
        "劳工组织《关于体面劳动与社会互助经济的战略和行动计划(2023-2029 年)》知识图谱",
    ),
    "dataset.description": (
        "The strategy with its objectives, outputs and the activities of its action plan; the "
        "points of the 2022 International Labour Conference conclusions and the Programme and "
        "Budget 2022–23 outputs each activity refers to; the ILO instruments and texts the "
        "document names; its implementation principles, priority thematic areas and numbered "
        "paragraphs with their text. Built from the Chinese version of the ILO Governing Body "
        "document (346th Session, 2022) that sets out the strategy; every resource cites the "
        "paragraph or table it comes from (dcterms:source). The ontology and the statements "
        "inferred from it by OWL 2 RL reasoning are included, the inferred ones in a named graph "
        "of their own. Conclusion points, Programme and Budget outputs and outcomes, instruments, "
        "principles, thematic areas and target groups are SKOS concept schemes.",
        "内容包括：战略及其目标、产出和行动计划中的各项活动；每项活动所对应的 2022 年国际劳工大会"
        "结论要点和 2022-2023 两年期计划和预算产出；文件提及的劳工组织文书和文本；实施原则、"
        "优先主题领域以及编号段落及其文本。依据阐述该战略的劳工组织理事会文件(第 346 届会议，"
        "2022 年)中文版构建；每项资源都注明其出处段落或表格(dcterms:source)。图谱包含本体以及由 "
        "OWL 2 RL 推理得出的陈述，推理陈述单独存放在一个命名图中。结论要点、计划和预算产出及成果"
        "目标、文书、原则、主题领域和目标群体均为 SKOS 概念体系。",
    ),
    "service.title": (
        "SPARQL endpoint of the sse-graph knowledge graph",
        "sse-graph 知识图谱的 SPARQL 端点",
    ),
    "service.description": (
        "Read-only SPARQL 1.1 query endpoint over the dataset. The default graph is the union "
        "of the asserted and the inferred named graphs; a service description is returned for "
        "a request without a query.",
        "数据集的只读 SPARQL 1.1 查询端点。默认图为断言命名图和推理命名图的并集；不带查询的请求"
        "返回服务描述。",
    ),
    "publisher.name": ("sse-graph maintainers", "sse-graph 项目维护者"),
}
KEYWORDS = (
    ("social and solidarity economy", "en"),
    ("decent work", "en"),
    ("International Labour Organization", "en"),
    ("action plan", "en"),
    ("knowledge graph", "en"),
    ("社会互助经济", "zh"),
    ("体面劳动", "zh"),
    ("国际劳工组织", "zh"),
    ("行动计划", "zh"),
    ("知识图谱", "zh"),
)


# ---------------------------------------------------------------------------------------------
# Facts read from the store
# ---------------------------------------------------------------------------------------------


@dataclass
class Facts:
    """Everything the description needs from the store, for one dataset version."""

    version: str
    last_modified: str | None
    graph_counts: dict[str, int]
    totals: dict[str, int]
    subject_spaces: dict[str, int]
    classes: list[tuple[str, int]]
    properties: list[tuple[str, int, int, int]]
    lexicalizations: list[tuple[str, str, int, int]]
    links: list[tuple[str, str, str, int]]
    sources: dict[str, list[ox.Triple]] = field(default_factory=dict)
    ontology_versions: list[str] = field(default_factory=list)

    def entities(self, uri_space: str) -> int:
        return sum(n for space, n in self.subject_spaces.items() if space.startswith(uri_space))

    def role(self, role: str) -> list[str]:
        """Subjects of one source role (document, facts, period, strategy, scheme)."""
        return sorted({t.subject.value for t in self.sources.get(role, [])})


def _int(row: dict, name: str) -> int:
    return int(row[name]["value"])


async def read_facts(store: Store) -> Facts:
    async def rows(name: str) -> list[dict]:
        return await from_store(store.select(internal_query(f"catalogue/{name}")))

    counts = await from_store(store.graph_counts())
    totals_row = (await rows("totals"))[0]
    sources: dict[str, list[ox.Triple]] = defaultdict(list)
    for r in await rows("sources"):
        sources[r["role"]["value"]].append(
            ox.Triple(term_from_json(r["s"]), term_from_json(r["p"]), term_from_json(r["o"]))
        )
    versions = [
        r["versionIRI"]["value"]
        for r in await from_store(store.select(internal_query("ld/ontology-versions")))
        if "versionIRI" in r
    ]
    return Facts(
        version=store.version,
        last_modified=store.last_modified,
        graph_counts=counts,
        totals={k: _int(totals_row, k) for k in totals_row},
        subject_spaces={
            r["space"]["value"]: _int(r, "entities") for r in await rows("subject-spaces")
        },
        classes=[
            (r["class"]["value"], _int(r, "entities"))
            for r in await rows("classes")
            if r["class"]["type"] == "uri"
        ],
        properties=[
            (
                r["property"]["value"],
                _int(r, "triples"),
                _int(r, "distinctSubjects"),
                _int(r, "distinctObjects"),
            )
            for r in await rows("properties")
        ],
        lexicalizations=[
            (
                r["model"]["value"],
                r["language"]["value"],
                _int(r, "lexicalizations"),
                _int(r, "references"),
            )
            for r in await rows("lexicalizations")
        ],
        links=[
            (
                r["property"]["value"],
                r["subjectSpace"]["value"],
                r["objectSpace"]["value"],
                _int(r, "triples"),
            )
            for r in await rows("links")
        ],
        sources=dict(sources),
        ontology_versions=sorted(versions),
    )


def namespace(value: str) -> str:
    cut = max(value.rfind("#"), value.rfind("/"))
    return value[: cut + 1]


# ---------------------------------------------------------------------------------------------
# Building the description
# ---------------------------------------------------------------------------------------------


class _G:
    """A small triple collector with helpers for IRIs and literals."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, s, p: str, o) -> None:
        self.triples.append(ox.Triple(s, ox.NamedNode(p), o))

    def text(self, s, p: str, key: str) -> None:
        en, zh = TEXT[key]
        self.add(s, p, ox.Literal(en, language="en"))
        self.add(s, p, ox.Literal(zh, language="zh"))


def U(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def typed(value, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


@dataclass
class Metadata:
    catalog: list[ox.Triple]  # DCAT and PROV: /catalog
    void: list[ox.Triple]  # VoID statistics: /.well-known/void

    def all(self) -> list[ox.Triple]:
        return sorted_triples([*self.catalog, *self.void])


def build_metadata(facts: Facts, dumps, settings: Settings, base: str) -> Metadata:
    """The catalogue (DCAT, PROV) and the VoID description. ``base`` is where the service is
    reached (download, endpoint and home page URLs); IRIs are under the public base."""
    pub = settings.public_base
    ids = pub + "id/"
    catalog, dataset = U(ids + "catalog"), U(ids + "dataset")
    service = U(ids + "service/sparql")
    publisher = U(ids + "agent/sse-graph-maintainers")
    software = U(ids + f"software/sse-graph/{__version__}")
    build = U(ids + f"build/{facts.version}")
    license_ = U(LICENSE)
    home = U(base + "/")
    endpoint = U(base + "/sparql")
    contact = ox.BlankNode("contact-point")
    ontology = U(pub + "ontology")
    languages = [U(EU_LANGUAGE + "ENG"), U(EU_LANGUAGE + "ZHO")]
    documents = facts.role("document")
    reference_facts = facts.role("facts")
    periods = facts.role("period")
    stamp = typed(facts.last_modified, "dateTime") if facts.last_modified else None

    g = _G()
    # --- catalogue
    g.add(catalog, RDF + "type", U(DCAT + "Catalog"))
    g.text(catalog, DCT + "title", "catalog.title")
    g.text(catalog, DCT + "description", "catalog.description")
    g.add(catalog, DCT + "publisher", publisher)
    g.add(catalog, DCT + "license", license_)
    for lang in languages:
        g.add(catalog, DCT + "language", lang)
    g.add(catalog, FOAF + "homepage", home)
    g.add(catalog, DCAT + "dataset", dataset)
    g.add(catalog, DCAT + "service", service)
    if stamp is not None:
        g.add(catalog, DCT + "modified", stamp)

    # --- dataset
    g.add(dataset, RDF + "type", U(DCAT + "Dataset"))
    g.text(dataset, DCT + "title", "dataset.title")
    g.text(dataset, DCT + "description", "dataset.description")
    g.add(dataset, DCT + "publisher", publisher)
    g.add(dataset, DCT + "creator", publisher)
    g.add(dataset, DCAT + "contactPoint", contact)
    g.add(dataset, DCT + "license", license_)
    for lang in languages:
        g.add(dataset, DCT + "language", lang)
    for text, lang in KEYWORDS:
        g.add(dataset, DCAT + "keyword", ox.Literal(text, language=lang))
    for period in periods:
        g.add(dataset, DCT + "temporal", U(period))
    g.add(dataset, DCAT + "version", ox.Literal(facts.version))
    g.add(dataset, OWL + "versionInfo", ox.Literal(facts.version))
    if stamp is not None:
        # each build of the inputs is a version of the dataset, issued when it is built
        g.add(dataset, DCT + "issued", stamp)
        g.add(dataset, DCT + "modified", stamp)
    g.add(dataset, DCAT + "landingPage", home)
    g.add(dataset, DCT + "conformsTo", ontology)

    # --- distributions, one per dump
    for dump in dumps.dumps.values():
        spec = dump.spec
        dist = U(ids + f"distribution/{spec.slug}")
        url = U(f"{base}/download/{spec.name}")
        en, zh = _graph_titles(spec.graph)
        label = FORMAT_LABELS[spec.media_type] + (", gzip" if spec.compressed else "")
        g.add(dataset, DCAT + "distribution", dist)
        g.add(dist, RDF + "type", U(DCAT + "Distribution"))
        g.add(dist, DCT + "title", ox.Literal(f"sse-graph — {en}, {label}", language="en"))
        g.add(dist, DCT + "title", ox.Literal(f"sse-graph — {zh}，{label}", language="zh"))
        den, dzh = _graph_descriptions(spec.graph)
        g.add(dist, DCT + "description", ox.Literal(den, language="en"))
        g.add(dist, DCT + "description", ox.Literal(dzh, language="zh"))
        g.add(dist, DCAT + "accessURL", url)
        g.add(dist, DCAT + "downloadURL", url)
        g.add(dist, DCAT + "mediaType", U(IANA + spec.media_type))
        g.add(dist, DCT + "format", U(EU_FILE_TYPE + FILE_TYPES[spec.media_type][0]))
        if spec.compressed:
            g.add(dist, DCAT + "compressFormat", U(IANA + "application/gzip"))
        g.add(dist, DCAT + "byteSize", typed(len(dump.body), "nonNegativeInteger"))
        checksum = ox.BlankNode(f"checksum-{spec.slug}")
        g.add(dist, SPDX + "checksum", checksum)
        g.add(checksum, RDF + "type", U(SPDX + "Checksum"))
        g.add(checksum, SPDX + "algorithm", U(SPDX + "checksumAlgorithm_sha256"))
        g.add(checksum, SPDX + "checksumValue", typed(dump.sha256, "hexBinary"))
        g.add(dist, DCT + "license", license_)
        g.add(dist, DCT + "conformsTo", ontology)
        if stamp is not None:
            g.add(dist, DCT + "issued", stamp)
            g.add(dist, DCT + "modified", stamp)
        g.add(U(IANA + spec.media_type), RDF + "type", U(DCT + "MediaType"))
        g.add(
            U(EU_FILE_TYPE + FILE_TYPES[spec.media_type][0]),
            RDF + "type",
            U(DCT + "MediaTypeOrExtent"),
        )
    g.add(U(IANA + "application/gzip"), RDF + "type", U(DCT + "MediaType"))
    g.add(U(SPDX + "checksumAlgorithm_sha256"), RDF + "type", U(SPDX + "ChecksumAlgorithm"))

    # --- the SPARQL endpoint
    g.add(service, RDF + "type", U(DCAT + "DataService"))
    g.text(service, DCT + "title", "service.title")
    g.text(service, DCT + "description", "service.description")
    g.add(service, DCAT + "endpointURL", endpoint)
    g.add(service, DCAT + "endpointDescription", endpoint)
    g.add(endpoint, RDF + "type", U(RDFS + "Resource"))  # DCAT-AP ranges.ttl asks for a class
    g.add(service, DCAT + "servesDataset", dataset)
    g.add(service, DCT + "conformsTo", U(SPARQL_PROTOCOL))
    g.add(service, DCT + "license", license_)
    g.add(service, DCT + "publisher", publisher)
    g.add(service, DCAT + "contactPoint", contact)
    g.add(U(SPARQL_PROTOCOL), RDF + "type", U(DCT + "Standard"))
    g.add(U(SPARQL_PROTOCOL), DCT + "title", ox.Literal("SPARQL 1.1 Protocol", language="en"))

    # --- who: the project's maintainers; how to reach them: the service's home page
    g.add(publisher, RDF + "type", U(FOAF + "Agent"))
    g.add(publisher, RDF + "type", U(FOAF + "Organization"))
    g.add(publisher, RDF + "type", U(PROV + "Agent"))
    en, zh = TEXT["publisher.name"]
    g.add(publisher, FOAF + "name", ox.Literal(en, language="en"))
    g.add(publisher, FOAF + "name", ox.Literal(zh, language="zh"))
    g.add(publisher, FOAF + "homepage", home)
    g.add(contact, RDF + "type", U(VCARD + "Kind"))
    g.add(contact, RDF + "type", U(VCARD + "Organization"))
    g.add(contact, VCARD + "fn", ox.Literal(en))
    g.add(contact, VCARD + "hasURL", home)
    g.add(home, RDF + "type", U(FOAF + "Document"))

    # --- shared resources, typed as DCAT-AP expects
    g.add(license_, RDF + "type", U(DCT + "LicenseDocument"))
    g.add(
        license_,
        RDFS + "label",
        ox.Literal("Creative Commons Attribution 4.0 International (CC BY 4.0)", language="en"),
    )
    for lang in languages:
        g.add(lang, RDF + "type", U(DCT + "LinguisticSystem"))
    g.add(ontology, RDF + "type", U(DCT + "Standard"))
    g.add(ontology, RDF + "type", U(OWL + "Ontology"))
    for v in facts.ontology_versions:
        g.add(ontology, OWL + "versionIRI", U(v))

    # --- provenance: derived from the source document and the reference facts, made by a build
    for doc in [*documents, *reference_facts]:
        g.add(dataset, PROV + "wasDerivedFrom", U(doc))
    g.add(dataset, PROV + "wasGeneratedBy", build)
    g.add(build, RDF + "type", U(PROV + "Activity"))
    g.add(
        build,
        RDFS + "label",
        ox.Literal(f"Build of version {facts.version} of the sse-graph dataset", language="en"),
    )
    for used in [*documents, *reference_facts, *facts.ontology_versions]:
        g.add(build, PROV + "used", U(used))
    g.add(build, PROV + "wasAssociatedWith", software)
    if stamp is not None:
        g.add(build, PROV + "endedAtTime", stamp)
    g.add(software, RDF + "type", U(PROV + "SoftwareAgent"))
    g.add(software, FOAF + "name", ox.Literal(f"sse-graph {__version__}"))
    g.add(software, OWL + "versionInfo", ox.Literal(__version__))
    g.add(software, PROV + "actedOnBehalfOf", publisher)
    keep = {
        RDF + "type",
        SKOS + "prefLabel",
        DCT + "title",
        DCT + "alternative",
        DCT + "description",
        DCT + "date",
        DCT + "language",
        SKOS + "note",
        DCAT + "startDate",
        DCAT + "endDate",
    }
    for role in ("document", "facts", "period"):
        for t in facts.sources.get(role, []):
            if t.predicate.value in keep:
                g.triples.append(t)
    for period in periods:  # typed as DCAT-AP expects, whatever else the graph says
        g.add(U(period), RDF + "type", U(DCT + "PeriodOfTime"))

    void = _void(facts, dumps, settings, base, dataset)
    return Metadata(sorted_triples(g.triples), sorted_triples(void))


def _graph_titles(graph: str) -> tuple[str, str]:
    from sse_graph.export import GRAPH_TITLES

    return GRAPH_TITLES[graph]


def _graph_descriptions(graph: str) -> tuple[str, str]:
    from sse_graph.export import GRAPH_DESCRIPTIONS

    return GRAPH_DESCRIPTIONS[graph]


def _void(facts: Facts, dumps, settings: Settings, base: str, dataset) -> list[ox.Triple]:
    pub = settings.public_base
    uri_space = pub + "id/"
    g = _G()
    g.add(dataset, RDF + "type", U(VOID + "Dataset"))
    g.text(dataset, DCT + "title", "dataset.title")
    g.add(dataset, VOID + "triples", typed(facts.totals["triples"], "integer"))
    g.add(dataset, VOID + "entities", typed(facts.entities(uri_space), "integer"))
    g.add(dataset, VOID + "classes", typed(len(facts.classes), "integer"))
    g.add(dataset, VOID + "properties", typed(facts.totals["properties"], "integer"))
    g.add(dataset, VOID + "distinctSubjects", typed(facts.totals["distinctSubjects"], "integer"))
    g.add(dataset, VOID + "distinctObjects", typed(facts.totals["distinctObjects"], "integer"))
    g.add(dataset, VOID + "sparqlEndpoint", U(base + "/sparql"))
    g.add(dataset, VOID + "uriSpace", ox.Literal(uri_space))
    vocabularies = sorted(
        {namespace(c) for c, _ in facts.classes} | {namespace(p) for p, *_ in facts.properties}
    )
    for ns in vocabularies:
        if ns and not ns.startswith(uri_space):
            g.add(dataset, VOID + "vocabulary", U(ns))
    for media in (
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/trig",
        "application/n-quads",
    ):
        g.add(dataset, VOID + "feature", U(FORMATS + FILE_TYPES[media][1]))
    for root in [*facts.role("strategy"), *facts.role("scheme")]:
        g.add(dataset, VOID + "rootResource", U(root))
    for dump in dumps.dumps.values():
        if dump.spec.graph in ("full", "dataset"):
            g.add(dataset, VOID + "dataDump", U(f"{base}/download/{dump.spec.name}"))

    # named graphs as subsets
    for graph, key in ((ASSERTED, "asserted"), (INFERRED, "inferred")):
        node = U(graph)
        g.add(dataset, VOID + "subset", node)
        g.add(node, RDF + "type", U(VOID + "Dataset"))
        g.add(node, VOID + "triples", typed(facts.graph_counts.get(graph, 0), "integer"))
        if key == "asserted":
            g.add(node, DCT + "title", ox.Literal("Asserted statements", language="en"))
            g.add(node, DCT + "title", ox.Literal("断言的陈述", language="zh"))
            g.add(
                node,
                DCT + "description",
                ox.Literal(
                    "The ontology and the data as written (named graph of the TriG and N-Quads "
                    "dumps; the sse-kg-asserted files hold it alone).",
                    language="en",
                ),
            )
            for dump in dumps.dumps.values():
                if dump.spec.graph == "asserted":
                    g.add(node, VOID + "dataDump", U(f"{base}/download/{dump.spec.name}"))
        else:
            g.add(node, DCT + "title", ox.Literal("Inferred statements", language="en"))
            g.add(node, DCT + "title", ox.Literal("推理得出的陈述", language="zh"))
            g.add(
                node,
                DCT + "description",
                ox.Literal(
                    "Statements inferred from the asserted graph by OWL 2 RL reasoning "
                    "(named graph of the TriG and N-Quads dumps; the sse-kg-full files merge "
                    "it with the asserted graph).",
                    language="en",
                ),
            )

    # class and property partitions
    for i, (cls, n) in enumerate(facts.classes):
        node = ox.BlankNode(f"class-partition-{i:03d}")
        g.add(dataset, VOID + "classPartition", node)
        g.add(node, VOID + "class", U(cls))
        g.add(node, VOID + "entities", typed(n, "integer"))
    for i, (prop, n, subjects, objects) in enumerate(facts.properties):
        node = ox.BlankNode(f"property-partition-{i:03d}")
        g.add(dataset, VOID + "propertyPartition", node)
        g.add(node, VOID + "property", U(prop))
        g.add(node, VOID + "triples", typed(n, "integer"))
        g.add(node, VOID + "distinctSubjects", typed(subjects, "integer"))
        g.add(node, VOID + "distinctObjects", typed(objects, "integer"))

    # lexicalization sets (LIME), one per lexicalization model and language tag
    for model, lang, labels, references in facts.lexicalizations:
        node = ox.BlankNode(f"lexicalization-{model}-{lang}")
        g.add(dataset, VOID + "subset", node)
        g.add(node, RDF + "type", U(LIME + "LexicalizationSet"))
        g.add(node, LIME + "language", ox.Literal(lang))
        g.add(node, LIME + "lexicalizationModel", U(LEXICALIZATION_MODELS[model]))
        g.add(node, LIME + "referenceDataset", dataset)
        g.add(node, LIME + "lexicalizations", typed(labels, "integer"))
        g.add(node, LIME + "references", typed(references, "integer"))

    # linksets: links from our resources to IRIs outside the public base
    out: dict[tuple[str, str], int] = defaultdict(int)
    for prop, s_space, o_space, n in facts.links:
        if s_space.startswith(uri_space) and o_space and not o_space.startswith(pub):
            out[(prop, _authority(o_space))] += n
    for i, ((prop, target), n) in enumerate(sorted(out.items())):
        node = ox.BlankNode(f"linkset-{i:03d}")
        objects = ox.BlankNode(f"linkset-{i:03d}-target")
        g.add(dataset, VOID + "subset", node)
        g.add(node, RDF + "type", U(VOID + "Linkset"))
        g.add(node, VOID + "linkPredicate", U(prop))
        g.add(node, VOID + "triples", typed(n, "integer"))
        g.add(node, VOID + "subjectsTarget", dataset)
        g.add(node, VOID + "objectsTarget", objects)
        g.add(objects, RDF + "type", U(VOID + "Dataset"))
        g.add(objects, VOID + "uriSpace", ox.Literal(target))
    return g.triples


def _authority(space: str) -> str:
    """``https://host/a/b/`` → ``https://host/``."""
    scheme, sep, rest = space.partition("://")
    return f"{scheme}{sep}{rest.split('/', 1)[0]}/" if sep else space


# ---------------------------------------------------------------------------------------------
# The service
# ---------------------------------------------------------------------------------------------


class Catalogue:
    """The metadata for the current dataset version, per base URL (a few kept)."""

    def __init__(self, store: Store, settings: Settings, downloads) -> None:
        self.store = store
        self.settings = settings
        self.downloads = downloads
        self._facts: Facts | None = None
        self._lock = asyncio.Lock()
        self._built: OrderedDict[tuple[str, str], Metadata] = OrderedDict()

    async def facts(self) -> Facts:
        if self._facts is None or self._facts.version != self.store.version:
            async with self._lock:
                if self._facts is None or self._facts.version != self.store.version:
                    self._facts = await read_facts(self.store)
        return self._facts

    async def metadata(self, base: str) -> Metadata:
        key = (self.store.version, base)
        if key in self._built:
            self._built.move_to_end(key)
            return self._built[key]
        facts = await self.facts()
        dumps = await self.downloads.current()
        meta = build_metadata(facts, dumps, self.settings, base)
        self._built[key] = meta
        if len(self._built) > 8:  # base URLs come from Host headers: keep a few only
            self._built.popitem(last=False)
        return meta

    async def describe(self, value: str, base: str) -> list[ox.Quad] | None:
        """The description of an IRI the catalogue mints (None for any other IRI)."""
        if not value.startswith(self.settings.public_base + "id/"):
            return None
        meta = await self.metadata(base)
        triples = meta.all()
        node = ox.NamedNode(value)
        if not any(t.subject == node for t in triples):
            return None
        return [ox.Quad(t.subject, t.predicate, t.object) for t in _cbd(triples, node)]


def _cbd(triples: list[ox.Triple], node: ox.NamedNode) -> list[ox.Triple]:
    """Statements about ``node`` with its blank nodes, statements pointing to it, and the labels
    and types of what it links to."""
    reach = {str(node)}
    grew = True
    while grew:
        grew = False
        for t in triples:
            if (
                str(t.subject) in reach
                and isinstance(t.object, ox.BlankNode)
                and str(t.object) not in reach
            ):
                reach.add(str(t.object))
                grew = True
    own = [t for t in triples if str(t.subject) in reach]
    incoming = [t for t in triples if t.object == node and str(t.subject) not in reach]
    linked = {str(t.object) for t in own if isinstance(t.object, ox.NamedNode)}
    linked |= {str(t.subject) for t in incoming}
    label_props = {SKOS + "prefLabel", RDFS + "label", DCT + "title", FOAF + "name"}
    labels = [
        t
        for t in triples
        if str(t.subject) in linked
        and str(t.subject) not in reach
        and t.predicate.value in label_props
    ]
    return sorted_triples([*own, *incoming, *labels])


def catalogue(c: Context) -> Catalogue:
    svc = c.extras.get("catalogue")
    if svc is None:
        from sse_graph.export import downloads

        svc = c.extras["catalogue"] = Catalogue(c.store, c.settings, downloads(c))
    return svc


async def render_files(store: Store, settings: Settings, dumps, base: str) -> dict:
    """``catalog.ttl`` and ``void.ttl`` for ``sse-graph export``."""
    meta = build_metadata(await read_facts(store), dumps, settings, base)
    return {
        "catalog.ttl": (serialize(meta.catalog, "text/turtle"), "text/turtle"),
        "void.ttl": (serialize(meta.void, "text/turtle"), "text/turtle"),
    }


# ---------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------

router = APIRouter(tags=["Catalogue"])
OFFERS = (
    "text/html",
    "text/turtle",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
)


async def _respond(request: Request, part: str, focus: str) -> Response:
    c = ctx(request)
    base = c.base_url(request)
    svc = catalogue(c)
    media = choose_media(request, OFFERS)
    headers = resource_headers(c, request, OFFERS)
    cached = not_modified(request, headers["ETag"], headers={"Vary": "Accept"})
    if cached is not None:
        return cached
    meta = await svc.metadata(base)
    if media == "text/html":
        value = c.settings.public_base + "id/" + focus
        quads = await svc.describe(value, base) or []
        desc = Description(value, tuple(quads), metadata=True)
        return body_response(
            request, html_page(c, request, desc, OFFERS, True).encode(), media, headers
        )
    triples = meta.catalog if part == "catalog" else meta.void
    return body_response(request, serialize(triples, media), media, headers)


@router.get("/catalog", summary="DCAT catalogue (DCAT-AP 3) with PROV-O provenance")
async def catalog_get(request: Request) -> Response:
    return await _respond(request, "catalog", "catalog")


@router.head("/catalog", include_in_schema=False)
async def catalog_head(request: Request) -> Response:
    return await _respond(request, "catalog", "catalog")


@router.get("/.well-known/void", summary="VoID description of the dataset, with statistics")
async def void_get(request: Request) -> Response:
    return await _respond(request, "void", "dataset")


@router.head("/.well-known/void", include_in_schema=False)
async def void_head(request: Request) -> Response:
    return await _respond(request, "void", "dataset")


def install(app: FastAPI, settings: Settings) -> None:
    """``/catalog`` and ``/.well-known/void``; the minted IRIs resolve through ``/id/…``."""
    app.include_router(router)

    async def setup(context: Context) -> None:
        catalogue(context)

    app.state.feature_setups.append(setup)


__all__ = ["Catalogue", "Metadata", "build_metadata", "install", "read_facts", "render_files"]
