"""The one store interface and its implementations; ``open_store`` picks one from the settings."""

from __future__ import annotations

from sse_graph.settings import Settings
from sse_graph.store.base import (
    EngineCrashed,
    Overloaded,
    QueryFailed,
    QueryRequest,
    QueryResponse,
    QueryTimeout,
    Store,
    StoreUnavailable,
)

__all__ = [
    "EngineCrashed",
    "Overloaded",
    "QueryFailed",
    "QueryRequest",
    "QueryResponse",
    "QueryTimeout",
    "Store",
    "StoreUnavailable",
    "open_store",
]


def open_store(settings: Settings) -> Store:
    """The store the settings name: embedded (default) or a remote SPARQL 1.1 store."""
    if settings.embedded:
        from sse_graph.store.embedded import EmbeddedStore

        return EmbeddedStore(settings)
    from sse_graph.store.remote import RemoteStore

    return RemoteStore(settings)
