"""The web client: server-rendered, bilingual (zh/en) pages for people who do not write SPARQL.

``install`` adds the listing pages (``/``, ``/instruments``, ``/matrix``, ``/search``,
``/query``, ``/about``), serves ``static/`` at ``/assets``, and gives the app two hooks:
``app.state.render_html(request, iri)`` renders the HTML page of any resource under the
instance namespace (``sse_graph.linked_data`` calls it for ``/id/…``), and
``app.state.html_error(request, exc)`` renders error pages.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from sse_graph.errors import ApiError
from sse_graph.http import Context, ctx
from sse_graph.settings import Settings
from sse_graph.web.render import ASSET_PREFIX, RDF_FORMATS, STATIC, Page, environment
from sse_graph.web.search import search
from sse_graph.web.state import WebState, from_store, web_state

log = logging.getLogger("sse_graph.web")


class CachedStatic(StaticFiles):
    """Static files; URLs carry a content hash (``?v=``), so they may be cached for long."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers.setdefault("Cache-Control", "public, max-age=86400")
        return response


async def render_html(request: Request, iri: str) -> Response | None:
    """The HTML page of a resource, or None when the web client has no page for it."""
    from sse_graph.web.views import build

    state = web_state(request)
    if not iri.startswith(state.id_base):
        return None
    c = ctx(request)
    index = await from_store(state.cache.get(c.store))
    page = Page(request, index, state.id_base)
    view = await from_store(build(page, c.store, iri))
    if view is None:
        return None
    local = page.local(iri) or ""
    page.alternates = [(media, f"{local}?format={fmt}", title) for fmt, media, title in RDF_FORMATS]
    return page.render("resource.html", view=view)


def html_error(request: Request, exc: ApiError) -> Response:
    """An error page in the page language, with a way on: search, home, and near matches."""
    state: WebState | None = getattr(request.app.state, "web", None)
    index = state.current if state is not None else None
    page = Page(request, index, state.id_base if state else "")
    guess = request.url.path.rstrip("/").rsplit("/", 1)[-1] if exc.status == 404 else ""
    suggestions: list[str] = []
    for url in exc.extra.get("did_you_mean", []) if isinstance(exc.extra, dict) else []:
        # linked data's near matches are service URLs (…/id/kind/key): back to IRIs
        _, sep, rest = str(url).partition("/id/")
        if sep and state is not None:
            suggestions.append(state.id_base + rest)
    if index is not None and guess:
        for _kind, hits in search(index, guess.replace("-", " "), page.lang, limit=8):
            suggestions.extend(h.iri for h in hits if h.iri not in suggestions)
    headers = dict(exc.headers)
    headers["Cache-Control"] = "no-store"
    try:
        return page.render(
            "error.html",
            status=exc.status,
            headers=headers,
            exc=exc,
            guess=guess,
            suggestions=suggestions[:8],
        )
    except Exception:  # an error page must never fail: fall back to the plain one
        log.exception("the error page failed to render")
        return None  # type: ignore[return-value]


def install(app: FastAPI, settings: Settings) -> None:
    from sse_graph.web.pages import router

    app.state.web = WebState(settings.public_base + "id/")
    app.include_router(router)
    app.mount(ASSET_PREFIX, CachedStatic(directory=str(STATIC)), name="web-assets")
    app.state.render_html = render_html
    app.state.html_error = html_error
    environment()  # compile errors show at start-up, not on the first page

    async def setup(context: Context) -> None:
        try:
            await app.state.web.cache.get(context.store)
        except Exception as exc:  # the store may come later (remote); pages retry
            log.warning("web index not loaded at start-up: %s", exc)

    app.state.feature_setups.append(setup)
