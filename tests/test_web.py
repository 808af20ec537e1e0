"""The web client, server side: every page in both languages, against the real service.

The language check is strict: on a page in one language, no text outside an element marked
with another ``lang`` may be an interface string of the other language's catalogue, no message
key may show (a missing key renders as ``⟦key⟧``), and no link or heading may be empty.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sse_graph.web.i18n import HTML_LANG, LANGS, OTHER, catalogue

ID = "https://w3id.org/sse-kg/id/"
TEMPLATES = Path(__file__).resolve().parent.parent / "sse_graph" / "web" / "templates"
LISTING = [
    "/",
    "/instruments",
    "/matrix",
    "/matrix?objective=2",
    "/search",
    "/search?q=R193",
    "/search?q=%E7%BB%9F%E8%AE%A1",
    "/query",
    "/query?example=activities-implementing-conclusion-point&run=1",
    "/about",
]
KEY = re.compile(r"^[a-z][a-z0-9_\-]*(\.[a-z0-9_\-]+)+$")
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class Page(HTMLParser):
    """Text nodes with the language they are in, links, headings, the <html lang>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None]] = []  # (tag, lang)
        self.texts: list[tuple[str, str, str]] = []  # (text, lang, tag)
        self.attrs_text: list[tuple[str, str, str]] = []  # (value, lang, attr)
        self.html_lang = ""
        self.links: list[dict] = []
        self.headings: list[tuple[str, list[str]]] = []
        self.title = ""
        self._open: list[dict] = []  # open <a>/<h*>/<title> collecting text
        self.alternates: list[dict] = []

    def lang(self) -> str:
        for _, lang in reversed(self.stack):
            if lang is not None:
                return lang
        return ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang", "")
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)
        lang = a.get("lang")
        if tag not in VOID:
            self.stack.append((tag, lang))
        here = lang if lang is not None else self.lang()
        for name in ("title", "aria-label", "placeholder", "alt"):
            if a.get(name) and tag not in ("link", "meta"):
                self.attrs_text.append((a[name], here, name))
        if tag == "a":
            self._open.append(
                {"tag": "a", "href": a.get("href", ""), "text": [], "aria": a.get("aria-label", "")}
            )
        elif tag in ("h1", "h2", "h3", "h4", "title"):
            self._open.append({"tag": tag, "text": []})

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i]["tag"] == tag:
                item = self._open.pop(i)
                text = "".join(item["text"]).strip()
                if tag == "a":
                    self.links.append({"href": item["href"], "text": text, "aria": item["aria"]})
                elif tag == "title":
                    self.title = self.title or text
                else:
                    self.headings.append((tag, [text]))
                break

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] in ("script", "style"):
            return
        for item in self._open:
            item["text"].append(data)
        text = data.strip()
        if text:
            self.texts.append((text, self.lang(), self.stack[-1][0] if self.stack else ""))


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    return p


def foreign_ui_strings(lang: str) -> set[str]:
    """Interface strings of the other language that differ from ours."""
    mine, other = catalogue(lang), catalogue(OTHER[lang])
    return {
        v
        for k, v in other.items()
        if v != mine.get(k) and not k.startswith("lang.") and len(v) >= 2 and "{" not in v
    }


def check_language(html: str, lang: str, where: str) -> Page:
    page = parse(html)
    assert page.html_lang == HTML_LANG[lang], f"{where}: <html lang={page.html_lang!r}>"
    assert "⟦" not in html, f"{where}: missing messages {re.findall('⟦[^⟧]*⟧', html)[:5]}"
    leaks = foreign_ui_strings(lang)
    keys = set(catalogue(lang))
    base = primary = HTML_LANG[lang].split("-")[0]
    for text, text_lang, tag in page.texts + [(v, lg, a) for v, lg, a in page.attrs_text]:
        in_page_lang = (text_lang or base).split("-")[0] == primary
        if in_page_lang:
            assert text not in leaks, f"{where}: {OTHER[lang]} interface text {text!r} ({tag})"
            assert not re.search(r"\{[a-z_]+\}", text), f"{where}: unfilled placeholder: {text!r}"
        assert not (KEY.match(text) and text in keys), f"{where}: message key shown: {text!r}"
    for link in page.links:
        assert link["text"] or link["aria"], f"{where}: empty link to {link['href']}"
    for tag, (text,) in page.headings:
        assert text, f"{where}: empty <{tag}>"
    assert page.title and not page.title.startswith("·"), f"{where}: empty <title>"
    if lang == "zh":
        # the interface is Chinese: most of the visible words must be, too
        cjk = sum(1 for t, lg, _ in page.texts if re.search(r"[\u4e00-\u9fff]", t))
        assert cjk >= 5, f"{where}: hardly any Chinese text on a zh page"
    return page


def internal_links_keep_lang(page: Page, lang: str, where: str) -> None:
    for link in page.links:
        href = link["href"]
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(
            ("/assets", "/sparql", "/docs", "/download", "/catalog", "/queries", "/ontology")
        ):
            continue
        if "format" in parse_qs(parts.query):
            continue  # the data representations (?format=ttl …)
        got = parse_qs(parts.query).get("lang")
        assert got, f"{where}: internal link without ?lang=: {href}"
        if got != [lang]:
            # only the language switcher points to the other language
            assert (
                got == [OTHER[lang]]
                and link["text"] == catalogue(lang)[f"lang.{OTHER[lang]}.native"]
            ), f"{where}: {href} changes the language"


# ---------------------------------------------------------------------------------------------
# The message catalogues and templates
# ---------------------------------------------------------------------------------------------


def test_catalogues_have_the_same_keys_and_no_empty_message():
    en, zh = catalogue("en"), catalogue("zh")
    assert set(en) == set(zh)
    for lang, messages in (("en", en), ("zh", zh)):
        for key, text in messages.items():
            assert text.strip(), f"{lang}: {key} is empty"
            assert set(re.findall(r"\{(\w+)\}", text)) == set(
                re.findall(r"\{(\w+)\}", (zh if lang == "en" else en)[key])
            ), f"{key}: placeholders differ between the languages"


def test_every_literal_message_key_in_the_templates_exists():
    keys = set(catalogue("en"))
    used = set()
    for f in TEMPLATES.rglob("*.html"):
        text = f.read_text("utf-8")
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.\-]+)["']\s*[,)]""", text))
    missing = sorted(k for k in used if k not in keys)
    assert not missing, missing


# ---------------------------------------------------------------------------------------------
# Listing pages
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", LISTING)
def test_listing_pages_render_in_both_languages(client, path, lang):
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path}{sep}lang={lang}", headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert r.headers["content-language"] == HTML_LANG[lang]
    assert "accept-language" in r.headers["vary"].lower()
    assert re.search(r"web;dur=[\d.]+", r.headers["server-timing"])
    page = check_language(r.text, lang, f"{path} [{lang}]")
    internal_links_keep_lang(page, lang, f"{path} [{lang}]")
    assert page.alternates, f"{path}: no <link rel=alternate>"
    dumps = [a["href"] for a in page.alternates if a.get("href", "").startswith("/download/")]
    assert dumps, f"{path}: no link to the dumps"
    assert client.head(dumps[0]).status_code == 200
    assert client.head(f"{path}{sep}lang={lang}").status_code == 200
    assert any(h[0] == "h1" for h in page.headings)


def test_home_shows_tree_costs_and_timeline(client):
    html = client.get("/?lang=en").text
    for n in ("1.1-a", "1.2-d", "2.1-b", "3.3-a"):
        assert f'href="/id/activity/{n}?lang=en"' in html
    for n in ("1.1", "2.3", "3.3"):
        assert f'href="/id/output/{n}?lang=en"' in html
    assert html.count('class="chart bar-chart"') == 1
    assert "US$15.6 million" in html and "US$37.5 million" in html
    assert 'class="chart timeline"' in html
    # ICLS milestones: 2023 (21st) and 2028 (22nd)
    assert 'href="/id/milestone/icls-21?lang=en"' in html
    assert 'href="/id/milestone/icls-22?lang=en"' in html
    zh = client.get("/?lang=zh").text
    assert "1,560 万美元" in zh and "3,750 万美元" in zh


def test_language_choice(client):
    def lang_of(r):
        return parse(r.text).html_lang

    assert lang_of(client.get("/")) == "en"
    assert lang_of(client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})) == "zh-Hans"
    assert (
        lang_of(client.get("/", headers={"Accept-Language": "fr, zh;q=0.5, en;q=0.4"})) == "zh-Hans"
    )
    assert lang_of(client.get("/", headers={"Accept-Language": "en;q=0.9, zh;q=0.8"})) == "en"
    assert lang_of(client.get("/", headers={"Accept-Language": "fr"})) == "en"
    # ?lang= wins over Accept-Language
    assert lang_of(client.get("/?lang=en", headers={"Accept-Language": "zh"})) == "en"
    assert lang_of(client.get("/?lang=zh", headers={"Accept-Language": "en"})) == "zh-Hans"
    # unknown ?lang falls back to the header, then English
    assert lang_of(client.get("/?lang=xx", headers={"Accept-Language": "zh"})) == "zh-Hans"
    # the language switcher keeps the page and its parameters
    page = parse(client.get("/matrix?objective=2&lang=en").text)
    switch = [a for a in page.links if a["text"] == "中文"]
    assert switch and switch[0]["href"] == "/matrix?objective=2&lang=zh"


def test_unofficial_translations_are_marked(client):
    en = client.get("/id/activity/2.1-a?lang=en", headers={"Accept": "text/html"}).text
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", en, re.S).group(1)
    assert 'class="badge"' in h1 and "unofficial translation" in h1  # en-t-zh label
    zh = client.get("/id/activity/2.1-a?lang=zh", headers={"Accept": "text/html"}).text
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", zh, re.S).group(1)
    assert "badge" not in h1  # the Chinese label is the document's own
    # a zh-t-en label on a Chinese page: the P&B outcome titles are rendered from English
    zh = client.get("/id/pb-outcome/1?lang=zh", headers={"Accept": "text/html"}).text
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", zh, re.S).group(1)
    assert "非官方译文" in h1
    # official English: no badge
    en = client.get("/id/instrument/R193?lang=en", headers={"Accept": "text/html"}).text
    assert "badge" not in re.search(r"<h1[^>]*>(.*?)</h1>", en, re.S).group(1)


# ---------------------------------------------------------------------------------------------
# Every resource page, both languages
# ---------------------------------------------------------------------------------------------


def subjects(client) -> list[str]:
    q = (
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && "
        f'STRSTARTS(STR(?s), "{ID}")) }} ORDER BY ?s'
    )
    r = client.post(
        "/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+json"}
    )
    assert r.status_code == 200, r.text
    return [b["s"]["value"] for b in r.json()["results"]["bindings"]]


def test_every_resource_page_renders_in_both_languages_with_labels(client):
    iris = subjects(client)
    assert len(iris) > 200
    failures = []
    for lang in LANGS:
        for iri in iris:
            path = "/id/" + iri[len(ID) :]
            r = client.get(path, params={"lang": lang}, headers={"Accept": "text/html"})
            where = f"{path} [{lang}]"
            try:
                assert r.status_code == 200, f"{where}: HTTP {r.status_code}"
                page = check_language(r.text, lang, where)
                internal_links_keep_lang(page, lang, where)
                h1 = [t for tag, (t,) in page.headings if tag == "h1"]
                assert h1 and h1[0], f"{where}: no title"
                assert "resource-header" in r.text
                assert 'class="nolabel"' not in r.text, f"{where}: a resource or term has no label"
                levels = [int(tag[1]) for tag, _ in page.headings]
                assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels)), (
                    f"{where}: headings skip a level: {levels}"
                )
                types = {a.get("type") for a in page.alternates}
                assert {
                    "text/turtle",
                    "application/ld+json",
                    "application/n-triples",
                    "application/rdf+xml",
                } <= types, f"{where}: alternates {types}"
            except AssertionError as exc:
                failures.append(str(exc))
    assert not failures, "\n".join(failures[:20])


def test_alternate_links_resolve_to_rdf(client):
    page = parse(client.get("/id/activity/2.1-a?lang=en", headers={"Accept": "text/html"}).text)
    for alt in page.alternates:
        if alt.get("type") in (None, "text/html"):
            continue
        r = client.get(alt["href"])
        assert r.status_code == 200, alt
        assert r.headers["content-type"].split(";")[0] == alt["type"], alt
        assert "2.1-a" in r.text


# ---------------------------------------------------------------------------------------------
# What the pages say
# ---------------------------------------------------------------------------------------------


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start + 1)
    return html[start : end if end > 0 else None]


def test_r193_lists_its_activities_with_the_citing_paragraph(client):
    for lang in LANGS:
        html = client.get(f"/id/instrument/R193?lang={lang}", headers={"Accept": "text/html"}).text
        related = section(html, "related-h")
        assert f'href="/id/objective/2?lang={lang}"' in related
        assert f'href="/id/output/2.1?lang={lang}"' in related
        for a in ("2.1-a", "2.1-b"):
            assert f'href="/id/activity/{a}?lang={lang}"' in related
        assert f'href="/id/paragraph/15?lang={lang}"' in related
        assert "<blockquote" in related and "<mark>" in related
        marked = re.findall(r"<mark>(.*?)</mark>", related)
        assert marked and all(("193" in m) for m in marked)
        if lang == "zh":
            assert "第 193 号建议书" in related  # quoted in Chinese
        else:
            assert "Recommendation No. 193" in related
        assert "thematic-h" not in html  # R193 has no thematic link
        assert '<svg class="chart graph"' in html


def test_thematic_links_are_shown_apart(client):
    html = client.get("/id/instrument/R204?lang=en", headers={"Accept": "text/html"}).text
    assert "No paragraph that sets out an output cites this instrument" in html
    thematic = section(html, "thematic-h")
    assert "thematic" in thematic
    assert 'href="/id/thematic-area/24b?lang=en"' in thematic
    assert 'href="/id/paragraph/3?lang=en"' in thematic  # the paragraph tying R204 to 24(b)
    for a in ("3.1-a", "3.1-b"):
        assert f'href="/id/activity/{a}?lang=en"' in thematic
    act = client.get("/id/activity/3.1-a?lang=zh", headers={"Accept": "text/html"}).text
    assert "主题关联" in act and 'href="/id/instrument/R205?lang=zh"' in act


def test_conclusion_point_9n_lists_what_implements_it(client):
    html = client.get("/id/conclusion-point/9n?lang=en", headers={"Accept": "text/html"}).text
    impl = section(html, "impl-h")
    found = re.findall(r'href="/id/activity/([\d.]+-[a-z])\?lang=en"', impl)
    assert set(found) == {"1.2-a", "1.2-b", "1.2-c", "1.2-d", "2.1-a", "2.2-a", "2.3-a"}


def test_paragraph_and_activity_pages_link_both_ways(client):
    para = client.get("/id/paragraph/15?lang=en", headers={"Accept": "text/html"}).text
    assert 'href="/id/instrument/R193?lang=en"' in para
    assert 'href="/id/output/2.1?lang=en"' in para
    assert "Chinese original" in para  # the other text, folded
    act = client.get("/id/activity/1.2-a?lang=en", headers={"Accept": "text/html"}).text
    assert 'href="/id/milestone/icls-21?lang=en"' in act
    assert 'href="/id/conclusion-point/9n?lang=en"' in act
    assert 'href="/id/pb-output/A.1?lang=en"' in act
    assert 'href="/id/output/1.2?lang=en"' in act


# ---------------------------------------------------------------------------------------------
# Matrix and its CSV
# ---------------------------------------------------------------------------------------------


def test_matrix_grids_and_filter(client):
    html = client.get("/matrix?lang=en").text
    assert html.count('<table class="matrix">') == 2
    assert html.count('scope="row" class="rowhead"><a href="/id/activity/') == 34
    assert "<caption>" in html and 'scope="col"' in html
    one = client.get("/matrix?objective=1&lang=en").text
    rows = set(re.findall(r'class="rowhead"><a href="/id/activity/([^?]+)\?', one))
    assert rows == {"1.1-a", "1.2-a", "1.2-b", "1.2-c", "1.2-d", "1.3-a"}
    assert '<option value="1" selected>' in one
    bad = client.get("/matrix?objective=9&lang=en", headers={"Accept": "text/html"})
    assert bad.status_code == 400 and 'lang="en"' in bad.text


@pytest.mark.parametrize("lang", LANGS)
def test_matrix_csv(client, lang):
    r = client.get(f"/matrix.csv?lang={lang}")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text)))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(body) == 17
    assert header[0] == catalogue(lang)["matrix.csv.activity"]
    cp_cols = [i for i, h in enumerate(header) if "9(n)" in h]
    assert cp_cols
    col = cp_cols[0]
    assert {row[0] for row in body if row[col] == "1"} == {
        "1.2-a",
        "1.2-b",
        "1.2-c",
        "1.2-d",
        "2.1-a",
        "2.2-a",
        "2.3-a",
    }
    assert total[col] == "7"
    # the totals add up
    n_cp = sum(1 for h in header if h.startswith(catalogue(lang)["matrix.csv.cp"][:3]))
    assert n_cp > 0
    assert int(total[-2]) == sum(int(row[-2]) for row in body)
    assert int(total[-1]) == sum(int(row[-1]) for row in body)
    # the same filter as the page
    two = list(csv.reader(io.StringIO(client.get(f"/matrix.csv?objective=2&lang={lang}").text)))
    assert [row[0] for row in two[1:-1]] == ["2.1-a", "2.1-b", "2.2-a", "2.3-a"]
    assert "objective-2" in client.get("/matrix.csv?objective=2").headers["content-disposition"]


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------


def result_hrefs(html: str, lang: str) -> list[str]:
    body = html[html.index('class="result-count"') :]
    return re.findall(rf'href="(/id/[^"?]+)\?lang={lang}"', body)


def test_search_in_chinese_and_english(client):
    zh = client.get("/search", params={"q": "统计", "lang": "zh"}).text
    hits = result_hrefs(zh, "zh")
    assert "/id/activity/1.2-a" in hits and "/id/output/1.2" in hits
    assert "/id/paragraph/10" in hits  # paragraph text, not only labels
    assert "<mark>统计</mark>" in zh
    assert 'id="k-activity"' in zh and 'id="k-paragraph"' in zh  # grouped by type
    # spaces inside Chinese do not matter: the seed writes "第 21 届"
    assert "/id/activity/1.2-a" in result_hrefs(
        client.get("/search", params={"q": "第21届", "lang": "zh"}).text, "zh"
    )
    en = client.get("/search", params={"q": "cooperatives", "lang": "en"}).text
    hits = result_hrefs(en, "en")
    assert "/id/instrument/R193" in hits and "/id/activity/1.2-a" in hits
    # codes
    assert (
        result_hrefs(client.get("/search", params={"q": "9(n)", "lang": "en"}).text, "en")[0]
        == "/id/conclusion-point/9n"
    )
    # English words on a Chinese page find the English labels (and say which language)
    mixed = client.get("/search", params={"q": "care economy", "lang": "zh"}).text
    assert "/id/thematic-area/24a" in result_hrefs(mixed, "zh")
    nothing = client.get("/search", params={"q": "zzzzqqq", "lang": "en"}).text
    assert "Nothing found" in nothing


# ---------------------------------------------------------------------------------------------
# SPARQL page
# ---------------------------------------------------------------------------------------------


def test_query_page_runs_curated_query_server_side(client):
    r = client.get(
        "/query",
        params={
            "example": "activities-implementing-conclusion-point",
            "run": "1",
            "lang": "en",
            "param-conclusion": "16(a)",
        },
    )
    assert r.status_code == 200
    table = r.text[r.text.index('class="data results-table"') :]
    assert 'href="/id/activity/2.1-a?lang=en"' in table
    assert 'href="/id/activity/1.2-a?lang=en"' not in table  # bound to 16(a), not 9(n)
    assert (
        "/queries/activities-implementing-conclusion-point?conclusion=16%28a%29&amp;"
        "format=csv" in r.text
    )


def test_query_page_runs_any_query_without_javascript(client):
    q = "SELECT ?o WHERE { <https://w3id.org/sse-kg/id/output/2.1> ?p ?o } ORDER BY ?o"
    for r in (
        client.get("/query", params={"query": q, "lang": "zh"}),
        client.post("/query", data={"query": q, "lang": "zh"}),
    ):
        assert r.status_code == 200
        assert 'href="/id/activity/2.1-a?lang=zh"' in r.text
        assert "/sparql?query=SELECT" in r.text and "format=json" in r.text
    construct = client.get(
        "/query",
        params={
            "query": "CONSTRUCT { ?s ?p ?o } WHERE { BIND(<https://w3id.org/sse-kg/id/output/2.1> "
            "AS ?s) ?s ?p ?o } LIMIT 5",
            "lang": "en",
        },
    )
    assert construct.status_code == 200 and "?subject" in construct.text
    bad = client.get("/query", params={"query": "SELECT ?x WHERE { ?x ?y }", "lang": "en"})
    assert bad.status_code == 400
    assert 'class="error-box"' in bad.text and "SELECT ?x WHERE { ?x ?y }" in bad.text


def test_query_page_lists_the_curated_queries(client):
    curated = client.get("/queries").json()
    html = client.get("/query?lang=en").text
    for q in curated:
        assert f'data-example="{q["name"]}"' in html


# ---------------------------------------------------------------------------------------------
# Errors, caching, assets
# ---------------------------------------------------------------------------------------------


def test_not_found_page_is_helpful_and_in_the_page_language(client):
    r = client.get("/id/activity/2.1-z?lang=zh", headers={"Accept": "text/html"})
    assert r.status_code == 404
    check_language(r.text, "zh", "404 page")
    assert 'action="/search"' in r.text and 'value="2.1-z"' in r.text
    assert 'href="/id/activity/2.1-a?lang=zh"' in r.text  # a near match
    r = client.get("/no/such/page", headers={"Accept": "text/html", "Accept-Language": "en"})
    assert r.status_code == 404 and "Nothing here" in r.text
    assert parse(r.text).html_lang == "en"
    # API clients still get JSON
    assert client.get("/no/such/page").headers["content-type"].startswith("application/json")


def test_pages_are_cacheable_by_version_and_language(client):
    r = client.get("/instruments?lang=en")
    etag = r.headers["etag"]
    assert client.get("/instruments?lang=en", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/instruments?lang=zh").headers["etag"] != etag


def test_static_assets_are_served_locally(client):
    html = client.get("/query?lang=en").text
    assets = re.findall(r'(?:href|src)="(/assets/[^"]+)"', html)
    assert {a.split("?")[0] for a in assets} >= {
        "/assets/style.css",
        "/assets/app.js",
        "/assets/sparql-editor.js",
    }
    for a in assets:
        r = client.get(a)
        assert r.status_code == 200 and "max-age" in r.headers["cache-control"]
    assert not re.search(r'(?:href|src)="(?:https?:)?//', html.split("<main")[0])  # no CDN


def test_page_markup_is_accessible(client):
    html = client.get("/matrix?lang=en").text
    assert '<a class="skip" href="#main">' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    page = parse(html)
    levels = [int(tag[1]) for tag, _ in page.headings]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in pairwise(levels))
    assert html.count("<caption>") >= 2
    css = client.get("/assets/style.css").text
    assert ":focus-visible" in css and "@media print" in css and "max-width: 40rem" in css
    assert json.loads(
        re.search(
            r'id="query-messages">(.*?)</script>', client.get("/query?lang=zh").text, re.S
        ).group(1)
    )["results"]
