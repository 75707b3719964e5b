"""upphandla: requirements for transparency and ethics when public bodies buy AI systems.

The Python API: each command of the CLI is one call taking one request. Names are imported on
first use (module ``__getattr__``), so ``import upphandla`` and ``upphandla --help`` stay cheap.

    from pathlib import Path
    from upphandla import AnswerSources, GenerateRequest, generate_documents

    documents = generate_documents(
        GenerateRequest(answers=AnswerSources(answers_path=Path("svar.yaml")), out=Path("ut"))
    )
    documents.write()
"""

from __future__ import annotations

# The single source of the version: pyproject.toml reads it from here (hatch), and importing
# importlib.metadata for it would cost ~35 ms on every start, --help included.
__version__ = "0.2.0.dev0"

# Not typing.TYPE_CHECKING: importing typing would cost ~9 ms of a bare `import upphandla`.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from upphandla.documents.package import (
        DeclareRequest,
        DocumentRequest,
        DocumentRun,
        DocumentSet,
        FollowUpRequest,
        GenerateRequest,
        RequestError,
        generate_declaration,
        generate_documents,
        generate_follow_up,
        prepare_documents,
    )
    from upphandla.errors import Problem, ProblemsError, ProhibitedPracticeError, UpphandlaError
    from upphandla.evaluation.responses import parse_price_options
    from upphandla.evaluation.run import EvaluateRequest, EvaluationSet, evaluate_bids
    from upphandla.evaluation.scoring import Evaluation
    from upphandla.interview.prompters import PlainPrompter, ScriptedPrompter
    from upphandla.interview.session import (
        InterviewInterrupted,
        InterviewRequest,
        InterviewResult,
        InterviewSession,
        open_interview,
        run_interview_session,
    )
    from upphandla.interview.sources import AnswerSources
    from upphandla.library.check_report import CheckedLibrary, LibraryCheck, check_libraries
    from upphandla.selection.explain import ExplainRequest, Explanation, Selected, explain

__all__ = [
    "AnswerSources",
    "CheckedLibrary",
    "DeclareRequest",
    "DocumentRequest",
    "DocumentRun",
    "DocumentSet",
    "EvaluateRequest",
    "Evaluation",
    "EvaluationSet",
    "ExplainRequest",
    "Explanation",
    "FollowUpRequest",
    "GenerateRequest",
    "InterviewInterrupted",
    "InterviewRequest",
    "InterviewResult",
    "InterviewSession",
    "LibraryCheck",
    "PlainPrompter",
    "Problem",
    "ProblemsError",
    "ProhibitedPracticeError",
    "RequestError",
    "ScriptedPrompter",
    "Selected",
    "UpphandlaError",
    "__version__",
    "check_libraries",
    "evaluate_bids",
    "explain",
    "generate_declaration",
    "generate_documents",
    "generate_follow_up",
    "open_interview",
    "parse_price_options",
    "prepare_documents",
    "run_interview_session",
]

# Where each public name lives; imported by ``__getattr__`` on first access.
_HOMES = {
    "upphandla.documents.package": (
        "DeclareRequest",
        "DocumentRequest",
        "DocumentRun",
        "DocumentSet",
        "FollowUpRequest",
        "GenerateRequest",
        "RequestError",
        "generate_declaration",
        "generate_documents",
        "generate_follow_up",
        "prepare_documents",
    ),
    "upphandla.errors": ("Problem", "ProblemsError", "ProhibitedPracticeError", "UpphandlaError"),
    "upphandla.evaluation.responses": ("parse_price_options",),
    "upphandla.evaluation.run": ("EvaluateRequest", "EvaluationSet", "evaluate_bids"),
    "upphandla.evaluation.scoring": ("Evaluation",),
    "upphandla.interview.prompters": ("PlainPrompter", "ScriptedPrompter"),
    "upphandla.interview.session": (
        "InterviewInterrupted",
        "InterviewRequest",
        "InterviewResult",
        "InterviewSession",
        "open_interview",
        "run_interview_session",
    ),
    "upphandla.interview.sources": ("AnswerSources",),
    "upphandla.library.check_report": ("CheckedLibrary", "LibraryCheck", "check_libraries"),
    "upphandla.selection.explain": ("ExplainRequest", "Explanation", "Selected", "explain"),
}
_MODULE_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> object:
    """Import a public name on first access, and keep it."""
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'upphandla' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
