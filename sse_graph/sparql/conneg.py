"""Content negotiation: one table of media types per result kind, one negotiation function.

The tables are ordered by server preference; the first entry is the default when the client
sends no ``Accept`` or ``*/*``.
"""

from __future__ import annotations

from dataclasses import dataclass

#: SELECT and ASK results.
SOLUTION_TYPES: tuple[str, ...] = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
#: CONSTRUCT and DESCRIBE results, dumps and linked-data representations.
GRAPH_TYPES: tuple[str, ...] = (
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/n-quads",
    "application/trig",
)
#: Media types accepted as synonyms (requested → served).
ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/x-trig": "application/trig",
}
GRAPH_ALIASES: dict[str, str] = {
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/x-trig": "application/trig",
}

#: ``format=`` short names.
SOLUTION_FORMATS: dict[str, str] = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS: dict[str, str] = {
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "json": "application/ld+json",
    "rdf": "application/rdf+xml",
    "xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "trig": "application/trig",
}


class NotAcceptable(Exception):
    """Nothing the client accepts can be produced; carries the types we could have sent."""

    def __init__(self, offered: tuple[str, ...], detail: str = ""):
        self.offered = offered
        super().__init__(detail or "none of the requested media types can be produced")


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    specificity: int

    def matches(self, media_type: str) -> bool:
        t, _, s = media_type.partition("/")
        return (self.type in ("*", t)) and (self.subtype in ("*", s))


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header (RFC 9110 §12.5.1): q-values, wildcards, parameters."""
    ranges: list[MediaRange] = []
    if not header:
        return ranges
    for part in header.split(","):
        part = part.strip()
        if not part:
            continue
        fields = [f.strip() for f in part.split(";")]
        mt = fields[0].lower()
        if mt == "*":
            mt = "*/*"
        if "/" not in mt:
            continue
        t, _, s = mt.partition("/")
        q = 1.0
        params = 0
        for f in fields[1:]:
            name, _, value = f.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
            elif name.strip():
                params += 1
        spec = (0 if t == "*" else 2) + (0 if s == "*" else 1) + (params and 1)
        ranges.append(MediaRange(t, s, q, spec))
    return ranges


def negotiate(
    accept: str | None,
    offers: tuple[str, ...],
    aliases: dict[str, str] | None = None,
) -> str:
    """Pick the offer the client prefers most; ties go to server order. Raise NotAcceptable."""
    ranges = parse_accept(accept)
    if not ranges:
        return offers[0]
    aliases = aliases or {}
    best: tuple[float, int] | None = None
    choice: str | None = None
    for index, offer in enumerate(offers):
        q = _quality(ranges, offer, [a for a, target in aliases.items() if target == offer])
        if q <= 0:
            continue
        # an exact or aliased match outranks the same q from a wildcard
        key = (q, -index)
        if best is None or key > best:
            best, choice = key, offer
    if choice is None:
        raise NotAcceptable(offers)
    return choice


def _quality(ranges: list[MediaRange], offer: str, aliases: list[str]) -> float:
    """The q of the most specific range matching ``offer`` (RFC 9110 precedence).

    Aliases count only when named exactly: ``text/*`` must not select SPARQL XML results
    through the ``text/xml`` alias.
    """
    best_spec, best_q = -1, 0.0
    for r in ranges:
        exact_alias = r.type != "*" and r.subtype != "*" and any(r.matches(a) for a in aliases)
        if (r.matches(offer) or exact_alias) and r.specificity > best_spec:
            best_spec, best_q = r.specificity, r.q
    return best_q if best_spec >= 0 else 0.0


def from_format(fmt: str, table: dict[str, str], offers: tuple[str, ...]) -> str:
    """Resolve a ``format=`` override (a short name or a media type)."""
    value = fmt.strip().lower()
    if value in table:
        return table[value]
    if value in offers:
        return value
    raise NotAcceptable(offers, f"unknown format {fmt!r}; use one of {', '.join(sorted(table))}")
