"""Document templates: Jinja2 in the immutable sandbox, with errors located in the template."""

from __future__ import annotations

import hashlib
import importlib.util
import traceback
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.sandbox import ImmutableSandboxedEnvironment

from upphandla.errors import Location, Problem, ProblemsError
from upphandla.resources import BUNDLED_TEMPLATES, bundled_dir
from upphandla.text import Text

MAX_OUTPUT_CHARS = 200_000_000


def escape_cell(value: Any) -> str:
    """Requirement text for a table cell: paragraphs joined by <br>, bullets as '• ', pipes escaped."""
    parts: list[str] = []
    for block in str(value).split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            parts.extend("• " + line[2:] for line in lines)
        else:
            parts.append(" ".join(lines))
    return "<br>".join(part.replace("|", "\\|") for part in parts)


def inline(value: Any) -> str:
    """A value on one line that cannot start markup: newlines folded, a leading marker escaped."""
    text = " ".join(str(value).split())
    if text[:1] in ("#", "-", "|", ":", "\\") or text[:1].isdigit():
        return "\\" + text if not text.startswith("|") else "\\" + text
    return text


def block_text(value: Any) -> str:
    """Library text with paragraphs and '- ' bullets, each line safe from other markup."""
    lines = []
    for line in str(value).splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("- "):
            lines.append(stripped)
        elif stripped[:1] in ("#", "|", ":") or stripped[:1].isdigit():
            lines.append("\\" + stripped)
        else:
            lines.append(stripped)
    return "\n".join(lines)


def money(value: Any) -> str:
    """A whole amount with a no-break space as thousands separator: 50 000 (Swedish style,
    which English-language Swedish tenders use too)."""
    try:
        amount = float(value)
    except (TypeError, ValueError):
        return str(value)
    whole = f"{amount:,.0f}" if amount.is_integer() else f"{amount:,.2f}"
    return whole.replace(",", "\u00a0").replace(".", ",")


def number(value: Any, decimal: str = ",") -> str:
    """A number without a trailing .0, with the language's decimal sign."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", decimal)


FILTERS: dict[str, Callable[..., str]] = {
    "cell": escape_cell,
    "inline": inline,
    "block": block_text,
    "money": money,
    "number": number,
}
COMPILED_PACKAGE = "upphandla.documents.compiled"


def make_environment(loader: BaseLoader | None = None) -> ImmutableSandboxedEnvironment:
    """The sandboxed environment every document template is compiled and rendered in."""
    environment = ImmutableSandboxedEnvironment(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.clear()
    environment.filters.update(FILTERS)
    return environment


def compiled_module_name(language: str, name: str) -> str:
    """The module of ``COMPILED_PACKAGE`` that holds bundled template ``name`` compiled."""
    stem = name.removesuffix(".j2").replace(".", "_").replace("-", "_")
    return f"{language}_{stem}"


def source_digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


class PrecompiledLoader(BaseLoader):
    """The bundled templates, compiled ahead of time into modules of this package.

    ``tools/compile_templates.py`` writes them; each records the digest of its template and the
    Jinja version it was compiled with, and is used only while both still match, so a template
    edited without compiling again is simply compiled at run time. The modules are part of the
    installed package (and cached by Python like its other modules); nothing is compiled into
    or read from a user's cache folder.
    """

    def __init__(self, folder: Path, language: str) -> None:
        self.folder = folder
        self.language = language

    def load(
        self,
        environment: Environment,
        name: str,
        globals: MutableMapping[str, Any] | None = None,
    ) -> Template:
        module = f"{COMPILED_PACKAGE}.{compiled_module_name(self.language, name)}"
        try:
            spec = importlib.util.find_spec(module)
            source = (self.folder / name).read_bytes()
        except (ImportError, OSError):
            raise TemplateNotFound(name) from None
        if spec is None or spec.loader is None or not hasattr(spec.loader, "get_code"):
            raise TemplateNotFound(name)
        code = spec.loader.get_code(module)
        if code is None:
            raise TemplateNotFound(name)
        namespace: dict[str, Any] = {"environment": environment}
        exec(code, namespace)  # noqa: S102 - this package's own module, as an import would
        if namespace.get("JINJA_VERSION") != jinja2.__version__ or namespace.get(
            "SOURCE_SHA256"
        ) != source_digest(source):
            raise TemplateNotFound(name)
        namespace["__file__"] = str(self.folder / name)
        return environment.template_class.from_module_dict(
            environment, namespace, environment.make_globals(globals)
        )


class TemplateSet:
    """The document templates of one language, from an optional folder with the bundled ones behind it."""

    def __init__(self, folders: Sequence[Path], language: str) -> None:
        self.folders = [folder / language for folder in folders]
        bundled = bundled_dir(BUNDLED_TEMPLATES).resolve() / language
        loaders: list[BaseLoader] = []
        for folder in self.folders:
            if folder.resolve() == bundled:
                loaders.append(PrecompiledLoader(folder, language))
            loaders.append(FileSystemLoader(str(folder)))
        self.environment = make_environment(ChoiceLoader(loaders))

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template ``name``; raise ``ProblemsError`` with the template's file and line."""
        try:
            template = self.environment.get_template(name)
        except TemplateSyntaxError as error:
            raise ProblemsError([_syntax_problem(error)]) from None
        except TemplateNotFound:
            raise ProblemsError(
                [
                    Problem(
                        Text(f"Mallen {name} finns inte.", f"The template {name} does not exist."),
                        Location(self.folders[0] / name),
                    )
                ]
            ) from None
        # The output is checked while it is produced, so a runaway template stops at the limit
        # instead of filling the memory first.
        parts: list[str] = []
        size = 0
        try:
            for part in template.generate(context):
                size += len(part)
                if size > MAX_OUTPUT_CHARS:
                    raise ProblemsError([_too_much_text(name, template.filename or name)])
                parts.append(part)
        except TemplateError as error:
            raise ProblemsError([_runtime_problem(error, template.filename or name)]) from None
        return "".join(parts)


def _too_much_text(name: str, filename: str) -> Problem:
    english = f"{MAX_OUTPUT_CHARS:,}"
    swedish = english.replace(",", "\u00a0")
    return Problem(
        Text(
            f"Mallen {name} gav för mycket text (mer än {swedish} tecken).",
            f"The template {name} produced too much text (more than {english} characters).",
        ),
        Location(Path(filename)),
        hint=Text(
            "Kontrollera mallens slingor: en slinga i en slinga kan upprepa texten mycket många gånger.",
            "Check the template's loops: a loop inside a loop can repeat the text very many times.",
        ),
    )


def _syntax_problem(error: TemplateSyntaxError) -> Problem:
    return Problem(
        Text(f"Fel i mallen: {error.message}", f"Error in the template: {error.message}"),
        Location(Path(error.filename or error.name or "<mall>"), error.lineno),
    )


def _runtime_problem(error: TemplateError, filename: str) -> Problem:
    line = None
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == filename:
            line = frame.lineno
            break
    return Problem(
        Text(f"Fel i mallen: {error.message}", f"Error in the template: {error.message}"),
        Location(Path(filename), line),
        hint=Text(
            "Kontrollera namnen i mallen mot dokumentationen i docs/templates.md.",
            "Check the names in the template against docs/templates.md.",
        ),
    )
