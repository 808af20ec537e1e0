"""Quote the sentence of a paragraph that names an instrument, with the name marked.

The reason an activity is linked to an instrument is a paragraph that cites it; the page shows
the sentence(s) of that paragraph that name the instrument (in the page language), so the reader
sees the citation itself. When no sentence can be matched (the text says "the above-mentioned
conclusions"), the whole paragraph is quoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from markupsafe import Markup

from sse_graph.web.i18n import Label

_BRACKETS = re.compile(r"[《》〈〉「」“”\"]")
_SENTENCE_END = re.compile(r"(?<=[。；！？])|(?<=[.;!?])\s+(?=[A-Z(“\"‘])|\n+")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Quote:
    html: Markup  # escaped text with <mark> around the instrument's name
    label: Label  # the paragraph text chosen (language, translation flag)
    whole: bool  # the whole paragraph (no sentence named the instrument)
    partial_before: bool = False
    partial_after: bool = False


def _term_pattern(term: str) -> str:
    """Regex for a name: spaces optional between CJK characters, flexible elsewhere."""
    parts = []
    for ch in term.strip():
        if ch.isspace():
            parts.append(r"\s*")
        else:
            parts.append(re.escape(ch) + (r"\s*" if _CJK.match(ch) else ""))
    return "".join(parts).replace(r"\s*\s*", r"\s*")


@lru_cache(maxsize=256)
def matcher(names: tuple[str, ...], notation: str) -> re.Pattern | None:
    terms: list[str] = []
    for name in names:
        cleaned = _BRACKETS.sub("", name).strip()
        # "Promotion of Cooperatives Recommendation, 2002 (No. 193)" → also without the number
        short = re.sub(r"\s*[(（][^()（）]*[)）]\s*$", "", cleaned).strip()
        for t in {cleaned, short}:
            if len(t) >= 3:
                terms.append(_term_pattern(t))
    m = re.fullmatch(r"R(\d+)", notation or "")
    if m:
        n = m.group(1)
        terms.append(rf"(?:Recommendation\s+)?No\.\s*{n}(?!\d)")
        terms.append(rf"第\s*{n}\s*号(?:建议书)?")
    if not terms:
        return None
    terms.sort(key=len, reverse=True)
    return re.compile("|".join(f"(?:{t})" for t in terms), re.IGNORECASE)


def sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE_END.split(text)) if s]


def mark(text: str, pattern: re.Pattern | None) -> Markup:
    if pattern is None:
        return Markup(escape(text))
    out, last = [], 0
    for m in pattern.finditer(text):
        if m.start() == m.end():
            continue
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("".join(out))


def quote(text: Label, names: tuple[str, ...], notation: str) -> Quote:
    pattern = matcher(names, notation)
    parts = sentences(text.text)
    hits = [i for i, s in enumerate(parts) if pattern is not None and pattern.search(s)]
    if not hits:
        return Quote(Markup(escape(text.text)), text, whole=True)
    joiner = "" if _CJK.search(text.text[:40]) else " "
    pieces: list[Markup] = []
    for n, i in enumerate(hits):
        if n and i != hits[n - 1] + 1:
            pieces.append(Markup(" … "))
        elif n:
            pieces.append(Markup(joiner))
        pieces.append(mark(parts[i], pattern))
    return Quote(
        Markup("").join(pieces),
        text,
        whole=False,
        partial_before=hits[0] > 0,
        partial_after=hits[-1] < len(parts) - 1,
    )
