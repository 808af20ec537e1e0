"""Build the graph once: parse → validate → reason → cache; then open it from the cache.

The cache is keyed by a hash of every input byte (and the build format), so a start with unchanged
sources never re-parses Turtle or re-runs the reasoner, and a changed source can never be served
from a stale cache. Files are written sorted, so two builds of the same inputs are byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from sse_graph import __version__
from sse_graph.namespaces import ASSERTED_GRAPH, INFERRED_GRAPH
from sse_graph.settings import Settings

BUILD_FORMAT = "3"  # bump when the cache layout or the reasoning filter changes


class BuildError(Exception):
    """A source does not parse or the graph does not validate; the message is for a person."""


@dataclass(frozen=True)
class Built:
    """A built graph on disk: the cache directory and its manifest."""

    directory: Path
    manifest: dict = field(hash=False)

    @property
    def version(self) -> str:
        return self.manifest["version"]

    @property
    def asserted_path(self) -> Path:
        return self.directory / "asserted.nq"

    @property
    def inferred_path(self) -> Path:
        return self.directory / "inferred.nq"


def source_files(settings: Settings) -> list[Path]:
    """Ontology first, then data, each sorted: the order is part of the cache key."""
    onto = sorted(p for p in settings.ontology_dir.glob("*.ttl") if p.name != "shapes.ttl")
    data = sorted(settings.data_dir.glob("*.ttl"))
    if not data:
        raise BuildError(f"no data: no .ttl file in {settings.data_dir}")
    return onto + data


def shapes_file(settings: Settings) -> Path:
    return settings.ontology_dir / "shapes.ttl"


def input_digests(settings: Settings) -> list[tuple[Path, str]]:
    """Every input of a build (sources, then shapes) with its SHA-256, each file read once."""
    return [
        (p, hashlib.sha256(p.read_bytes() if p.exists() else b"<missing>").hexdigest())
        for p in [*source_files(settings), shapes_file(settings)]
    ]


def cache_key(settings: Settings, inputs: list[tuple[Path, str]] | None = None) -> str:
    h = hashlib.sha256()
    h.update(f"sse-graph {__version__} build {BUILD_FORMAT}\n".encode())
    for path, digest in inputs if inputs is not None else input_digests(settings):
        h.update(f"{path.name}\0{digest}\0".encode())
    return h.hexdigest()


def parse_files(paths: list[Path]) -> Graph:
    """Parse Turtle files into one graph; a syntax error names the file and line."""
    g = Graph()
    for path in paths:
        if not path.exists():
            raise BuildError(f"{path}: no such file")
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for bad syntax
            msg = " ".join(str(exc).split())
            raise BuildError(f"{path.name}: not valid Turtle: {msg}") from None
    return g


def to_nquads(graph: Graph, graph_iri: str) -> str:
    """Sorted N-Quads with canonical blank-node labels: stable bytes for stable inputs."""
    has_bnodes = any(isinstance(t, BNode) for triple in graph for t in triple)
    canon = to_canonical_graph(graph) if has_bnodes else graph
    lines = canon.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    quads = sorted(f"{line[:-2]} <{graph_iri}> .\n" for line in lines if line.strip())
    return "".join(quads)


def build(settings: Settings, *, force: bool = False, log=print) -> Built:
    """Build into the cache unless an identical build is already there."""
    inputs = input_digests(settings)
    sources = [p for p, _ in inputs[:-1]]
    key = cache_key(settings, inputs)
    target = settings.cache_dir / key[:32]
    if not force and (target / "manifest.json").exists():
        built = open_cache(target)
        log(f"cache hit {target} (version {built.version})")
        return built

    from sse_graph import reasoning, validation

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    asserted = parse_files(sources)
    timings["parse"] = time.perf_counter() - t0
    log(f"parsed {len(asserted)} triples from {len(sources)} files in {timings['parse']:.2f} s")

    t0 = time.perf_counter()
    result = validation.validate(asserted, parse_files([shapes_file(settings)]))
    timings["validate"] = time.perf_counter() - t0
    if not result.conforms:
        raise BuildError("the graph does not validate:\n" + result.text())
    log(f"validated against SHACL shapes in {timings['validate']:.2f} s")

    t0 = time.perf_counter()
    inferred = reasoning.infer(asserted)
    timings["reason"] = time.perf_counter() - t0
    log(f"inferred {len(inferred)} triples (OWL 2 RL) in {timings['reason']:.2f} s")

    t0 = time.perf_counter()
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".build-", dir=settings.cache_dir))
    (tmp / "asserted.nq").write_text(to_nquads(asserted, str(ASSERTED_GRAPH)), "utf-8")
    (tmp / "inferred.nq").write_text(to_nquads(inferred, str(INFERRED_GRAPH)), "utf-8")
    timings["write"] = time.perf_counter() - t0
    manifest = {
        "key": key,
        "version": key[:16],
        "software": f"sse-graph {__version__}",
        "built": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "counts": {"asserted": len(asserted), "inferred": len(inferred)},
        "inputs": [{"file": p.name, "sha256": digest} for p, digest in inputs],
        "timings": {k: round(v, 4) for k, v in timings.items()},
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    if target.exists():
        shutil.rmtree(target)
    os.replace(tmp, target)
    log(f"wrote cache {target} in {timings['write']:.2f} s")
    return Built(target, manifest)


def open_cache(directory: Path) -> Built:
    manifest = json.loads((directory / "manifest.json").read_text("utf-8"))
    return Built(directory, manifest)


def ensure_built(settings: Settings, log=lambda *_: None) -> Built:
    """The cache for the current sources, building it if needed (validation errors raise)."""
    return build(settings, log=log)
