"""sse-graph: knowledge graph and SPARQL service for the ILO SSE Strategy and Action Plan."""

__version__ = "1.0.0"
