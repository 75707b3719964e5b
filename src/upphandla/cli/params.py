"""Typer's value coercion for the CLI's plain option types, without pydantic.

Typer (0.29) coerces every non-flag value through a pydantic ``TypeAdapter``, so any command run
imports pydantic (about 65 ms with its plugin loader) even though this CLI only has ``str``,
``Path``, ``list[str]`` and ``list[Path]`` options besides flags. ``LeanCommand`` gives those
parameters a runtime coercion that does what Typer's adapters do for a string from the command
line or the environment (``str`` as is; ``Path(value)`` and then Typer's own path checks), and
hands anything else to Typer's adapter, built on first use. Every command is declared with
``cls=LeanCommand`` and every group with ``cls=LeanGroup``. Options, help and error messages do
not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

from typer.core import TyperCommand, TyperGroup, TyperOption

from upphandla.cli.interface import InterfaceLanguage, InterfaceLanguageGroup, help_option_text

try:  # Typer's internals (checked on 0.29); without them the CLI is only slower, not broken.
    from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
    from typer._param_types import coerce_cli_path
    from typer.core import _TyperParameter

    LEAN = True
except ImportError:  # pragma: no cover - a Typer release that moved them
    LEAN = False

if TYPE_CHECKING:
    from typer._click import Context, Parameter


def _plain_item(annotation: Any, descriptor: TypeDescriptor) -> type | None:
    """``str`` or ``Path`` when string values of this annotation can skip the adapter; else None."""
    info = descriptor.parameter_info
    if info.parser is not None or descriptor.file_annotation is not None:
        return None
    if annotation is str:
        return str
    if annotation is Path and info.path_type is None and not info.exists:
        return Path
    return None


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """Coercion of command-line strings to ``str`` or ``Path`` (one value or a list).

    ``item`` None (flags, ``--help``): every value that reaches coercion goes to Typer's adapter;
    a flag's own ``True``/``False`` and a missing value never do, so the adapter is not built.
    """

    descriptor: TypeDescriptor
    item: type | None
    many: bool

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        if self.item is not None:
            if self.many:
                if isinstance(value, (list, tuple)) and all(type(v) is str for v in value):
                    return [self._coerce_item(v, param, ctx) for v in value]
            elif type(value) is str:
                return self._coerce_item(value, param, ctx)
        # Anything else: Typer's own (pydantic) coercion, exactly as without this class.
        return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)

    def _coerce_item(self, value: str, param: _TyperParameter, ctx: Context) -> Any:
        if self.item is str:
            return value
        # What Typer's path adapter does: Path(value) (pydantic's Path validation of a string),
        # then the same checks (``-``, existence, file or folder) by Typer's own function.
        return coerce_cli_path(
            Path(value), self.descriptor.parameter_info, path_type=Path, param=param, ctx=ctx
        )


def _prepare(param: Parameter | None) -> None:
    """Give one Typer parameter the coercion above, unless it already has one."""
    if not LEAN or not isinstance(param, _TyperParameter) or param._runtime_param is not None:
        return
    descriptor = param.type_descriptor
    annotation: Any = descriptor.annotation
    many = get_origin(annotation) is list
    item = _plain_item(get_args(annotation)[0] if many else annotation, descriptor)
    param._runtime_param = PlainRuntimeParam(
        parameter_info=descriptor.parameter_info,
        annotation=annotation,
        descriptor=descriptor,
        item=item,
        many=many,
    )


class LeanCommand(InterfaceLanguage, TyperCommand):
    """A command whose parameters (and ``--help``) are coerced without pydantic where they can be,
    and whose help speaks the interface language (``interface.py``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _prepare(param)

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        _prepare(option)
        help_option_text(option)
        return option


class LeanGroup(InterfaceLanguageGroup, TyperGroup):
    """A command group whose own parameters (and ``--help``) are coerced like ``LeanCommand``'s,
    whose help speaks the interface language and whose ``main`` prints usage errors in it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            _prepare(param)

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        option = super().get_help_option(ctx)
        _prepare(option)
        help_option_text(option)
        return option
