"""Interface languages: the message catalogues, the page-language choice and label picking.

Interface strings live in ``i18n/{en,zh}.json`` (flat ``"area.name"`` keys, ``{name}``
placeholders). Data labels come from the graph; :func:`pick` chooses the one to show for a page
language: the exact tag first (``zh`` / ``en``), then the translated tag (``zh-t-en`` /
``en-t-zh``, shown with an "unofficial translation" badge), then the other language.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LANGS = ("en", "zh")
DEFAULT_LANG = "en"
#: value of ``<html lang>`` / ``Content-Language`` per page language
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
OTHER = {"en": "zh", "zh": "en"}
#: the translated tag of each language (RFC 6497 ``-t-``: transformed from the other language)
TRANSLATED = {"en": "en-t-zh", "zh": "zh-t-en"}

_DIR = Path(__file__).resolve().parent / "i18n"


class MissingMessage(KeyError):
    pass


@cache
def catalogue(lang: str) -> dict[str, str]:
    return json.loads((_DIR / f"{lang}.json").read_text("utf-8"))


def translator(lang: str, strict: bool = False):
    """``t(key, **values)`` for one language. A missing key renders as ``⟦key⟧`` (and raises
    when ``strict``) so that tests can find it on any page."""
    messages = catalogue(lang)

    def t(key: str, **values) -> str:
        text = messages.get(key)
        if text is None:
            if strict:
                raise MissingMessage(key)
            return f"⟦{key}⟧"
        return text.format(**values) if values else text

    return t


def primary(tag: str) -> str:
    """``zh-Hans-CN`` → ``zh``; transformed tags keep their primary language (``en-t-zh`` → en)."""
    return tag.split("-", 1)[0].lower()


_ACCEPT_ITEM = re.compile(
    r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?"
)


def from_accept_language(header: str | None) -> str | None:
    """The best of our languages for an ``Accept-Language`` header (RFC 9110 q-values)."""
    if not header:
        return None
    best: tuple[float, int, str] | None = None
    for position, part in enumerate(header.split(",")):
        m = _ACCEPT_ITEM.match(part)
        if not m:
            continue
        tag, q = m.group(1), m.group(2)
        try:
            weight = float(q) if q is not None else 1.0
        except ValueError:
            continue
        if weight <= 0:
            continue
        lang = primary(tag)
        if lang == "*":
            lang = DEFAULT_LANG
        if lang not in LANGS:
            continue
        key = (weight, -position, lang)
        if best is None or key[:2] > best[:2]:
            best = key
    return best[2] if best else None


def choose_lang(query_lang: str | None, accept_language: str | None) -> str:
    """``?lang=`` wins, then ``Accept-Language``, then English."""
    if query_lang:
        lang = primary(query_lang.strip())
        if lang in LANGS:
            return lang
    return from_accept_language(accept_language) or DEFAULT_LANG


@dataclass(frozen=True)
class Label:
    """A literal chosen for display: its text, language tag and how it relates to the page."""

    text: str
    tag: str  # the literal's language tag ("" for plain literals)
    translated: bool = False  # an unofficial translation (en-t-zh / zh-t-en)
    foreign: bool = False  # in the other language than the page
    missing: bool = False  # no label at all: a code or identifier stands in for it

    @property
    def html_lang(self) -> str:
        base = primary(self.tag) if self.tag else ""
        return HTML_LANG.get(base, base)

    def __str__(self) -> str:
        return self.text


def pick(values: dict[str, str] | None, lang: str) -> Label | None:
    """Choose among ``{tag: text}`` for the page language ``lang``."""
    if not values:
        return None
    if lang in values:
        return Label(values[lang], lang)
    translated = TRANSLATED[lang]
    if translated in values:
        return Label(values[translated], translated, translated=True)
    other = OTHER[lang]
    for tag in (other, TRANSLATED[other]):
        if tag in values:
            return Label(values[tag], tag, translated=tag != other, foreign=True)
    if "" in values:
        return Label(values[""], "")
    tag, text = sorted(values.items())[0]
    return Label(text, tag, foreign=primary(tag) != lang)
