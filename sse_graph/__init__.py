"""sse-graph: knowledge graph and SPARQL service for the ILO SSE Strategy and Action Plan 2023-2029."""

__version__ = "1.0.0"
