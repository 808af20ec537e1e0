"""One error type for every client-facing failure, rendered as JSON or text by the app."""

from __future__ import annotations

import logging


class ApiError(Exception):
    """A failure the client should see: HTTP status, a stable code and a message for people."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        headers: dict[str, str] | None = None,
        extra: dict | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.line = line
        self.column = column
        self.headers = headers or {}
        self.extra = extra or {}

    def payload(self) -> dict:
        out: dict = {"error": self.error, "message": self.message}
        if self.line is not None:
            out["line"] = self.line
            out["column"] = self.column
        out.update(self.extra)
        return out


def store_failure(exc: Exception, *, internal: bool) -> ApiError:
    """The API error for a store failure (see ``sse_graph.store.base.STORE_FAILURES``).

    ``internal``: the query was the service's own fixed text (a page, a view, a dump), so a
    query error is a bug: logged, and a 500 without details. Otherwise it is the client's 400.
    """
    from sse_graph.store.base import (
        EngineCrashed,
        Overloaded,
        QueryFailed,
        QueryTimeout,
        StoreUnavailable,
    )

    if isinstance(exc, QueryTimeout):
        return ApiError(
            504,
            "timeout",
            f"{exc}; narrow the query or ask for fewer rows",
            extra={"limit_seconds": exc.limit},
        )
    if isinstance(exc, QueryFailed):
        if internal:
            logging.getLogger("sse_graph").error("an internal query failed: %s", exc)
            return ApiError(500, "internal_error", "an internal query failed; it has been logged")
        return ApiError(400, "bad_query", str(exc), line=exc.line, column=exc.column)
    if isinstance(exc, Overloaded):
        return ApiError(503, "overloaded", str(exc), headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, EngineCrashed):
        return ApiError(502, "engine_crashed", f"{exc}; the engine was restarted: retry")
    if isinstance(exc, StoreUnavailable):
        return ApiError(503, "store_unavailable", str(exc), headers={"Retry-After": "5"})
    raise TypeError(f"not a store failure: {exc!r}")
