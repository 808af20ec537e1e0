"""The web client in a real browser: Debian's Chromium, headless, driven by Playwright.

Walks the pages a person would (home → instruments → R193 → an activity → its conclusion point
→ back), switches the language, searches in Chinese and English, runs a curated query and a
hand-written one, filters the matrix and downloads its CSV, and does the keyboard-only walk
from home to R193's related activities and the paragraph that justifies each link.

Screenshots of the main pages go to ``test-artifacts/screenshots/`` on every run.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed: run `make chromium` (apt-get install chromium)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, service) -> Iterator:
    context = browser.new_context(
        base_url=service.url,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # a 4xx the test provokes is logged by the browser as "Failed to load resource": not a bug
    pg.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    yield pg
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def shot(pg, name: str) -> None:
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def path_of(pg) -> str:
    return re.sub(r"^https?://[^/]+", "", pg.url)


# ---------------------------------------------------------------------------------------------


def test_walk_from_home_to_a_conclusion_point_and_back(page):
    pg = page
    pg.goto("/?lang=en")
    assert pg.locator("html").get_attribute("lang") == "en"
    assert pg.locator("svg.bar-chart").count() == 1 and pg.locator("svg.timeline").count() == 1
    shot(pg, "home")

    pg.get_by_role("navigation", name="Main").get_by_role("link", name="Instruments").click()
    pg.wait_for_url("**/instruments?lang=en")
    pg.get_by_role("link", name=re.compile("Promotion of Cooperatives Recommendation")).click()
    pg.wait_for_url("**/id/instrument/R193?lang=en")
    related = pg.locator("section", has=pg.locator("#related-h")).first
    assert related.get_by_role("link", name=re.compile("Paragraph 15")).count() >= 1
    shot(pg, "instrument-R193")

    related.locator('a[href^="/id/activity/2.1-a"]').first.click()
    pg.wait_for_url("**/id/activity/2.1-a?lang=en")
    assert "2.1-a" in pg.locator(".resource-header").inner_text()
    shot(pg, "activity-2.1-a")

    pg.locator('a.chip[href^="/id/conclusion-point/9n"]').click()
    pg.wait_for_url("**/id/conclusion-point/9n?lang=en")
    assert pg.locator("h1").inner_text().strip() == "Conclusions point 9(n)"
    assert pg.locator('#impl-h ~ ul a[href^="/id/activity/2.1-a"]').count() == 1

    pg.go_back()
    pg.wait_for_url("**/id/activity/2.1-a?lang=en")
    assert pg.locator("h1").inner_text().startswith("Provide up-to-date legal")


def test_switch_language_keeps_the_page(page):
    pg = page
    pg.goto("/id/activity/2.1-a?lang=en")
    english = pg.locator("h1").inner_text()
    pg.get_by_role("navigation", name="Language").get_by_role("link", name="中文").click()
    pg.wait_for_url("**/id/activity/2.1-a?lang=zh")
    assert pg.locator("html").get_attribute("lang") == "zh-Hans"
    chinese = pg.locator("h1").inner_text()
    assert chinese.startswith("提供最新法律政策指导") and chinese != english
    assert pg.get_by_role("navigation", name="主导航").get_by_role("link", name="文书").count() == 1
    hrefs = pg.locator("main a[href^='/id/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs and all("lang=zh" in h or "format=" in h for h in hrefs)
    shot(pg, "activity-2.1-a-zh")
    pg.get_by_role("navigation", name="语言").get_by_role("link", name="English").click()
    pg.wait_for_url("**/id/activity/2.1-a?lang=en")
    assert pg.locator("h1").inner_text() == english


def test_accept_language_picks_chinese(browser, service):
    context = browser.new_context(base_url=service.url, locale="zh-CN")
    pg = context.new_page()
    pg.goto("/")
    assert pg.locator("html").get_attribute("lang") == "zh-Hans"
    assert "战略" in pg.locator("h1").inner_text()
    shot(pg, "home-zh")
    context.close()


def test_search_in_chinese_and_in_english(page):
    pg = page
    pg.goto("/?lang=zh")
    pg.get_by_role("searchbox").first.fill("统计")
    pg.keyboard.press("Enter")
    pg.wait_for_url(re.compile(r"/search\?q=.*lang=zh"))
    assert pg.locator("#k-activity").count() == 1
    assert pg.locator('a[href^="/id/activity/1.2-a?lang=zh"]').count() >= 1
    assert pg.locator("mark", has_text="统计").count() >= 1

    pg.goto("/search?lang=en")
    pg.locator("main #q").fill("cooperatives")
    pg.get_by_role("main").get_by_role("button", name="Search").click()
    pg.wait_for_url(re.compile(r"/search\?q=cooperatives"))
    assert pg.locator('a[href^="/id/instrument/R193?lang=en"]').count() >= 1
    pg.locator('a[href^="/id/instrument/R193?lang=en"]').first.click()
    pg.wait_for_url("**/id/instrument/R193?lang=en")


def test_run_a_curated_query_and_follow_a_result(page):
    pg = page
    pg.goto("/query?lang=en")
    assert pg.locator(".editor-highlight .tok-kw").count() > 0  # the highlighter ran
    pg.locator('a[data-example="activities-implementing-conclusion-point"]').click()
    pg.wait_for_url(re.compile(r"example=activities-implementing-conclusion-point"))
    text = pg.locator("#sparql-query").input_value()
    assert "Activities that implement a conclusion point" in text
    assert pg.locator("#param-conclusion").input_value() == "9(n)"
    pg.locator("#run-query").click()
    results = pg.locator("table.results-table")
    results.wait_for()
    links = results.locator('a[href^="/id/activity/"]')
    assert links.count() >= 7
    shot(pg, "sparql")
    target = links.first.get_attribute("href")
    links.first.click()
    pg.wait_for_url(f"**{target}")
    assert pg.locator(".kind-activity").count() >= 1


def test_editor_runs_a_query_through_the_endpoint(page):
    pg = page
    pg.goto("/query?lang=en")
    editor = pg.locator("#sparql-query")
    editor.fill(
        "PREFIX sse: <https://w3id.org/sse-kg/ontology#>\n"
        "SELECT ?activity WHERE { ?activity sse:relatedInstrument "
        "<https://w3id.org/sse-kg/id/instrument/R193> } ORDER BY ?activity"
    )
    assert pg.locator(".editor-highlight .tok-iri").count() == 2
    editor.press("Control+Enter")  # run without leaving the page (fetch /sparql)
    pg.locator("table.results-table a").first.wait_for()
    assert "query=" in pg.url  # shareable: the address now holds the query
    hrefs = pg.locator("table.results-table a").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs == ["/id/activity/2.1-a?lang=en", "/id/activity/2.1-b?lang=en"]
    editor.fill("SELECT ?x WHERE { ?x ?y }")
    pg.locator("#run-query").click()
    pg.locator(".error-box").wait_for()
    assert "line" in pg.locator(".error-box").inner_text()
    # the address still holds the last query that ran; the server renders it the same way
    pg.reload()
    assert pg.locator("table.results-table a").count() == 2
    assert pg.locator(".error-box").count() == 0


def test_matrix_filter_and_csv_download(page):
    pg = page
    pg.goto("/matrix?lang=en")
    assert pg.locator("table.matrix").count() == 2
    shot(pg, "matrix")
    pg.get_by_label("Objective").select_option("2")
    pg.get_by_role("button", name="Show").click()
    pg.wait_for_url(re.compile(r"objective=2"))
    rows = pg.locator("table.matrix").first.locator("tbody th[scope=row]")
    assert rows.count() == 4
    with pg.expect_download() as info:
        pg.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "sse-matrix-objective-2-en.csv"
    data = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8"))))
    assert [r[0] for r in data[1:-1]] == ["2.1-a", "2.1-b", "2.2-a", "2.3-a"]
    assert data[-1][0] == "Total"


def test_keyboard_only_from_home_to_r193_activities_and_their_paragraph(page):
    pg = page
    pg.goto("/?lang=en")

    def tab_to(pattern: str, limit: int = 120, within: str | None = None) -> None:
        for _ in range(limit):
            pg.keyboard.press("Tab")
            href = pg.evaluate("document.activeElement?.getAttribute('href')")
            inside = within is None or pg.evaluate(f"!!document.activeElement.closest({within!r})")
            if href and re.search(pattern, href) and inside:
                return
        raise AssertionError(f"Tab never reached a link to {pattern}")

    # the first stop is the skip link
    pg.keyboard.press("Tab")
    assert pg.evaluate("document.activeElement.className") == "skip"
    tab_to(r"^/id/instrument/R193\?")
    style = pg.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return [s.outlineStyle, s.boxShadow]; }""")
    assert style[0] != "none" or style[1] != "none", "focus is not visible"
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/id/instrument/R193?lang=en")

    # R193's related activities, each followed by the paragraph that justifies it
    tab_to(r"^/id/activity/2\.1-a\?", within=".reason")
    tab_to(r"^/id/paragraph/15\?", within=".reason")
    tab_to(r"^/id/activity/2\.1-b\?", within=".reason")
    tab_to(r"^/id/paragraph/15\?", within=".reason")
    pg.keyboard.press("Enter")
    pg.wait_for_url("**/id/paragraph/15?lang=en")
    assert "Recommendation No. 193" in pg.locator(".paragraph-body").first.inner_text()


@pytest.mark.parametrize(
    "path", ["/", "/id/instrument/R193", "/matrix", "/query", "/id/activity/2.2-a"]
)
def test_phone_width_has_no_sideways_scrolling(browser, service, path):
    context = browser.new_context(base_url=service.url, viewport={"width": 360, "height": 740})
    pg = context.new_page()
    pg.goto(f"{path}?lang=zh")
    width = pg.evaluate("document.documentElement.scrollWidth")
    if path == "/id/instrument/R193":
        shot(pg, "phone-instrument-R193-zh")
    context.close()
    assert width <= 360, f"{path} is {width}px wide at 360px"
