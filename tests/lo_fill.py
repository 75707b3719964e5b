"""Fill in a response form with LibreOffice itself, through its UNO API, and save it as .docx.

Run with the Python that has LibreOffice's ``uno`` module (Debian: ``apt-get install
python3-uno``, then ``/usr/bin/python3``), not the project's virtual environment:

    python3 tests/lo_fill.py PLAN.json

PLAN.json names the blank form, the LibreOffice profile folder and the forms to write::

    {"source": "svarsbilaga.docx", "profile": "/tmp/lo-profile",
     "forms": [{"target": "alfa.docx", "answers": {"supplier.name": "Alfa AB", ...},
                "track_changes": false}]}

LibreOffice 7.4 opens the form's drop-downs as plain text and its text fields as input fields,
each inside the field's bookmark (``_upph…``, see ``documents/form.py``); an answer is written
the way a person would, by replacing the text the bookmark holds. With ``track_changes`` the
answers are recorded as tracked changes, as with Edit > Track Changes > Record. (Comments are
not added here: inserting an annotation into a bookmarked table cell makes LibreOffice 7.4
headless crash; the crafted corpus covers comments.)
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

PREFIX = "_upph"


def tag_from_bookmark(name: str) -> str | None:
    """The inverse of ``form.bookmark_name`` (kept here: this script runs outside the venv)."""
    if not name.startswith(PREFIX) or name == PREFIX:
        return None
    text, chars, position = name[len(PREFIX) :], [], 0
    while position < len(text):
        char = text[position]
        if char != "_":
            chars.append(char)
            position += 1
            continue
        code = text[position + 1 : position + 2]
        if code in ("_", "d", "p"):
            chars.append({"_": "_", "d": "-", "p": "."}[code])
            position += 2
        elif code == "x":
            chars.append(chr(int(text[position + 2 : position + 6], 16)))
            position += 6
        else:
            return None
    return "".join(chars)


def _property(name: str, value: Any) -> Any:
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _connect(profile: str, port: int) -> tuple[Any, subprocess.Popen[bytes]]:
    office = subprocess.Popen(
        ["soffice", "--headless", "--norestore", "--nologo", "--nodefault",
         f"-env:UserInstallation={Path(profile).resolve().as_uri()}",
         f"--accept=socket,host=127.0.0.1,port={port};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    for _ in range(240):
        try:
            context = resolver.resolve(
                f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
            )
            break
        except Exception:  # noqa: BLE001 - LibreOffice is still starting
            time.sleep(0.5)
    else:
        office.kill()
        raise SystemExit("LibreOffice did not start")
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    return desktop, office


def fill(desktop: Any, source: Path, plan: dict[str, Any]) -> None:
    document = None
    for _ in range(60):  # a fresh profile is still being set up when the socket opens
        document = desktop.loadComponentFromURL(
            source.resolve().as_uri(), "_blank", 0, (_property("Hidden", True),)
        )
        if document is not None:
            break
        time.sleep(0.5)
    if document is None:
        raise SystemExit(f"LibreOffice could not open {source}")
    try:
        document.RecordChanges = bool(plan.get("track_changes"))
        bookmarks = document.getBookmarks()
        answers: dict[str, str] = plan["answers"]
        names = [(name, tag_from_bookmark(name)) for name in bookmarks.getElementNames()]
        for name, tag in names:
            if tag in answers:
                bookmarks.getByName(name).getAnchor().setString(answers[tag])
        target = Path(plan["target"]).resolve()
        document.storeToURL(
            target.as_uri(),
            (_property("FilterName", "MS Word 2007 XML"), _property("Overwrite", True)),
        )
    finally:
        document.close(True)


def main(plan_file: Path) -> None:
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    desktop, office = _connect(plan["profile"], int(plan.get("port", 2102)))
    try:
        for form in plan["forms"]:
            fill(desktop, Path(plan["source"]), form)
            print(f"wrote {form['target']}")
    finally:
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
            desktop.terminate()
        try:
            office.wait(timeout=60)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
