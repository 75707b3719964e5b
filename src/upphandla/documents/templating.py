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
from jinja2.filters import FILTERS
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from upphandla.errors import Location, Problem, ProblemsError, excerpt
from upphandla.files import outside_folder, outside_problem
from upphandla.library.bounds import (
    BoundedEnvironmentMixin,
    MeteredCodeGenerator,
    allowed_filters,
    bounded_binop,
    bounded_filter,
    current_budget,
    evaluation_budget,
    format_checked,
    template_budget,
)
from upphandla.library.expressions import SAFE_METHODS
from upphandla.limits import DEFAULT_LIMITS
from upphandla.resources import BUNDLED_TEMPLATES, bundled_dir
from upphandla.text import Text

MAX_OUTPUT_CHARS = 200_000_000
_MISSING = object()

# Jinja's filters a template may use (an allow-list), each bounded by the template's budget:
# widths and counts (``center``, ``indent``, ``format``, ``batch`` ...) at most 10,000, results
# at most 20,000,000 characters. Left out: ``attr``, ``pprint``, ``random``, ``safe``,
# ``forceescape``, ``urlize``, ``urlencode``, ``xmlattr`` and ``filesizeformat``.
TEMPLATE_FILTERS = frozenset(
    [
        *("abs", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e"),
        *("escape", "first", "float", "format", "groupby", "indent", "int", "items", "join"),
        *("last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr"),
        *("replace", "reverse", "round", "select", "selectattr", "slice", "sort", "string"),
        *("striptags", "sum", "title", "tojson", "trim", "truncate", "unique", "upper"),
        *("wordcount", "wordwrap"),
    ]
)


class _TemplateSandbox(BoundedEnvironmentMixin, ImmutableSandboxedEnvironment):
    """The immutable sandbox under a template's budget (``upphandla.library.bounds``): ``*``,
    ``%`` formatting, ``~``, loops, macro calls (at most 100 deep), filters and every value
    printed are bounded, and only simple methods may be called."""

    intercepted_binops = frozenset(["+", "-", "*", "/", "//", "%", "**"])
    code_generator_class = MeteredCodeGenerator

    def call_binop(self, _context: Any, operator_name: str, left: Any, right: Any) -> Any:
        budget = current_budget()
        if operator_name == "%" and isinstance(left, str):
            return format_checked(budget, left, right)
        return bounded_binop(budget, operator_name, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # ``r.title`` of a context dict: Jinja tries the attribute first, which a dict never
        # has, and then the item; the item is looked up at once (a missing one, and anything
        # else, goes the sandbox's way).
        if type(obj) is dict and type(attribute) is str and attribute not in _DICT_ATTRIBUTES:
            value = obj.get(attribute, _MISSING)
            if value is not _MISSING:
                return value
        return super().getattr(obj, attribute)

    def is_safe_callable(self, obj: Any) -> bool:
        # Macros, ``caller()``, ``loop(...)`` of a recursive loop and ``super()`` are the
        # template's own; of Python's methods only the simple ones.
        if isinstance(obj, Macro | LoopContext | BlockReference):
            return True
        return getattr(obj, "__name__", None) in SAFE_METHODS and super().is_safe_callable(obj)


def _finalize(value: Any) -> Any:
    """Every ``{{ value }}``, counted before it is turned into text."""
    return current_budget().walked(value)


# What ``getattr`` finds on a dict: its methods and ``object``'s attributes (a dict has no
# attributes of its own).
_DICT_ATTRIBUTES = frozenset(dir(dict))


def escape_cell(value: Any) -> str:
    """Requirement text for a table cell: paragraphs joined by <br>, bullets as '• ', pipes escaped."""
    parts: list[str] = []
    for block in str(value).split("\n\n"):
        lines = [line for line in map(str.strip, block.splitlines()) if line]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            parts.extend("• " + line[2:] for line in lines)
        else:
            parts.append(" ".join(lines))
    return "<br>".join(parts).replace("|", "\\|")  # "<br>" holds no pipe


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


OWN_FILTERS: dict[str, Callable[..., str]] = {
    "cell": escape_cell,
    "inline": inline,
    "block": block_text,
    "money": money,
    "number": number,
}
COMPILED_PACKAGE = "upphandla.documents.compiled"


def make_environment(loader: BaseLoader | None = None) -> ImmutableSandboxedEnvironment:
    """The bounded sandbox every document template is compiled and rendered in (the compiled
    bundled templates are made with it too, so they are metered the same way)."""
    environment = _TemplateSandbox(
        loader=loader,
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    environment.globals.clear()
    environment.filters = allowed_filters(FILTERS, TEMPLATE_FILTERS)
    environment.filters.update(
        {name: bounded_filter(name, function) for name, function in OWN_FILTERS.items()}
    )
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


class _TemplateOutsideFolder(TemplateError):
    """A template file that is a symbolic link out of its templates folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__("the template is a symbolic link to a file outside its folder")


class _TemplateTooLarge(TemplateError):
    """A template file larger than ``Limits.max_template_bytes``."""

    def __init__(self, path: Path, size: int, most: int) -> None:
        self.path = path
        self.size = size
        self.most = most
        super().__init__("the template is too large")


class _FolderLoader(FileSystemLoader):
    """Templates from one folder, refusing files that are symbolic links out of it, and files
    too large to compile in a few seconds."""

    def __init__(self, folder: str, loaded: list[int]) -> None:
        super().__init__(folder)
        self.loaded = loaded  # bytes read by every loader of the template set, together

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if outside_folder(Path(filename), Path(self.searchpath[0])):
            raise _TemplateOutsideFolder(Path(filename))
        size = len(source.encode("utf-8"))
        self.loaded[0] += size
        if size > DEFAULT_LIMITS.max_template_bytes:
            raise _TemplateTooLarge(Path(filename), size, DEFAULT_LIMITS.max_template_bytes)
        if self.loaded[0] > 4 * DEFAULT_LIMITS.max_template_bytes:
            raise _TemplateTooLarge(
                Path(filename), self.loaded[0], 4 * DEFAULT_LIMITS.max_template_bytes
            )
        return source, filename, uptodate


class TemplateSet:
    """The document templates of one language, from an optional folder with the bundled ones behind it."""

    def __init__(self, folders: Sequence[Path], language: str) -> None:
        self.folders = [folder / language for folder in folders]
        bundled = bundled_dir(BUNDLED_TEMPLATES).resolve() / language
        loaded = [0]
        loaders: list[BaseLoader] = []
        for folder in self.folders:
            if folder.resolve() == bundled:
                loaders.append(PrecompiledLoader(folder, language))
            loaders.append(_FolderLoader(str(folder), loaded))
        self.environment = make_environment(ChoiceLoader(loaders))

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        """Render template ``name``; raise ``ProblemsError`` with the template's file and line."""
        try:
            template = self.environment.get_template(name)
        except TemplateSyntaxError as error:
            raise ProblemsError([_syntax_problem(error)]) from None
        except _TemplateOutsideFolder as error:
            raise ProblemsError([outside_problem(error.path)]) from None
        except _TemplateTooLarge as error:
            raise ProblemsError([_too_large(error)]) from None
        except RecursionError:
            raise ProblemsError(
                [
                    Problem(
                        Text(
                            f"Mallen {name} är nästlad för djupt för att läsas.",
                            f"The template {name} is nested too deeply to be read.",
                        ),
                        Location(self.folders[0] / name),
                    )
                ]
            ) from None
        except TemplateNotFound:
            raise ProblemsError(
                [
                    Problem(
                        Text(f"Mallen {name} finns inte.", f"The template {name} does not exist."),
                        Location(self.folders[0] / name),
                    )
                ]
            ) from None
        except OSError as error:  # unreadable; after TemplateNotFound, itself an OSError
            raise ProblemsError(
                [
                    Problem(
                        Text(
                            f"Mallen går inte att läsa: {error.strerror or error}.",
                            f"The template cannot be read: {error.strerror or error}.",
                        ),
                        Location(
                            Path(error.filename) if error.filename else self.folders[0] / name
                        ),
                    )
                ]
            ) from None
        # The output is checked while it is produced, so a runaway template stops at the limit
        # instead of filling the memory first.
        parts: list[str] = []
        size = 0
        try:
            with evaluation_budget(template_budget, own=True):
                for part in template.generate(context):
                    size += len(part)
                    if size > MAX_OUTPUT_CHARS:
                        raise ProblemsError([_too_much_text(name, template.filename or name)])
                    parts.append(part)
        except _TemplateOutsideFolder as error:  # an include
            raise ProblemsError([outside_problem(error.path)]) from None
        except _TemplateTooLarge as error:
            raise ProblemsError([_too_large(error)]) from None
        except TemplateError as error:
            raise ProblemsError([_runtime_problem(error, template.filename or name)]) from None
        except RecursionError as error:
            # Includes that include themselves; macros stop at their own depth limit first.
            raise ProblemsError(
                [_runtime_problem(error, template.filename or name, _TOO_DEEP)]
            ) from None
        except ProblemsError:
            raise
        except Exception as error:  # noqa: BLE001 - any runtime failure of the template's code
            # ``10 ** 1000 / 3``, ``1 / 0``, a filter given a number for a text: the template's
            # mistake, reported at its line like any other.
            message = f"{type(error).__name__}: {error}"
            raise ProblemsError(
                [_runtime_problem(error, template.filename or name, message)]
            ) from None
        return "".join(parts)


def _too_large(error: _TemplateTooLarge) -> Problem:
    size, most = error.size // 1024, error.most // 1024
    if error.most == DEFAULT_LIMITS.max_template_bytes:
        message = Text(
            f"Mallen är för stor ({size} kB; gränsen är {most} kB).",
            f"The template is too large ({size} kB; the limit is {most} kB).",
        )
    else:
        message = Text(
            f"Mallarna är för stora tillsammans ({size} kB; gränsen är {most} kB).",
            f"The templates are too large together ({size} kB; the limit is {most} kB).",
        )
    return Problem(
        message,
        Location(error.path),
        hint=Text(
            "Korta mallen: de medföljande mallarna är under 20 kB.",
            "Shorten the template: the bundled templates are under 20 kB.",
        ),
    )


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


_TOO_DEEP = "the template calls itself (includes or macros) too many levels deep"


def _runtime_problem(error: BaseException, filename: str, message: str | None = None) -> Problem:
    line = None
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == filename:
            line = frame.lineno
            break
    detail = excerpt(message or getattr(error, "message", None) or error, 200)
    return Problem(
        Text(f"Fel i mallen: {detail}", f"Error in the template: {detail}"),
        Location(Path(filename), line),
        hint=Text(
            "Kontrollera namnen i mallen mot dokumentationen i docs/templates.md.",
            "Check the names in the template against docs/templates.md.",
        ),
    )
