"""Benchmark the browser interview: start to first question, and the time per answer.

    python benchmarks/web_interview.py [--runs 5] [--browser]

Each run starts ``upphandla interview --web --no-browser`` as a fresh process in a temporary
folder and answers the whole interview for ``examples/ekonomiskt-bistand.yaml``:

* **start to first question**: from starting the process until the first question's page has
  arrived (the process imports, loads the library, binds, prints the address; then one GET);
* **time per answer**: posting one answer until the next question's page has arrived (the
  engine saves the answers file, asks the next question, and the page with its side panel of
  selected requirements is rendered), over plain HTTP as a browser without JavaScript does;
* with ``--browser``, also in Chromium with the keyboard (Playwright), where the time per answer
  includes the browser's own work: pressing Enter on "Spara och fortsätt" until the next page
  has loaded.

Prints the median, minimum and maximum. Run it with the Python where upphandla and the test
extra are installed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import browser_interview as web  # noqa: E402

from upphandla.interview.answers import read_answers_file  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ekonomiskt-bistand.yaml"


def replies() -> dict[str, object]:
    return {key: answer.value for key, answer in read_answers_file(EXAMPLE).answers.items()}


def over_http() -> tuple[float, list[float]]:
    """One interview over HTTP: seconds to the first question, seconds per answer."""
    answers = replies()
    with tempfile.TemporaryDirectory() as work:
        server = web.start_server(Path(work))
        try:
            client = web.Client(server.url)
            page = client.page()
            first = time.perf_counter() - server.started
            per_answer: list[float] = []
            while (question := web.question_of(page))[0] is not None:
                question_id, kind, serial = question
                assert question_id is not None
                value = web.reply_for(question_id, web.offered(page, kind), answers)
                began = time.perf_counter()
                client.post("answer", [("serial", serial), *web.form_for(kind, value)])
                page = client.page()
                per_answer.append(time.perf_counter() - began)
            client.post("quit", [])
        finally:
            server.stop()
    return first, per_answer


def in_browser() -> tuple[float, list[float]]:
    """One interview in Chromium with the keyboard: the same two figures."""
    answers = replies()
    with tempfile.TemporaryDirectory() as work, web.browser() as page:
        server = web.start_server(Path(work))
        try:
            page.goto(server.url)
            first = time.perf_counter() - server.started
            per_answer: list[float] = []
            while (question := web.question_id(page)) is not None:
                value = web.reply_for(question, web.page_default(page), answers)
                began = time.perf_counter()
                web.answer_with_keyboard(page, value, "Spara och fortsätt")
                per_answer.append(time.perf_counter() - began)
        finally:
            server.stop()
    return first, per_answer


def summary(name: str, values: list[float]) -> str:
    milliseconds = [value * 1000 for value in values]
    return (
        f"{name:<40} median {statistics.median(milliseconds):7.1f} ms"
        f"   min {min(milliseconds):7.1f}   max {max(milliseconds):7.1f}   (n={len(values)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also in Chromium")
    options = parser.parse_args()
    firsts, answers = [], []
    for _ in range(options.runs):
        first, per_answer = over_http()
        firsts.append(first)
        answers.extend(per_answer)
    print(summary("HTTP: start to first question", firsts))
    print(summary("HTTP: per answer (post → next page)", answers))
    if options.browser:
        firsts, answers = [], []
        for _ in range(options.runs):
            first, per_answer = in_browser()
            firsts.append(first)
            answers.extend(per_answer)
        print(summary("Chromium: start to first question", firsts))
        print(summary("Chromium: per answer (keyboard → next page)", answers))


if __name__ == "__main__":
    main()
