"""Search across labels, notations and paragraph texts, in Chinese and English.

Runs over the :class:`~sse_graph.web.index.WebIndex` (loaded from the store once per dataset
version), so the query text never reaches SPARQL. Matching is on a folded form (NFKC,
case-folded, no whitespace), so "第21届", "第 21 届", "ICLS" and "icls" all match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from sse_graph.web.i18n import TRANSLATED, Label
from sse_graph.web.index import KIND_ORDER, WebIndex, fold
from sse_graph.web.quotes import _term_pattern, mark

MAX_QUERY = 200
SNIPPET = {"en": 90, "zh": 40}


@dataclass
class Hit:
    iri: str
    score: float
    field: str  # label | notation | text
    match: Label  # the literal that matched
    snippet: Markup


def _snippet(text: str, pattern: re.Pattern, width: int) -> tuple[Markup, bool, bool]:
    m = pattern.search(text)
    if m is None:
        return Markup(text[: width * 2]), False, len(text) > width * 2
    start = max(0, m.start() - width)
    end = min(len(text), m.end() + width)
    return mark(text[start:end], pattern), start > 0, end < len(text)


def search(index: WebIndex, q: str, lang: str, limit: int = 200) -> list[tuple[str, list[Hit]]]:
    """Results grouped by kind: [(kind, [Hit…])…], best first within a kind."""
    q = q.strip()[:MAX_QUERY]
    needle = fold(q)
    if not needle:
        return []
    terms = [fold(t) for t in q.split() if fold(t)]
    phrase = re.compile(_term_pattern(q), re.IGNORECASE)
    word_patterns = [re.compile(_term_pattern(t), re.IGNORECASE) for t in q.split()]
    best: dict[str, Hit] = {}
    for iri, field, tag, text, folded in index.search_rows:
        if needle in folded:
            exact = folded == needle
            score = {"notation": 100 if exact else 60, "label": 90 if exact else 50, "text": 20}[
                field
            ]
            if field == "label" and folded.startswith(needle):
                score += 10
            pattern = phrase
        elif len(terms) > 1 and all(t in folded for t in terms):
            score = {"notation": 30, "label": 30, "text": 10}[field]
            pattern = re.compile("|".join(p.pattern for p in word_patterns), re.IGNORECASE)
        else:
            continue
        base = tag.split("-", 1)[0] if tag else lang
        if base == lang:
            score += 5 if tag == lang else 3
        current = best.get(iri)
        if current is not None and current.score >= score:
            continue
        width = SNIPPET["zh" if base == "zh" else "en"]
        if field == "text":
            snippet, before, after = _snippet(text, pattern, width)
            snippet = Markup(("… " if before else "") + snippet + (" …" if after else ""))
        else:
            snippet = mark(text, pattern)
        best[iri] = Hit(
            iri, score, field, Label(text, tag, translated=tag in TRANSLATED.values()), snippet
        )
    groups: dict[str, list[Hit]] = {}
    for hit in sorted(best.values(), key=lambda h: (-h.score, index.sort_key(h.iri)))[:limit]:
        groups.setdefault(index.kind(hit.iri), []).append(hit)
    return sorted(groups.items(), key=lambda kv: KIND_ORDER.get(kv[0], 99))
