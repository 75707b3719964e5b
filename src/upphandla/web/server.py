"""``upphandla interview --web``: the interview as a local web page.

One officer, one interview, one computer. The server listens on 127.0.0.1 only, on a free port
the system picks, and every address starts with a random token made for this run, so another
program or web page on the computer cannot reach the interview without it. Requests whose Host
header is not 127.0.0.1 or localhost are refused (no DNS rebinding). Everything the page needs
(its style sheet and small script) is served from the package: nothing is fetched from the
internet. Pages are sent with a strict Content-Security-Policy, no referrer (the token is in the
address) and no caching.

The questions come from the same session and engine as at the terminal (``open_interview``,
``InterviewSession.ask``), through ``WebPrompter``; the answers file is saved after every
answer, so the interview resumes in the terminal or in the browser alike. At the end the page
writes the documents (``generate_documents``) and links to them. The server stops when the
officer chooses "Avsluta" or presses Ctrl-C in the terminal.

Starlette and uvicorn: Starlette is a small, typed, well-kept ASGI toolkit (routing, responses,
TrustedHostMiddleware, file responses) with no templating or ORM to pull in; uvicorn is its
reference server, in pure Python with h11 when installed plainly. Both are imported only here,
so ``upphandla --help`` and the terminal interview do not load them.
"""

from __future__ import annotations

import secrets
import socket
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from upphandla.errors import ProblemsError, ProhibitedPracticeError, UpphandlaError
from upphandla.interview.session import (
    InterviewInterrupted,
    InterviewRequest,
    InterviewSession,
    open_interview,
)
from upphandla.library.model import QuestionType
from upphandla.library.values import coerce_value
from upphandla.text import Language
from upphandla.web import pages
from upphandla.web.prompter import WebPrompter
from upphandla.web.texts import word

ALLOWED_HOSTS = ("127.0.0.1", "localhost")
MAX_BODY = 1_000_000  # bytes of one form; an answer is far smaller
STATIC = {"style.css": "text/css; charset=utf-8", "interview.js": "text/javascript; charset=utf-8"}
SECURITY_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; "
        b"img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


@dataclass
class WebOutcome:
    """How the browser interview ended."""

    url: str
    finished: bool = False
    interrupted: bool = False
    written: list[Path] = field(default_factory=list)
    error: BaseException | None = None


@dataclass
class _State:
    """What the pages share: the session, the prompter, the documents written."""

    session: InterviewSession
    prompter: WebPrompter
    language: Language
    base: str
    generate: Callable[[bool], list[Path]]
    already_complete: bool
    written: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stop: Callable[[], None] = lambda: None


def free_socket(host: str = "127.0.0.1") -> socket.socket:
    """A listening socket on ``host`` and a port the system chooses."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # No SO_REUSEADDR: a fresh port needs none, and on Windows it would let another program
    # bind the same port; there the port is claimed exclusively instead.
    exclusive = getattr(socket, "SO_EXCLUSIVEADDRUSE", None)
    if exclusive is not None:
        sock.setsockopt(socket.SOL_SOCKET, exclusive, 1)
    sock.bind((host, 0))
    sock.listen(16)
    sock.set_inheritable(True)
    return sock


def serve_interview(
    request: InterviewRequest,
    *,
    generate: Callable[[bool], list[Path]],
    announce: Callable[[str], None],
    open_browser: Callable[[str], object] | None = None,
    on_open: Callable[[InterviewSession], None] | None = None,
) -> WebOutcome:
    """Run the interview in the browser until the officer finishes or presses Ctrl-C.

    Args:
        request: The interview, as for the terminal.
        generate: Writes the documents from the saved answers (``force`` as argument) and
            returns the files; raises the library's errors.
        announce: Receives the address once the server listens.
        open_browser: Opens the address (``webbrowser.open``); None only announces it.
        on_open: Receives the session once it is open, before the server starts (to show its
            notes and stale answers, as the terminal does).

    Raises:
        ProblemsError: The library or the answers to start from cannot be used (before the
            server starts).
    """
    import uvicorn

    session = open_interview(request)
    if on_open is not None:
        on_open(session)
    already_complete = session.resumes and session.is_complete and not request.review
    prompter = WebPrompter()
    outcome_error: list[BaseException] = []

    def interview() -> None:
        try:
            if not already_complete:
                session.ask(prompter)
            session.finish()
            prompter.finish()
        except BaseException as error:  # noqa: BLE001 - handed to the pages and the caller
            outcome_error.append(error)
            prompter.finish(error)

    token = secrets.token_urlsafe(24)
    sock = free_socket()
    port = sock.getsockname()[1]
    base = f"/{token}/"
    url = f"http://127.0.0.1:{port}{base}"
    state = _State(session, prompter, request.language, base, generate, already_complete)
    config = uvicorn.Config(
        build_app(state),
        log_level="warning",
        access_log=False,
        lifespan="off",
        server_header=False,
    )
    server = uvicorn.Server(config)

    def stop() -> None:
        server.should_exit = True

    state.stop = stop
    worker = threading.Thread(target=interview, name="upphandla-interview", daemon=True)
    worker.start()

    def when_started() -> None:
        while not server.started and not server.should_exit:
            threading.Event().wait(0.02)
        if server.started:
            announce(url)
            if open_browser is not None:
                open_browser(url)

    threading.Thread(target=when_started, name="upphandla-announce", daemon=True).start()
    interrupted = False
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        interrupted = True
    finally:
        sock.close()
        prompter.stop()
        worker.join(timeout=10)
    error = outcome_error[0] if outcome_error else None
    if isinstance(error, InterviewInterrupted):
        interrupted, error = True, None
    return WebOutcome(
        url,
        finished=prompter.finished and error is None and not interrupted,
        interrupted=interrupted or not prompter.finished,
        written=list(state.written),
        error=error,
    )


def build_app(state: _State) -> Any:
    """The Starlette application: every route under ``state.base`` (``/<token>/``), the Host
    header checked, the security headers on every response."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
    from starlette.routing import Route

    language, base = state.language, state.base

    def html(text: str, status: int = 200) -> Response:
        return HTMLResponse(text, status_code=status)

    def see_page() -> Response:
        return RedirectResponse(base, status_code=303)

    def side(values: dict[str, Any] | None = None) -> pages.Panel:
        current = dict(state.session.values) if values is None else values
        return pages.panel(state.session.library, current, language)

    async def form_of(request: Request) -> dict[str, list[str]]:
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return {}
        return urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)

    async def page(_request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        asked = await run_in_threadpool(state.prompter.current)
        if asked.request is not None:
            return html(
                pages.question_page(asked.request, serial=asked.serial, base=base, side=side())
            )
        return html(finished_page(asked.error))

    def finished_page(error: BaseException | None) -> str:
        output = state.session.request.output
        if isinstance(error, KeyboardInterrupt):  # InterviewInterrupted among them
            return pages.message_page(
                base=base,
                language=language,
                title=word("closed_title", language),
                text=word("interrupted", language, output=output),
            )
        if error is not None:
            return pages.message_page(
                base=base,
                language=language,
                title=word("failed", language),
                text=_describe(error, language),
            )
        written = [(index, path.name) for index, path in enumerate(state.written)]
        folder = state.written[0].parent if state.written else None
        return pages.done_page(
            base=base,
            language=language,
            output=output,
            already=state.already_complete,
            side=side(),
            written=written,
            folder=folder,
            problems=state.problems,
        )

    async def answer(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        form = await form_of(request)
        asked = await run_in_threadpool(state.prompter.current, 0.0)
        serial = _int(form.get("serial", [""])[0])
        if asked.request is None or serial != asked.serial:
            return see_page()
        action = form.get("action", ["answer"])[0]
        if action == "back":
            await run_in_threadpool(state.prompter.back, serial)
            return see_page()
        question = asked.request.question
        raw = form.get("answer", [])
        value, message, confirm = _reply(question, raw, action, language)
        if message is not None or confirm:
            return html(
                pages.question_page(
                    asked.request,
                    serial=asked.serial,
                    base=base,
                    side=side(),
                    entered=raw if question.type is QuestionType.MULTIPLE else _first(raw),
                    message=message or word("confirm_empty", language),
                    confirm_empty=confirm,
                ),
                422 if message is not None else 200,
            )
        await run_in_threadpool(state.prompter.reply, serial, value)
        return see_page()

    async def preview(request: Request) -> Response:
        form = await form_of(request)
        asked = state.prompter.current(0.0)
        values = dict(state.session.values)
        if asked.request is not None:
            question = asked.request.question
            value, message, _ = _reply(question, form.get("answer", []), "confirm_empty", language)
            if message is None:
                values[question.id] = value
        return html(pages.panel_fragment(base=base, language=language, side=side(values)))

    async def generate(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        form = await form_of(request)
        if not state.prompter.finished or state.written:
            return see_page()
        force = form.get("force", [""])[0] == "1"
        try:
            state.written = await run_in_threadpool(state.generate, force)
            state.problems = []
        except ProblemsError as error:
            state.problems = [problem.render(language) for problem in error.problems]
        except ProhibitedPracticeError as error:
            state.problems = [error.message.in_language(language)]
        except UpphandlaError as error:
            state.problems = [str(error)]
        return see_page()

    async def download(request: Request) -> Response:
        index = _int(request.path_params["index"])
        if not 0 <= index < len(state.written):
            return Response(status_code=404)
        path = state.written[index]
        return FileResponse(path, filename=path.name)

    async def quit_(_request: Request) -> Response:
        state.stop()
        return html(
            pages.message_page(
                base=base,
                language=language,
                title=word("closed_title", language),
                text=word("closed", language, output=state.session.request.output),
            )
        )

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response(status_code=404)
        content = (files("upphandla.web") / "static" / name).read_bytes()
        return Response(content, media_type=STATIC[name])

    routes = [
        Route(base, page, methods=["GET"]),
        Route(f"{base}answer", answer, methods=["POST"]),
        Route(f"{base}preview", preview, methods=["POST"]),
        Route(f"{base}generate", generate, methods=["POST"]),
        Route(f"{base}files/{{index}}", download, methods=["GET"]),
        Route(f"{base}quit", quit_, methods=["POST"]),
        Route(f"{base}static/{{name}}", static, methods=["GET"]),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(ALLOWED_HOSTS))],
    )
    return _SecurityHeaders(app)


class _SecurityHeaders:
    """ASGI middleware: the security headers on every response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def _reply(
    question: Any, raw: list[str], action: str, language: Language
) -> tuple[Any, str | None, bool]:
    """The form's answer as a value of the question's type: ``(value, message, confirm)``.

    ``message`` says why the answer cannot be used; ``confirm`` asks to confirm an empty
    multiple choice (unless the officer already did, ``action == "confirm_empty"``).
    """
    if question.type is QuestionType.MULTIPLE:
        if not raw and action != "confirm_empty":
            return [], None, True
        value, message = coerce_value(question, list(raw))
    elif question.type is QuestionType.BOOL:
        given = _first(raw)
        if given not in ("true", "false"):
            return None, word("required", language), False
        value, message = given == "true", None
    else:
        given = _first(raw).strip()
        if not given and question.required:
            return None, word("required", language), False
        value, message = coerce_value(question, given)
    if message is not None:
        return None, word("invalid", language, message=message.in_language(language)), False
    return value, None, False


def _first(values: list[str]) -> str:
    return values[0] if values else ""


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return -1


def _describe(error: BaseException, language: Language) -> str:
    if isinstance(error, ProblemsError):
        return " ".join(problem.render(language) for problem in error.problems)
    if isinstance(error, UpphandlaError):
        return str(error)
    return word("failed", language)
