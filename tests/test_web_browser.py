"""The browser interview in a real Chromium, with the keyboard only (slow tier).

The server runs as the officer starts it (``upphandla interview --web --no-browser``, no
standard input) and Playwright drives Debian's Chromium. One test answers a whole interview for
an example, uses help and back, reloads half way, stops the server with Ctrl-C and resumes in a
new one, and checks that the answers file is the terminal interview's for the same replies.
Another runs axe-core (shipped in the axe-playwright-python package) on every kind of page and
fails on serious or critical violations. CI installs Chromium in ``.ci/run``; elsewhere the
tests are skipped when no Chromium is found.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import browser_interview as web
import pytest

from upphandla.interview.answers import read_answers_file
from upphandla.interview.flow import QuestionRequest
from upphandla.interview.session import InterviewRequest, run_interview_session

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "ekonomiskt-bistand.yaml"

if web.chromium_path() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Chromium for the browser tests (see .ci/run)")
    pytest.skip("no Chromium on this machine", allow_module_level=True)
pytest.importorskip("playwright")


def example_replies() -> dict[str, Any]:
    return {key: answer.value for key, answer in read_answers_file(EXAMPLE).answers.items()}


class KeyedPrompter:
    """The terminal's scripted officer: the example's answer, else the default offered."""

    def __init__(self, replies: dict[str, Any]) -> None:
        self.replies = replies
        self.asked: list[str] = []

    def ask(self, request: QuestionRequest) -> Any:
        self.asked.append(request.question.id)
        assert len(self.asked) < 200
        default = request.default
        if default is None and request.question.type.value in ("text", "number", "date"):
            default = ""
        return web.reply_for(request.question.id, default, self.replies)


def answer_current(page: Any, replies: dict[str, Any]) -> str:
    question = web.question_id(page)
    assert question is not None
    web.answer_with_keyboard(
        page, web.reply_for(question, web.page_default(page), replies), "Spara och fortsätt"
    )
    return question


def test_a_whole_interview_with_the_keyboard(tmp_path: Path) -> None:
    replies = example_replies()
    browser_folder, terminal_folder = tmp_path / "browser", tmp_path / "terminal"
    browser_folder.mkdir()
    terminal_folder.mkdir()

    # The terminal interview with the same replies.
    terminal = KeyedPrompter(replies)
    run_interview_session(InterviewRequest(output=terminal_folder / "svar.yaml"), terminal)

    server = web.start_server(browser_folder)
    asked: list[str] = []
    try:
        with web.browser() as page:
            page.goto(server.url)
            assert page.get_attribute("html", "lang") == "sv"
            # Help: Enter on "Varför frågar vi?" opens the explanation, nothing is saved.
            web.tab_to(page, lambda f: f["tag"] == "summary")
            page.keyboard.press("Enter")
            assert page.is_visible("details.why p")
            assert web.question_id(page) == "organisation"
            asked.append(answer_current(page, replies))
            asked.append(answer_current(page, replies))
            # Back: the previous question again, with its answer filled in.
            third = web.question_id(page)
            web.press_button(page, "Gå tillbaka")
            assert web.question_id(page) == asked[-1]
            assert web.page_default(page) == replies[asked[-1]]
            asked.pop()
            asked.append(answer_current(page, replies))
            assert web.question_id(page) == third
            # Half way: a reload shows the same question.
            asked.extend(answer_current(page, replies) for _ in range(8))
            before = web.question_id(page)
            page.reload()
            assert web.question_id(page) == before
            panel = page.inner_text("#panel-content")
            assert "krav" in panel
    finally:
        assert server.stop() == 130  # Ctrl-C: the answers are saved

    saved = read_answers_file(browser_folder / "svar.yaml")
    assert set(saved.answers) == set(asked)

    # A new server resumes where the first one stopped, and finishes.
    server = web.start_server(browser_folder)
    try:
        with web.browser() as page:
            page.goto(server.url)
            assert web.question_id(page) == before
            while web.question_id(page) is not None:
                asked.append(answer_current(page, replies))
            assert page.inner_text("h1") == "Intervjun är klar"
            web.press_button(page, "Ta fram dokumenten")
            links = page.eval_on_selector_all("a[download]", "e => e.map(x => x.textContent)")
            assert any("kravbilaga.docx" in text for text in links)
            web.press_button(page, "Avsluta")
        assert server.process.wait(15) == 0  # "Avsluta" stops the server
    finally:
        server.stop()

    assert asked == terminal.asked
    assert (browser_folder / "svar.yaml").read_text(encoding="utf-8") == (
        terminal_folder / "svar.yaml"
    ).read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_every_kind_of_page_passes_axe(tmp_path: Path) -> None:
    replies = example_replies()
    server = web.start_server(tmp_path)
    found: dict[str, list[str]] = {}
    try:
        with web.browser() as page:
            page.goto(server.url)
            seen_kinds: set[str] = set()
            while web.question_id(page) is not None:
                kind = web.question_kind(page)
                if kind not in seen_kinds:
                    seen_kinds.add(kind)
                    found[kind] = axe_violations(page)
                answer_current(page, replies)
            found["done"] = axe_violations(page)
            assert {"text", "single", "bool", "multiple"} <= seen_kinds
    finally:
        server.stop()
    assert found == dict.fromkeys(found, [])


def test_english_on_request(tmp_path: Path) -> None:
    server = web.start_server(tmp_path, ["--lang", "en"])
    try:
        with web.browser() as page:
            page.goto(server.url)
            assert page.get_attribute("html", "lang") == "en"
            assert "Why do we ask?" in page.inner_text("summary")
            assert "Save and continue" in page.inner_text("button.primary")
    finally:
        server.stop()
