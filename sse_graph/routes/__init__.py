"""Thin FastAPI routers: parse the request, call one service, negotiate the response."""
