"""JSON Schemas (draft-07) for library files, so editors can check and explain them while typing.

The schemas are built by walking the loader's own field tables (``format_fields``: the fields of
every item kind, which are required, their enums, id patterns and Swedish descriptions) so that
the schema and the loader cannot drift apart. Descriptions are in Swedish: they are what a
consultant sees when hovering over a field in VS Code. The loader stays the authority; the schema
is an early, friendly check.

Regenerate the committed files with ``python -m upphandla.library.schema``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from upphandla.files import write_all_atomic
from upphandla.library.format_fields import (
    DEFINITIONS,
    ITEMS,
    LIBRARY,
    FieldSpec,
    ItemSpec,
)
from upphandla.library.loading import FORMAT_VERSION
from upphandla.text import Text

Schema = dict[str, Any]
SchemaKind = Literal["library", "content"]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_FILES: dict[SchemaKind, str] = {
    "library": "library.schema.json",
    "content": "library-content.schema.json",
}

_NOT_BLANK = r"\S"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _anchored(pattern: re.Pattern[str]) -> str:
    """A loader pattern (used with ``fullmatch``) as a JSON Schema pattern (a search)."""
    return f"^(?:{pattern.pattern})$"


def _ref(name: str, description: str) -> Schema:
    # Validators ignore siblings of $ref in draft-07; editors show the description on hover.
    return {"$ref": f"#/definitions/{name}", "description": description}


def _list_of(name: str, description: str, *, at_least_one: bool = False) -> Schema:
    schema: Schema = {
        "type": "array",
        "items": {"$ref": f"#/definitions/{name}"},
        "description": description,
    }
    if at_least_one:
        schema["minItems"] = 1
    return schema


def _listed(labels: Mapping[Any, Text]) -> str:
    """``value = svensk etikett`` for every value, joined for a description."""
    return "; ".join(f"{_value(key)} = {label.sv}" for key, label in labels.items())


def _value(key: Any) -> str:
    return str(key.value) if isinstance(key, Enum) else str(key)


def _object(properties: Schema, required: Iterable[str], description: str, **extra: Any) -> Schema:
    schema: Schema = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    needed = list(required)
    if needed:
        schema["required"] = needed
    schema.update(extra)
    return schema


# --- walking the field tables -------------------------------------------------------------------


def _description(spec: FieldSpec) -> str:
    """The field's description, with ``{values}`` replaced by what it allows."""
    if "{values}" not in spec.description:
        return spec.description
    values = _listed(spec.labels) if spec.labels is not None else ", ".join(spec.allowed)
    return spec.description.replace("{values}", values)


def _property(spec: FieldSpec) -> Schema:
    """The schema of one field."""
    description = _description(spec)
    kind = spec.kind
    if kind in ("text", "condition", "string_list"):
        return _ref(kind, description)
    if kind == "item" and spec.item is not None:
        if spec.inline:
            return _object(_properties(spec.item), _required(spec.item), description)
        return _ref(spec.item.name, description)
    if kind == "items" and spec.item is not None:
        return _list_of(spec.item.name, description, at_least_one=spec.at_least_one)
    if kind == "any":
        return {"description": description}
    if kind == "enum_list":
        one: Schema = {"type": "string", "enum": spec.allowed}
        many: Schema = {"type": "array", "items": dict(one)}
        if spec.at_least_one:
            many["minItems"] = 1
        return {"anyOf": [one, many], "description": description}
    schema: Schema = {"type": _JSON_TYPES.get(kind, "string"), "description": description}
    if kind == "scalar":
        schema["type"] = list(spec.types)
    if kind == "enum":
        schema["enum"] = spec.allowed
    if kind == "nonblank":
        schema["pattern"] = _NOT_BLANK
    elif kind == "date":
        schema["pattern"] = _DATE
    elif spec.pattern is not None:
        schema["pattern"] = _anchored(spec.pattern)
    return schema


_JSON_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean"}


def _properties(spec: ItemSpec) -> Schema:
    return {field.key: _property(field) for field in spec.fields}


def _required(spec: ItemSpec) -> list[str]:
    """The required fields, ``id`` first as editors list it."""
    return sorted(spec.required, key=lambda key: key != "id")


def _definition(spec: ItemSpec) -> Schema:
    extra = {"oneOf": [{"required": [key]} for key in spec.one_of]} if spec.one_of else {}
    return _object(_properties(spec), _required(spec), spec.description, **extra)


def _override(spec: ItemSpec) -> Schema:
    """The fields an ``override:`` entry changes in an item that already exists."""
    return _object(
        _properties(spec),
        ["id"],
        f"Ändringar i {spec.what.sv} med detta id, som redan finns (oftast i biblioteket som "
        "byggs vidare på). Ange id: och bara de fält som ska bytas ut; ett fält som anges "
        "ersätter hela det gamla fältet.",
    )


# --- shared definitions -------------------------------------------------------------------------


def _condition_definition() -> Schema:
    return {
        "type": ["string", "boolean"],
        "pattern": _NOT_BLANK,
        "description": (
            "Ett villkor skrivet som ett Jinja-uttryck, till exempel: affects_individuals and "
            "'chatbot' in functions, eller risk_class == 'high'. Namnen måste vara frågor eller "
            "härledda värden i biblioteket. En fråga som inte besvarats har sitt standardvärde, "
            "annars false, [], tom text eller none. true och false går också bra."
        ),
    }


def _string_list_definition() -> Schema:
    return {
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}},
        ],
        "description": "En text, eller en lista av texter.",
    }


def _override_definition() -> Schema:
    return _object(
        {
            kind: _list_of(
                f"{spec.name}_override",
                f"Ändringar i {spec.plural} som redan finns: id: och de fält som ska bytas ut.",
            )
            for kind, spec in ITEMS.items()
        },
        [],
        "Ändrar fält i poster som redan finns, oftast sådana som ärvs via extends:. Ett fält "
        "som anges ersätter hela det ärvda fältet.",
    )


def _remove_definition() -> Schema:
    return _object(
        {
            kind: _ref("string_list", f"Id för de {spec.plural} som ska tas bort.")
            for kind, spec in ITEMS.items()
        },
        [],
        "Tar bort ärvda poster, angivna med id. Det som tas bort kan läggas till på nytt.",
    )


def _definitions() -> Schema:
    definitions: Schema = {
        "condition": _condition_definition(),
        "string_list": _string_list_definition(),
        "override": _override_definition(),
        "remove": _remove_definition(),
    }
    for spec in DEFINITIONS:
        definitions[spec.name] = _definition(spec)
    for spec in ITEMS.values():
        definitions[spec.name] = _definition(spec)
        definitions[f"{spec.name}_override"] = _override(spec)
    return definitions


def _content_properties() -> Schema:
    properties: Schema = {kind: _list_of(spec.name, spec.listed) for kind, spec in ITEMS.items()}
    properties["override"] = _ref(
        "override", "Ändringar i poster som ärvs från biblioteket som byggs vidare på."
    )
    properties["remove"] = _ref(
        "remove", "Poster som ärvs från biblioteket som byggs vidare på och ska tas bort."
    )
    return properties


def _library_properties() -> Schema:
    properties = _properties(LIBRARY)
    version = properties["format"]
    version["enum"] = [FORMAT_VERSION]
    wording = LIBRARY.field("format").description
    version["description"] = wording.replace("{values}", str(FORMAT_VERSION))
    return properties


def library_schema(kind: SchemaKind) -> dict[str, Any]:
    """The draft-07 JSON Schema for ``library.yaml`` (``library``) or other files (``content``)."""
    if kind == "library":
        properties = {**_library_properties(), **_content_properties()}
        required = _required(LIBRARY)
        description = LIBRARY.description
    elif kind == "content":
        properties = _content_properties()
        required = []
        description = (
            "En fil i ett kravbibliotek: frågor (questions), härledda värden (derived), "
            "kravområden (areas), krav (requirements), datum (dates), köparens skyldigheter "
            "(duties), samt override: och remove: "
            "för att ändra i ett bibliotek som byggs vidare på."
        )
    else:  # pragma: no cover - guarded by the type
        raise ValueError(kind)
    schema: Schema = {"$schema": DRAFT_07, **_object(properties, required, description)}
    schema["definitions"] = _definitions()
    return schema


def render_schema(kind: SchemaKind) -> str:
    """The schema as the committed file holds it: sorted keys, indent 2, UTF-8, final newline."""
    return json.dumps(library_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write both schemas into ``folder`` (the repository's ``schemas/``); return their paths."""
    files = {
        folder / name: render_schema(kind).encode("utf-8") for kind, name in SCHEMA_FILES.items()
    }
    return write_all_atomic(files, force=True)


def repository_schemas_dir() -> Path:
    """The ``schemas/`` folder of the source checkout this module runs from."""
    return Path(__file__).resolve().parents[3] / "schemas"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else repository_schemas_dir()
    for written_path in write_schemas(target):
        print(written_path)
