"""The web client's per-app state: the index cache and the public base of instance IRIs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request

from sse_graph.http import ctx, from_store
from sse_graph.web.index import IndexCache, WebIndex
from sse_graph.web.render import Page

T = TypeVar("T")


@dataclass
class WebState:
    id_base: str
    cache: IndexCache = field(default_factory=IndexCache)

    @property
    def current(self) -> WebIndex | None:
        """The index loaded last (for error pages, which cannot wait for the store)."""
        return self.cache._index


def web_state(request: Request) -> WebState:
    return request.app.state.web


async def page_for(request: Request) -> Page:
    """A :class:`Page` for this request, with the index of the store's current version."""
    c = ctx(request)
    state = web_state(request)
    index = await from_store(state.cache.get(c.store))
    return Page(request, index, state.id_base)
