"""All configuration in one place.

Every knob is read from the environment with the ``SSE_GRAPH_`` prefix
(``SSE_GRAPH_QUERY_TIMEOUT=5``)
or passed explicitly by the CLI, so a deployment is described by its environment alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from sse_graph.resources import resource_path

PUBLIC_BASE = "https://w3id.org/sse-kg/"


def _default_cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "sse-graph"


class Settings(BaseSettings):
    """Service and build settings; see README "Configuration" for the table."""

    model_config = SettingsConfigDict(env_prefix="SSE_GRAPH_", extra="ignore")

    # --- sources and build cache
    ontology_dir: Path = Field(default_factory=lambda: resource_path("ontology"))
    data_dir: Path = Field(default_factory=lambda: resource_path("data"))
    queries_dir: Path = Field(default_factory=lambda: resource_path("queries"))
    cache_dir: Path = Field(default_factory=_default_cache_dir)

    # --- store: "embedded" (default) or the base URL of a SPARQL 1.1 store
    store: str = "embedded"
    store_query_url: str | None = None
    store_gsp_url: str | None = None
    store_user: str | None = None
    store_password: str | None = None
    store_connect_retries: int = 5

    # --- serving
    host: str = "127.0.0.1"
    port: int = 8000
    public_base: str = PUBLIC_BASE
    base_url: str | None = None  # where the service is reached; None = from the request

    # --- query limits
    query_timeout: float = 10.0
    max_rows: int = 10_000
    max_query_bytes: int = 32_768
    max_body_bytes: int = 65_536
    max_nesting: int = 64
    query_workers: int = 2
    max_pending: int = 64
    max_per_client: int = 0  # 0: all query workers but one
    queue_timeout: float = 2.0

    # --- response cache
    response_cache: bool = True
    response_cache_entries: int = 1024
    response_cache_bytes: int = 64 * 1024 * 1024

    @field_validator("public_base")
    @classmethod
    def _slash(cls, v: str) -> str:
        return v if v.endswith("/") else v + "/"

    @property
    def embedded(self) -> bool:
        return self.store in ("", "embedded")
