"""Curated queries: ``queries/*.rq`` files whose header comment is their metadata.

Header format (comment lines before the first non-comment line)::

    # title: Activities that implement a conclusion point
    # description: Which action-plan rows cite a point of the 2022 ILC Conclusions,
    #   with their output and timeframe.        (indented lines continue a field)
    # param: conclusion: string = 9(n) ; the point as printed, e.g. 9(n)

A parameter is bound as a value: an inline ``VALUES`` block written from the parsed term at the
start of the top-level WHERE group (``sse_graph.sparql.guard.bind_values``), never pasted text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sse_graph.errors import ApiError

XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("string", "iri", "integer", "year", "lang")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_PARAM = re.compile(r"^(\w+)\s*:\s*(\w+)\s*(?:=\s*([^;]*?))?\s*(?:;\s*(.*))?$")


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    description: str

    def bind(self, raw: str) -> dict:
        """Turn a query-string value into a W3C JSON term, validating it for its type."""
        if self.type == "iri":
            if not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.\-]*:[^\s<>\"{}|^`\\]*", raw):
                raise ApiError(400, "bad_parameter", f"{self.name}: not an absolute IRI: {raw!r}")
            return {"type": "uri", "value": raw}
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d{1,18}", raw):
                raise ApiError(400, "bad_parameter", f"{self.name}: not an integer: {raw!r}")
            return {"type": "literal", "value": str(int(raw)), "datatype": XSD + "integer"}
        if self.type == "year":
            if not re.fullmatch(r"\d{4}", raw):
                raise ApiError(400, "bad_parameter", f"{self.name}: not a year (YYYY): {raw!r}")
            return {"type": "literal", "value": raw, "datatype": XSD + "gYear"}
        if self.type == "lang":
            if not re.fullmatch(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*", raw):
                raise ApiError(400, "bad_parameter", f"{self.name}: not a language tag: {raw!r}")
            return {"type": "literal", "value": raw.lower()}
        if len(raw) > 1000:
            raise ApiError(400, "bad_parameter", f"{self.name}: value longer than 1000 characters")
        return {"type": "literal", "value": raw}


@dataclass(frozen=True)
class CuratedQuery:
    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    text: str
    path: Path = field(compare=False)

    def bindings(self, supplied: dict[str, str]) -> dict[str, dict]:
        unknown = set(supplied) - {p.name for p in self.parameters}
        if unknown:
            raise ApiError(
                400,
                "unknown_parameter",
                f"{self.name} takes no parameter {', '.join(sorted(unknown))}; "
                f"it takes: {', '.join(p.name for p in self.parameters) or 'none'}",
            )
        out: dict[str, dict] = {}
        for p in self.parameters:
            raw = supplied.get(p.name, p.default)
            if raw is None or raw == "":
                continue
            out[p.name] = p.bind(raw)
        return out

    def summary(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "parameters": [
                {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                for p in self.parameters
            ],
        }


class QueryFileError(Exception):
    pass


def parse_query_file(path: Path) -> CuratedQuery:
    text = path.read_text("utf-8")
    fields: dict[str, list[str]] = {}
    params: list[Parameter] = []
    current: str | None = None
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        body = line[1:]
        m = re.match(r"^\s(\w+):\s?(.*)$", body)
        if m and not body.startswith("   "):
            key, value = m.group(1).lower(), m.group(2).strip()
            current = key
            if key == "param":
                pm = _PARAM.match(value)
                if not pm or pm.group(2) not in PARAM_TYPES:
                    raise QueryFileError(f"{path.name}: bad param line: {value!r}")
                params.append(Parameter(pm.group(1), pm.group(2), pm.group(3), pm.group(4) or ""))
                current = None
            else:
                fields.setdefault(key, []).append(value)
        elif current and body.strip():
            fields[current].append(body.strip())
    if "title" not in fields:
        raise QueryFileError(f"{path.name}: the header has no '# title:' line")
    name = path.stem
    if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*", name):
        raise QueryFileError(f"{path.name}: query names are lowercase words joined by '-'")
    for p in params:
        if not _NAME.match(p.name):
            raise QueryFileError(f"{path.name}: bad parameter name {p.name!r}")
    return CuratedQuery(
        name=name,
        title=" ".join(fields["title"]),
        description=" ".join(fields.get("description", [])),
        parameters=tuple(params),
        text=text,
        path=path,
    )


def load_queries(directory: Path) -> dict[str, CuratedQuery]:
    return {q.name: q for q in (parse_query_file(p) for p in sorted(directory.glob("*.rq")))}


_INTERNAL_DIR = Path(__file__).resolve().parent / "rq"


@cache
def internal_query(name: str) -> str:
    """SPARQL the service itself runs (views, pages, catalogue), kept in ``sse_graph/rq/NAME.rq``.

    ``name`` may contain one sub-folder (``"web/instrument"``). Values are passed as bindings.
    """
    path = (_INTERNAL_DIR / f"{name}.rq").resolve()
    if _INTERNAL_DIR not in path.parents:
        raise ValueError(f"bad internal query name {name!r}")
    return path.read_text("utf-8")
