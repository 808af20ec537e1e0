"""The web client's per-app state: the index cache and the public base of instance IRIs."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request

from sse_graph.errors import ApiError
from sse_graph.http import ctx
from sse_graph.store.base import (
    EngineCrashed,
    Overloaded,
    QueryFailed,
    QueryTimeout,
    StoreUnavailable,
)
from sse_graph.web.index import IndexCache, WebIndex
from sse_graph.web.render import Page

T = TypeVar("T")


async def from_store(call: Awaitable[T]) -> T:
    """Await a store call, turning store failures into the API errors a page shows."""
    try:
        return await call
    except QueryTimeout as exc:
        raise ApiError(504, "timeout", str(exc)) from None
    except Overloaded as exc:
        raise ApiError(
            503, "overloaded", str(exc), headers={"Retry-After": str(exc.retry_after)}
        ) from None
    except EngineCrashed as exc:
        raise ApiError(502, "engine_crashed", f"{exc}; retry the request") from None
    except StoreUnavailable as exc:
        raise ApiError(503, "store_unavailable", str(exc), headers={"Retry-After": "5"}) from None
    except QueryFailed as exc:  # our own queries are fixed text: a failure is a bug
        raise ApiError(500, "internal_error", f"a page query failed: {exc}") from None


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
