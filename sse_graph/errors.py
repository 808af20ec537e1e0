"""One error type for every client-facing failure, rendered as JSON or text by the app."""

from __future__ import annotations


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
