"""Locate the curated sources (ontology/, data/, queries/) in a checkout or an installed wheel.

In a checkout the sources live at the repository root, beside the package, so that they are
reviewed like code. An installed wheel carries copies under ``sse_graph/bundled/``
(symlinks in the checkout).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = PACKAGE_DIR.parent
_INSTALLED_ROOT = PACKAGE_DIR / "bundled"


def resource_root() -> Path:
    """The folder holding ontology/, data/ and queries/."""
    if (_CHECKOUT_ROOT / "ontology").is_dir() and (_CHECKOUT_ROOT / "data").is_dir():
        return _CHECKOUT_ROOT
    return _INSTALLED_ROOT


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)
