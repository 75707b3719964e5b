"""Limits that protect the machine from hostile or accidental giant input."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Upper bounds on input size; each has a documented default and a clear error when hit."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_yaml_nodes: int = 2_000_000
    max_alias_expansions: int = 10_000
    max_yaml_depth: int = 64
    max_expression_chars: int = 2_000
    max_expression_depth: int = 40


DEFAULT_LIMITS = Limits()
