"""Prometheus metrics, one registry per app: no module-level state, so tests can build many."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.queries = Counter(
            "sse_graph_queries",
            "SPARQL queries by form and outcome",
            ["form", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "sse_graph_query_seconds",
            "Query latency (guard to serialized result, cache misses only)",
            ["form"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=self.registry,
        )
        self.timeouts = Counter(
            "sse_graph_query_timeouts", "Queries stopped at the time limit", registry=self.registry
        )
        self.rejections = Counter(
            "sse_graph_rejections",
            "Requests refused before running, by reason",
            ["reason"],
            registry=self.registry,
        )
        self.truncated = Counter(
            "sse_graph_truncated_results", "Results cut at the row limit", registry=self.registry
        )
        self.cache = Counter(
            "sse_graph_response_cache", "Response cache lookups", ["result"], registry=self.registry
        )
        self.requests = Counter(
            "sse_graph_http_requests",
            "HTTP requests by route and status class",
            ["route", "status"],
            registry=self.registry,
        )
        self.workers = Gauge(
            "sse_graph_query_workers_alive", "Live query worker processes", registry=self.registry
        )
        self.worker_restarts = Gauge(
            "sse_graph_query_worker_restarts",
            "Worker processes replaced after a timeout or crash",
            registry=self.registry,
        )
