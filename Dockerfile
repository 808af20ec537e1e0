# syntax=docker/dockerfile:1
# sse-graph: the SPARQL service with its graph built in, on the embedded store by default, or
# over an external triple store with SSE_GRAPH_STORE=http://store:7878 (see compose.yaml).
#
# The install is the one .ci/run does (`pip install .` of this checkout; the test extra stays
# out); the graph is built
# (parsed, validated, reasoned) here, at image build time, so a container starts from a warm
# cache and a graph that does not validate never becomes an image.

ARG PYTHON_IMAGE=python:3.11-slim

# ---------------------------------------------------------------- build stage
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SSE_GRAPH_CACHE_DIR=/opt/sse-graph/cache
WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY sse_graph ./sse_graph
COPY ontology ./ontology
COPY data ./data
COPY queries ./queries
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir . \
    && /opt/venv/bin/sse-graph build \
    && chmod -R a+rX /opt/sse-graph

# ---------------------------------------------------------------- runtime stage
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="sse-graph" \
      org.opencontainers.image.description="Knowledge graph and SPARQL 1.1 service for the ILO SSE Strategy and Action Plan 2023-2029" \
      org.opencontainers.image.licenses="MIT AND CC-BY-4.0"
RUN groupadd --system --gid 10001 sse \
    && useradd --system --uid 10001 --gid sse --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin sse
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/sse-graph/cache /opt/sse-graph/cache
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    SSE_GRAPH_CACHE_DIR=/opt/sse-graph/cache
WORKDIR /tmp
USER 10001:10001
EXPOSE 8000
# /readyz: the graph is loaded (or the remote store answers) and a trivial ASK returns in time
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request as u; sys.exit(0 if u.urlopen('http://127.0.0.1:8000/readyz', timeout=4).status == 200 else 1)"]
CMD ["sse-graph", "serve", "--host", "0.0.0.0", "--port", "8000"]
