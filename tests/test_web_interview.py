"""The browser interview over plain HTTP (no browser, fast tier): security, forms, resume.

The server runs as the officer starts it, ``upphandla interview --web --no-browser`` with no
standard input; the tests post the forms a browser without JavaScript would post. The browser
itself (keyboard, axe-core) is tested in ``test_web_browser.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import browser_interview as web
import pytest

from upphandla.interview.answers import read_answers_file
from upphandla.interview.flow import QuestionRequest
from upphandla.interview.session import InterviewRequest, run_interview_session

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "dokumentsok-intern.yaml"


def replies() -> dict[str, Any]:
    return {key: answer.value for key, answer in read_answers_file(EXAMPLE).answers.items()}


@pytest.fixture
def server(tmp_path: Path) -> Any:
    running = web.start_server(tmp_path)
    yield running
    running.stop()


def test_it_listens_on_127_0_0_1_with_a_token(server: web.Server) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]{32}/", server.url)
    client = web.Client(server.url)
    assert client.request("GET", "/")[0] == 404
    assert client.request("GET", "/wrong-token/")[0] == 404
    assert client.request("GET", client.base + "files/0")[0] == 404


def test_a_foreign_host_header_is_refused(server: web.Server) -> None:
    client = web.Client(server.url)
    assert client.request("GET", client.base, host="attacker.example")[0] == 400
    assert client.request("GET", client.base, host=f"localhost:{client.port}")[0] == 200


def test_pages_need_nothing_from_the_internet_and_send_strict_headers(
    server: web.Server,
) -> None:
    client = web.Client(server.url)
    status, headers, page = client.request("GET", client.base)
    assert status == 200
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert '<html lang="sv">' in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    for name in ("style.css", "interview.js"):
        status, _, text = client.request("GET", f"{client.base}static/{name}")
        assert status == 200
        assert "http" not in text


def test_a_refused_answer_is_explained_on_the_page(server: web.Server) -> None:
    client = web.Client(server.url)
    question, _, serial = web.question_of(client.page())
    assert question == "organisation"
    status, page = client.post("answer", [("serial", serial), ("answer", ""), ("action", "answer")])
    assert status == 422
    assert 'role="alert"' in page
    assert "Frågan behöver ett svar." in page
    assert web.question_of(client.page())[0] == "organisation"


def test_a_stale_form_changes_nothing(server: web.Server) -> None:
    client = web.Client(server.url)
    _, _, serial = web.question_of(client.page())
    client.post("answer", [("serial", serial), ("answer", "Region Gotland"), ("action", "answer")])
    client.post("answer", [("serial", serial), ("answer", "Annat"), ("action", "answer")])
    assert web.question_of(client.page())[0] == "procurement_title"


class KeyedPrompter:
    def __init__(self, replies: dict[str, Any]) -> None:
        self.replies = replies
        self.asked: list[str] = []

    def ask(self, request: QuestionRequest) -> Any:
        self.asked.append(request.question.id)
        default = request.default
        if default is None and request.question.type.value in ("text", "number", "date"):
            default = ""
        return web.reply_for(request.question.id, default, self.replies)


def test_the_forms_write_the_terminal_interviews_answers_file(tmp_path: Path) -> None:
    answers = replies()
    terminal_folder, browser_folder = tmp_path / "terminal", tmp_path / "browser"
    terminal_folder.mkdir()
    browser_folder.mkdir()
    terminal = KeyedPrompter(answers)
    run_interview_session(InterviewRequest(output=terminal_folder / "svar.yaml"), terminal)

    asked: list[str] = []
    running = web.start_server(browser_folder)
    try:
        client = web.Client(running.url)
        page = client.page()
        # An empty multiple choice is confirmed: the page asks first, and nothing is saved.
        while (question := web.question_of(page))[0] is not None:
            question_id, kind, serial = question
            assert question_id is not None
            value = web.reply_for(question_id, web.offered(page, kind), answers)
            if kind == "multiple" and not value:
                status, confirm = client.post("answer", [("serial", serial), ("action", "answer")])
                assert 'value="confirm_empty"' in confirm
                assert web.question_of(client.page())[0] == question_id
            client.post("answer", [("serial", serial), *web.form_for(kind, value)])
            asked.append(question_id)
            page = client.page()
            assert len(asked) < 100
        assert "Intervjun är klar" in page
        status, text = client.post("quit", [])
        assert status == 200
        assert running.process.wait(15) == 0
    finally:
        running.stop()
    assert asked == terminal.asked
    assert (browser_folder / "svar.yaml").read_text(encoding="utf-8") == (
        terminal_folder / "svar.yaml"
    ).read_text(encoding="utf-8")


def test_back_returns_to_the_previous_question_with_its_answer(server: web.Server) -> None:
    client = web.Client(server.url)
    _, _, serial = web.question_of(client.page())
    client.post("answer", [("serial", serial), ("answer", "Region Gotland"), ("action", "answer")])
    question, _, serial = web.question_of(client.page())
    assert question == "procurement_title"
    client.post("answer", [("serial", serial), ("action", "back")])
    page = client.page()
    assert web.question_of(page)[0] == "organisation"
    assert 'value="Region Gotland"' in page


def test_ctrl_c_keeps_the_answers_and_the_terminal_resumes(tmp_path: Path) -> None:
    running = web.start_server(tmp_path)
    client = web.Client(running.url)
    _, _, serial = web.question_of(client.page())
    client.post("answer", [("serial", serial), ("answer", "Region Gotland"), ("action", "answer")])
    assert running.stop() == 130
    assert "Dina svar är sparade i svar.yaml" in running.output
    saved = read_answers_file(tmp_path / "svar.yaml")
    assert saved.answers["organisation"].value == "Region Gotland"
    # The terminal goes on from there.
    terminal = KeyedPrompter({})
    with pytest.raises(KeyboardInterrupt):
        run_interview_session(
            InterviewRequest(output=tmp_path / "svar.yaml"),
            _Stop(terminal),
        )
    assert terminal.asked == ["procurement_title"]


class _Stop:
    """Records the first question asked through ``inner``, then stops (Ctrl-C)."""

    def __init__(self, inner: KeyedPrompter) -> None:
        self.inner = inner

    def ask(self, request: QuestionRequest) -> Any:
        self.inner.ask(request)
        raise KeyboardInterrupt


def test_the_web_modules_are_not_imported_for_help_or_the_terminal() -> None:
    code = (
        "import sys\n"
        "from upphandla.cli.app import main\n"
        "sys.argv = ['upphandla', 'interview', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('starlette', 'uvicorn', 'upphandla.web') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert "--web" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]", done.stderr
