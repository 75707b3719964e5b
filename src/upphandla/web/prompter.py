"""A prompter that hands each question to a browser and waits for the reply.

The interview runs exactly as at the terminal: ``InterviewSession.ask`` drives the engine
(``interview/flow.py``) in a worker thread and calls ``WebPrompter.ask`` for each question. That
call publishes the question and blocks until a web request replies (an answer, or ``BACK``) or
the server stops (``KeyboardInterrupt``, so the session saves and ends as on Ctrl-C). Web
requests read the published state and reply through ``reply``, which waits until the engine has
asked its next question (or finished), so the page that follows shows it. No HTTP code here.
"""

from __future__ import annotations

import threading
from typing import Any

from upphandla.interview.flow import BACK, QuestionRequest
from upphandla.records import record


@record
class Asked:
    """What the browser shows now: the question being asked (None when none is), and a count
    that grows with every question asked, so a stale form can be told from a fresh one."""

    request: QuestionRequest | None
    serial: int
    finished: bool
    error: BaseException | None = None


class WebPrompter:
    """Questions to the browser, replies back to the engine, one at a time."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._request: QuestionRequest | None = None
        self._serial = 0
        self._reply: Any = None
        self._has_reply = False
        self._finished = False
        self._stopped = False
        self._error: BaseException | None = None

    # The engine's side (worker thread) -------------------------------------------------------

    def ask(self, request: QuestionRequest) -> Any:
        """Publish ``request`` and wait for the browser's reply (an answer or ``BACK``)."""
        with self._condition:
            self._request = request
            self._serial += 1
            self._has_reply = False
            self._condition.notify_all()
            while not self._has_reply and not self._stopped:
                self._condition.wait()
            if self._stopped:
                raise KeyboardInterrupt
            self._request = None
            reply, self._reply, self._has_reply = self._reply, None, False
            return reply

    def finish(self, error: BaseException | None = None) -> None:
        """The interview ended (``error`` when it ended with one); wake every waiting request."""
        with self._condition:
            self._finished = True
            self._error = error
            self._request = None
            self._serial += 1
            self._condition.notify_all()

    # The web side (request threads) ----------------------------------------------------------

    def current(self, timeout: float = 10.0) -> Asked:
        """The question being asked; waits (up to ``timeout``) while the engine is between two."""
        with self._condition:
            self._condition.wait_for(
                lambda: self._request is not None or self._finished or self._stopped, timeout
            )
            return Asked(self._request, self._serial, self._finished, self._error)

    def reply(self, serial: int, value: Any, timeout: float = 10.0) -> bool:
        """Answer the question numbered ``serial``; False when it is no longer the one asked
        (a form submitted twice, or from an old tab). Returns once the engine has moved on."""
        with self._condition:
            if self._request is None or serial != self._serial or self._has_reply:
                return False
            self._reply, self._has_reply = value, True
            self._condition.notify_all()
            self._condition.wait_for(
                lambda: self._serial != serial or self._finished or self._stopped, timeout
            )
            return True

    def back(self, serial: int, timeout: float = 10.0) -> bool:
        """Go back one question (see ``reply``)."""
        return self.reply(serial, BACK, timeout)

    def stop(self) -> None:
        """The server is stopping: a waiting ``ask`` raises ``KeyboardInterrupt``."""
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    @property
    def finished(self) -> bool:
        """True once the interview has ended."""
        with self._condition:
            return self._finished
