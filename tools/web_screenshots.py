"""Take the screenshots of the browser interview in ``docs/screenshots/`` (1280 × 800).

    python tools/web_screenshots.py [FOLDER]

Runs ``upphandla interview --web --no-browser`` in a temporary folder, answers with the
replies of ``examples/ekonomiskt-bistand.yaml`` (with the keyboard, as the browser tests do) in
the system's Chromium, and saves three steps: the first question with "Varför frågar vi?"
opened, the prohibited-practices question with the side panel of requirements, and the end with
the documents to download. Needs the test extra (Playwright) and Chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import browser_interview as web

from upphandla.interview.answers import read_answers_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ekonomiskt-bistand.yaml"
SHOTS = (
    "webbintervju-1-fraga.png",
    "webbintervju-2-flerval.png",
    "webbintervju-3-klar.png",
)


def take(folder: Path) -> list[Path]:
    """The three screenshots, written to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    replies = {key: answer.value for key, answer in read_answers_file(EXAMPLE).answers.items()}
    written = [folder / name for name in SHOTS]
    with tempfile.TemporaryDirectory() as work:
        server = web.start_server(Path(work))
        try:
            with web.browser(1280, 800) as page:
                page.goto(server.url)
                web.tab_to(page, lambda focused: focused["tag"] == "summary")
                page.keyboard.press("Enter")
                page.screenshot(path=str(written[0]))
                while web.question_id(page) != "prohibited_practices":
                    question = web.question_id(page)
                    assert question is not None
                    reply = web.reply_for(question, web.page_default(page), replies)
                    web.answer_with_keyboard(page, reply, "Spara och fortsätt")
                page.screenshot(path=str(written[1]))
                while (question := web.question_id(page)) is not None:
                    reply = web.reply_for(question, web.page_default(page), replies)
                    web.answer_with_keyboard(page, reply, "Spara och fortsätt")
                web.press_button(page, "Ta fram dokumenten")
                page.screenshot(path=str(written[2]))
                web.press_button(page, "Avsluta")
        finally:
            server.stop()
    return written


def main(argv: list[str]) -> None:
    folder = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "screenshots"
    for path in take(folder):
        print(path)


if __name__ == "__main__":
    main(sys.argv)
