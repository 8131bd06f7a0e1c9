"""Spreadsheet-safe CSV cells.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
can run as a formula when a reviewer opens the CSV in a spreadsheet (CSV
injection). As OWASP recommends, such text cells get a leading single quote;
numbers, including negative ones written as text ("-3.5"), are left alone.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["safe_cell", "safe_row"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` ready for a CSV cell a spreadsheet may open."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: dict[str, Any]) -> dict[str, Any]:
    """Every cell of ``row`` through :func:`safe_cell`."""
    return {key: safe_cell(value) for key, value in row.items()}
