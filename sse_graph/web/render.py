"""Jinja2 environment and the per-request :class:`Page` that templates use for words and links."""

from __future__ import annotations

import hashlib
import re
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from sse_graph import __version__
from sse_graph.http import not_modified
from sse_graph.namespaces import PREFIXES, SSE
from sse_graph.web.i18n import HTML_LANG, LANGS, OTHER, Label, choose_lang, pick, translator
from sse_graph.web.index import WebIndex

ONTOLOGY_NS = str(SSE)

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
ASSET_PREFIX = "/assets"

#: RDF formats offered as ``<link rel="alternate">`` on resource pages (``?format=`` names)
RDF_FORMATS = (
    ("ttl", "text/turtle", "Turtle"),
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("nt", "application/n-triples", "N-Triples"),
    ("rdf", "application/rdf+xml", "RDF/XML"),
    ("trig", "application/trig", "TriG"),
    ("nq", "application/n-quads", "N-Quads"),
)

_env: Environment | None = None
_asset_versions: dict[str, str] = {}
_code_version: str | None = None


def code_version() -> str:
    """Hash of the templates and catalogues: part of every page's ETag."""
    global _code_version
    if _code_version is None:
        h = hashlib.sha256(__version__.encode())
        for folder in ("templates", "i18n"):
            for f in sorted((HERE / folder).rglob("*")):
                if f.is_file():
                    h.update(f.name.encode())
                    h.update(f.read_bytes())
        _code_version = h.hexdigest()[:12]
    return _code_version


def environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(["html", "svg"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        _env.globals["asset"] = asset
        _env.globals["app_version"] = __version__
        for name in _env.list_templates(extensions=["html"]):
            _env.get_template(name)  # compile every template once, at start-up
    return _env


def asset(name: str) -> str:
    """URL of a static file, with a content hash so browsers may cache it for long."""
    v = _asset_versions.get(name)
    if v is None:
        try:
            v = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
        except OSError:
            v = __version__
        _asset_versions[name] = v
    return f"{ASSET_PREFIX}/{name}?v={v}"


def curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


class Page:
    """One request's language, words and link builders, handed to every template as ``page``."""

    def __init__(
        self, request: Request, index: WebIndex | None, id_base: str, lang: str | None = None
    ):
        self.request = request
        self.index = index
        self.id_base = id_base
        self.lang = lang or choose_lang(
            request.query_params.get("lang"), request.headers.get("accept-language")
        )
        self.other = OTHER[self.lang]
        self.html_lang = HTML_LANG[self.lang]
        self.t = translator(self.lang)
        self.started = time.perf_counter()
        self.alternates: list[tuple[str, str, str]] = []  # (type, href, title)

    # ---- URLs

    def url(self, path: str, lang: str | None = None, **params) -> str:
        """A path on this service, carrying the page language (or ``lang``)."""
        items = [(k, v) for k, v in params.items() if v is not None and v != ""]
        items.append(("lang", lang or self.lang))
        return f"{path}?{urlencode(items)}"

    def local(self, iri: str) -> str | None:
        """``/id/…`` path of an IRI under the instance namespace, else None."""
        if iri.startswith(self.id_base):
            return "/id/" + iri[len(self.id_base) :]
        return None

    def href(self, iri: str, **params) -> str:
        path = self.local(iri)
        return self.url(path, **params) if path is not None else iri

    def switch(self, lang: str) -> str:
        """The current URL in another language."""
        items = [(k, v) for k, v in self.request.query_params.multi_items() if k != "lang"]
        items.append(("lang", lang))
        return f"{self.request.url.path}?{urlencode(items)}"

    def languages(self) -> list[tuple[str, str, str]]:
        """(code, native name, URL) for the switcher."""
        return [(code, self.t(f"lang.{code}.native"), self.switch(code)) for code in LANGS]

    # ---- names

    def label(self, iri: str) -> Label:
        found = self.index.label(iri, self.lang) if self.index else None
        if found is not None:
            return found
        return Label(self.notation(iri) or curie(iri).rsplit("/", 1)[-1], "", missing=True)

    def has_label(self, iri: str) -> bool:
        return self.index is not None and self.index.label(iri, self.lang) is not None

    def notation(self, iri: str) -> str:
        return self.index.notation.get(iri, "") if self.index else ""

    def code(self, iri: str) -> str:
        """The notation to show before the label, unless the label already says it."""
        n = self.notation(iri)
        if not n or re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)+", n):  # slugs ("mne-declaration")
            return ""
        text = self.label(iri).text
        if re.search(r"(?<![\w.])" + re.escape(n) + r"(?![\w.])", text):
            return ""
        return n

    def kind(self, iri: str) -> str:
        return self.index.kind(iri) if self.index else "resource"

    def kind_name(self, kind: str, plural: bool = False) -> str:
        return self.t(f"kind.{kind}{'.plural' if plural else ''}")

    def pick(self, values: dict[str, str] | None) -> Label | None:
        return pick(values, self.lang)

    def term(self, iri: str) -> Label:
        """Name of an ontology or vocabulary term (property, class)."""
        if self.index is not None:
            found = pick(self.index.term_labels.get(iri), self.lang)
            if found is not None:
                return found
        key = f"term.{curie(iri)}"
        text = self.t(key)
        if text.startswith("⟦"):
            return Label(curie(iri), "", missing=True)
        return Label(text, self.lang)

    def term_href(self, iri: str) -> str:
        """Where a vocabulary term is explained: the ontology page for our own terms."""
        if iri.startswith(ONTOLOGY_NS):
            return self.url("/ontology") + "#" + iri[len(ONTOLOGY_NS) :]
        return self.href(iri)

    def money(self, value: float | str | None) -> str:
        if value is None:
            return ""
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        if self.lang == "zh":  # 万 (10,000), as the document writes amounts: 1,560 万美元
            text = f"{(amount / Decimal(10_000)).normalize():,f}"
        else:
            text = f"{(amount / Decimal(1_000_000)).normalize():,f}"
        return self.t("money.usd", amount=text)

    def ordered(self, iris) -> list[str]:
        return self.index.ordered(iris) if self.index else sorted(set(iris))

    # ---- response

    def server_timing(self, extra: dict[str, float] | None = None) -> str:
        parts = [f"web;dur={(time.perf_counter() - self.started) * 1000:.2f}"]
        for name, seconds in (extra or {}).items():
            parts.append(f"{name};dur={seconds * 1000:.2f}")
        return ", ".join(parts)

    def etag(self) -> str | None:
        if self.index is None:
            return None
        return f'W/"{self.index.version}-{self.lang}-{code_version()}"'

    def render(
        self, template: str, status: int = 200, headers: dict | None = None, **context
    ) -> Response:
        out = {
            "Content-Language": self.html_lang,
            "Vary": "Accept, Accept-Language",
        }
        etag = self.etag() if status == 200 else None
        if etag:
            out["ETag"] = etag
            out["Cache-Control"] = "public, max-age=300"
            cached = not_modified(self.request, etag, headers=out)
            if cached is not None:
                return cached
        html = environment().get_template(template).render(page=self, **context)
        out["Server-Timing"] = self.server_timing()
        out.update(headers or {})
        return HTMLResponse(html, status, headers=out)
