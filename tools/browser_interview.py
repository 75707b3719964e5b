"""Drive ``upphandla interview --web`` in a real Chromium with the keyboard only.

Used by the browser tests (``tests/test_web_browser.py``), the screenshot script
(``tools/web_screenshots.py``) and the benchmark (``benchmarks/web_interview.py``). The server
runs as its own process, as an officer starts it; the page is driven with Playwright on the
system's Chromium (Debian's ``chromium``; ``UPPHANDLA_CHROMIUM`` names another). Every answer is
given with Tab, the arrow keys, Space, typing and Enter, as a person without a mouse would.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM_VARIABLE = "UPPHANDLA_CHROMIUM"
ADDRESS = re.compile(r"http://127\.0\.0\.1:\d+/[A-Za-z0-9_-]+/")


def chromium_path() -> str | None:
    """The Chromium to drive: ``UPPHANDLA_CHROMIUM``, else ``chromium`` on the PATH."""
    named = os.environ.get(CHROMIUM_VARIABLE)
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class Server:
    """A running ``upphandla interview --web --no-browser`` and the address it printed."""

    process: subprocess.Popen[str]
    url: str
    started: float
    listening: float
    output: str = ""

    def stop(self, interrupt: bool = True, timeout: float = 15) -> int:
        """Ctrl-C (or a kill) and the exit code."""
        if self.process.poll() is None:
            if interrupt:
                self.process.send_signal(signal.SIGINT)
            else:
                self.process.kill()
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout)
        stream = self.process.stdout
        if stream is not None and not stream.closed:
            self.output += stream.read()
            stream.close()
        return code


def upphandla_command() -> list[str]:
    """The command that runs upphandla with this Python."""
    return [sys.executable, "-m", "upphandla"]


def start_server(
    cwd: Path, args: Sequence[str] = (), env: Mapping[str, str] | None = None, timeout: float = 30
) -> Server:
    """Start the browser interview in ``cwd`` and wait for the address it prints."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [*upphandla_command(), "interview", "--web", "--no-browser", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = ADDRESS.search(line)
        if match:
            return Server(process, match.group(0), started, time.perf_counter())
    process.kill()
    raise RuntimeError("the browser interview printed no address:\n" + "".join(seen))


@contextmanager
def browser(width: int = 1280, height: int = 800) -> Iterator[Any]:
    """A Playwright page in the system's Chromium, headless, at ``width`` × ``height``."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found (apt-get install chromium, or UPPHANDLA_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=path, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = launched.new_page(viewport={"width": width, "height": height})
            yield page
        finally:
            launched.close()


# ---------------------------------------------------------------------------------------------
# Reading the page


def question_id(page: Any) -> str | None:
    """The id of the question on the page, or None on a page without one."""
    form = page.query_selector("#question-form")
    return None if form is None else str(form.get_attribute("data-question"))


def question_kind(page: Any) -> str:
    return str(page.get_attribute("#question-form", "data-kind"))


def active(page: Any) -> dict[str, str]:
    """What has the keyboard focus: tag, type, value, id and text."""
    return dict(
        page.evaluate(
            "() => { const e = document.activeElement; return {tag: e.tagName.toLowerCase(),"
            " type: e.type || '', value: e.value || '', id: e.id || '',"
            " text: (e.textContent || '').trim()}; }"
        )
    )


def tab_to(page: Any, wanted: Any, limit: int = 80) -> dict[str, str]:
    """Press Tab until ``wanted(focused)`` holds; the focused element."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = active(page)
        if wanted(focused):
            return focused
    raise AssertionError("Tab never reached the element")


def press_button(page: Any, text: str) -> None:
    """Tab to the button with ``text`` and press Enter on it."""
    tab_to(page, lambda f: f["tag"] in ("button", "summary") and f["text"] == text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


# ---------------------------------------------------------------------------------------------
# Answering with the keyboard


def choice_values(page: Any) -> list[str]:
    return [
        str(v) for v in page.eval_on_selector_all("input[name=answer]", "e => e.map(x => x.value)")
    ]


def checked_values(page: Any) -> list[str]:
    return [
        str(v)
        for v in page.eval_on_selector_all("input[name=answer]:checked", "e => e.map(x => x.value)")
    ]


def answer_with_keyboard(page: Any, value: Any, save_label: str) -> None:
    """Give ``value`` to the question on the page with the keyboard and save it."""
    kind = question_kind(page)
    page.focus("body")
    if kind in ("single", "bool"):
        wanted = ("true" if value else "false") if kind == "bool" else str(value)
        values = choice_values(page)
        focused = tab_to(page, lambda f: f["tag"] == "input" and f["type"] == "radio")
        if not checked_values(page):
            page.keyboard.press("Space")
            focused = active(page)
        index, target = values.index(focused["value"]), values.index(wanted)
        for _ in range((target - index) % len(values)):
            page.keyboard.press("ArrowDown")
        assert checked_values(page) == [wanted], (checked_values(page), wanted)
    elif kind == "multiple":
        wanted_list = list(value or [])
        values = choice_values(page)
        tab_to(page, lambda f: f["tag"] == "input" and f["type"] == "checkbox")
        for position, choice in enumerate(values):
            if position:
                page.keyboard.press("Tab")
            if (choice in wanted_list) != (choice in checked_values(page)):
                page.keyboard.press("Space")
        assert checked_values(page) == [v for v in values if v in wanted_list]
    else:
        tab_to(page, lambda f: f["tag"] == "input" and f["id"] == "answer")
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        text = (
            value.isoformat()
            if hasattr(value, "isoformat")
            else ("" if value is None else str(value))
        )
        if text:
            page.keyboard.type(text)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        return
    press_button(page, save_label)
    if kind == "multiple" and not value:
        # The page asks to confirm that nothing applies; the confirming button says so.
        press_button(page, confirm_label(page))


def confirm_label(page: Any) -> str:
    return str(page.inner_text("button[value=confirm_empty]")).strip()


def reply_for(question: str, request_default: Any, replies: Mapping[str, Any]) -> Any:
    """The reply a scripted officer gives: the example's answer, else the default shown."""
    if question in replies:
        return replies[question]
    return request_default


def page_default(page: Any) -> Any:
    """What the page offers as the answer already: the checked options or the text."""
    kind = question_kind(page)
    if kind == "multiple":
        return checked_values(page)
    if kind in ("single", "bool"):
        checked = checked_values(page)
        if not checked:
            return None
        return checked[0] == "true" if kind == "bool" else checked[0]
    return page.input_value("#answer")


# ---------------------------------------------------------------------------------------------
# Plain HTTP, as a browser without JavaScript posts the forms


class Client:
    """Requests to the server as a browser without JavaScript sends them."""

    def __init__(self, url: str) -> None:
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port, self.base = parsed.hostname or "", parsed.port or 80, parsed.path

    def request(
        self, method: str, path: str, form: list[tuple[str, str]] | None = None, host: str = ""
    ) -> tuple[int, dict[str, str], str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=20)
        body = urllib.parse.urlencode(form or []).encode() if form is not None else None
        headers = {"Host": host or f"127.0.0.1:{self.port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def page(self) -> str:
        status, _, text = self.request("GET", self.base)
        assert status == 200, text
        return text

    def post(self, what: str, form: list[tuple[str, str]]) -> tuple[int, str]:
        status, _, text = self.request("POST", self.base + what, form)
        return status, text


def question_of(page: str) -> tuple[str | None, str, str]:
    """The question id, its kind and the form's serial on a page."""
    found = re.search(r'data-question="([^"]+)" data-kind="([^"]+)"', page)
    serial = re.search(r'name="serial" value="(\d+)"', page)
    if found is None or serial is None:
        return None, "", ""
    return found.group(1), found.group(2), serial.group(1)


def offered(page: str, kind: str) -> Any:
    """What the page offers as the answer: the checked options or the text field's value."""
    if kind in ("single", "bool", "multiple"):
        checked = re.findall(r'value="([^"]+)" checked', page)
        if kind == "multiple":
            return checked
        if not checked:
            return None
        return checked[0] == "true" if kind == "bool" else checked[0]
    value = re.search(r'id="answer" value="([^"]*)"', page)
    return value.group(1) if value else ""


def form_for(kind: str, value: Any) -> list[tuple[str, str]]:
    if kind == "multiple":
        fields = [("answer", item) for item in value]
        return fields + [("action", "answer" if value else "confirm_empty")]
    if kind == "bool":
        return [("answer", "true" if value else "false"), ("action", "answer")]
    text = (
        value.isoformat() if hasattr(value, "isoformat") else ("" if value is None else str(value))
    )
    return [("answer", text), ("action", "answer")]
