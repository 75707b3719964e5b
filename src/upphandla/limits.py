"""Limits that protect the machine from hostile or accidental giant input."""

from __future__ import annotations

from upphandla.records import record


@record
class Limits:
    """Upper bounds on input size; each has a documented default and a clear error when hit."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_yaml_nodes: int = 500_000
    max_alias_expansions: int = 10_000
    max_yaml_depth: int = 64
    max_expression_chars: int = 2_000
    max_expression_depth: int = 40
    # Evaluation (conditions, derived values, templates), see upphandla.library.bounds. One
    # budget holds for each evaluation: the derived values of one set of answers, one
    # selection, one template rendered.
    max_value_size: int = 1_000_000
    max_evaluation_work: int = 10_000_000
    max_number_bits: int = 10_000
    max_repeat: int = 10_000
    max_width: int = 10_000
    max_call_depth: int = 100
    max_template_value_size: int = 20_000_000
    max_template_work: int = 500_000_000
    max_template_bytes: int = 128 * 1024
    # Problems listed per run; the rest are counted.
    max_problems: int = 200
    # Zip packages (.docx forms and reference documents), see upphandla.safe_zip.
    max_package_entries: int = 2_000
    max_package_member_bytes: int = 64 * 1024 * 1024
    max_package_xml_bytes: int = 24 * 1024 * 1024
    max_package_total_bytes: int = 128 * 1024 * 1024
    max_package_ratio: int = 100
    package_ratio_floor_bytes: int = 1024 * 1024
    # Response forms, see upphandla.evaluation.form_reader and docs/limits.md ("Svarsformulär").
    max_form_elements: int = 500_000
    max_form_visits: int = 4_000_000
    # Response workbooks (.xlsx), see upphandla.evaluation.workbook_reader: openpyxl builds an
    # object per cell, so cells are counted over all sheets before it parses anything.
    max_workbook_cells: int = 100_000


DEFAULT_LIMITS = Limits()
