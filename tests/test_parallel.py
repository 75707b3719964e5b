"""Work beside the main process (``parallel``): the same value or error as without a copy.

The documents and the cache entry of a large library are built by a forked copy of the
process; each test here either forces that path (the size threshold lowered) or checks that
the copy is not used where it must not be, and compares what comes out with a run without it.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import os
import signal
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, WriteLibrary
from upphandla import AnswerSources, GenerateRequest, ProblemsError, generate_documents, parallel
from upphandla.library import caching
from upphandla.library.loading import load_library
from upphandla.limits import DEFAULT_LIMITS, Limits

needs_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not parallel.can_fork(),
    reason="jobs run beside only on Linux with more than one CPU",
)
INCOME_SUPPORT = AnswerSources(answers_path=REPO / "examples" / "ekonomiskt-bistand.yaml")
DATE = datetime.date(2026, 11, 27)


class Boom(Exception):
    """Raised by a job, to be seen again by the caller."""


def _pid_unless_here(parent: int) -> int:
    if os.getpid() == parent:
        raise Boom("ran in the parent")
    return os.getpid()


@needs_fork
def test_a_job_runs_in_a_copy_and_gives_its_value() -> None:
    parent = os.getpid()
    job = parallel.start(lambda: (os.getpid(), [1, "två", Path("x")]), worth_it=True)
    assert job.beside
    child, value = job.result()
    assert child != parent
    assert value == [1, "två", Path("x")]


def test_a_job_not_worth_a_copy_runs_at_once_here() -> None:
    ran: list[int] = []

    def work() -> str:
        ran.append(os.getpid())
        return "klart"

    job = parallel.start(work, worth_it=False)
    assert ran == [os.getpid()]  # before result() is asked for
    assert not job.beside
    assert job.result() == "klart"


def test_the_variable_turns_copies_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.NO_PARALLEL_VARIABLE, "1")
    assert not parallel.can_fork()
    job = parallel.start(os.getpid, worth_it=True)
    assert not job.beside
    assert job.result() == os.getpid()


def test_no_copy_while_another_thread_runs() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        assert not parallel.start(os.getpid, worth_it=True).beside
    finally:
        release.set()
        thread.join()


@needs_fork
def test_an_error_in_the_copy_is_raised_by_running_the_job_again_here() -> None:
    runs: list[int] = []

    def work() -> int:
        runs.append(os.getpid())  # the copy's list is its own: only the run here counts
        raise Boom("mallen är trasig")

    job = parallel.start(work, worth_it=True)
    assert job.beside
    with pytest.raises(Boom, match="mallen är trasig") as raised:
        job.result()
    assert runs == [os.getpid()]
    assert raised.traceback[-1].name == "work"  # raised here, with its own traceback


@needs_fork
def test_a_copy_that_dies_or_cannot_send_its_value_is_made_up_for_here() -> None:
    parent = os.getpid()

    def dies() -> str:
        if os.getpid() != parent:
            os._exit(3)
        return "här"

    assert parallel.start(dies, worth_it=True).result() == "här"

    def unpicklable() -> object:
        return (lambda: None) if os.getpid() != parent else "här också"

    assert parallel.start(unpicklable, worth_it=True).result() == "här också"


@needs_fork
def test_an_abandoned_copy_is_stopped() -> None:
    parent = os.getpid()
    job = parallel.start(lambda: time.sleep(60) if os.getpid() != parent else None, worth_it=True)
    assert job.beside
    job.abandon()
    assert job._process is not None
    assert job._process.exitcode == -signal.SIGTERM  # stopped, not waited for
    with pytest.raises(RuntimeError):
        job.result()


@needs_fork
def test_finish_all_waits_for_jobs_nobody_asked_for(tmp_path: Path) -> None:
    marker = tmp_path / "klar.txt"

    def slow_write() -> None:
        time.sleep(0.3)
        marker.write_text("klar", encoding="utf-8")

    job = parallel.start(slow_write, worth_it=True)
    assert job.beside
    parallel.finish_all()
    assert marker.read_text(encoding="utf-8") == "klar"


# --------------------------------------------------------------------------- generate


def _record_jobs(monkeypatch: pytest.MonkeyPatch) -> list[parallel.Job[object]]:
    """Every job started from now on (``parallel.start`` patched), in order."""
    started: list[parallel.Job[object]] = []
    start = parallel.start

    def recording_start(work, *, worth_it):  # type: ignore[no-untyped-def]
        job = start(work, worth_it=worth_it)
        started.append(job)
        return job

    monkeypatch.setattr(parallel, "start", recording_start)
    return started


def _plan(out: Path) -> dict[Path, bytes]:
    request = GenerateRequest(answers=INCOME_SUPPORT, out=out, date=DATE, formats="docx,md,json")
    return dict(generate_documents(request).files)


def _comparable(path: Path, content: bytes) -> object:
    """A file's content, with the time a Word file was made (to the second) left out."""
    if path.suffix != ".docx":
        return content
    parts = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            if name == "docProps/core.xml":
                data = b"".join(
                    part
                    for part in data.split(b"<")
                    if not part.startswith((b"dcterms:created", b"dcterms:modified"))
                )
            parts[name] = data
    return parts


@needs_fork
def test_generate_with_a_copy_writes_what_it_writes_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _record_jobs(monkeypatch)
    monkeypatch.setattr(parallel, "LARGE_FROM_REQUIREMENTS", 1)
    beside = _plan(tmp_path / "ut")
    assert started[-1].beside  # the documents' job, started last
    monkeypatch.setenv(parallel.NO_PARALLEL_VARIABLE, "1")
    alone = _plan(tmp_path / "ut")
    assert list(beside) == list(alone)  # the same files, listed in the same order
    for path, content in alone.items():
        assert _comparable(path, beside[path]) == _comparable(path, content), path.name


@needs_fork
def test_template_errors_with_a_copy_are_reported_as_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = tmp_path / "mallar"
    (templates / "sv").mkdir(parents=True)
    (templates / "sv" / "svarsbilaga.md.j2").write_text(
        "{{ nothing_here.at_all }}\n", encoding="utf-8"
    )
    (templates / "sv" / "kravbilaga.md.j2").write_text("{% if %}\n", encoding="utf-8")

    def problems() -> list[str]:
        request = GenerateRequest(
            answers=INCOME_SUPPORT, out=tmp_path / "ut", date=DATE, templates=templates
        )
        with pytest.raises(ProblemsError) as raised:
            generate_documents(request)
        return [
            f"{problem.location.render()}: {problem.message.sv}"
            for problem in raised.value.problems
        ]

    monkeypatch.setattr(parallel, "LARGE_FROM_REQUIREMENTS", 1)
    beside = problems()
    monkeypatch.setenv(parallel.NO_PARALLEL_VARIABLE, "1")
    assert beside == problems()
    assert len(beside) == 2
    assert "kravbilaga" in beside[0]
    assert "svarsbilaga" in beside[1]


@needs_fork
def test_a_large_librarys_cache_entry_is_written_by_a_copy(
    write_library: WriteLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(caching.CACHE_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.setattr(parallel, "LARGE_FROM_REQUIREMENTS", 1)
    folder = write_library()
    loaded = load_library(folder)
    parallel.finish_all()
    entries = list((tmp_path / "cache").glob("*.json"))
    assert len(entries) == 1
    cached = caching.read_entry(entries[0])
    assert cached is not None
    assert cached[0] == loaded.library
    assert load_library(folder).library == loaded.library


# --------------------------------------------------------------------------- loading

DEFAULT_LIBRARY = REPO / "requirement_libraries" / "default"


def _load_both_ways(
    folder: Path, monkeypatch: pytest.MonkeyPatch, limits: Limits = DEFAULT_LIMITS
) -> tuple[tuple[object, list[str]], tuple[object, list[str]], list[bool]]:
    """The library and its problems read with a copy (every library counts as large) and
    without; and whether each job ran beside."""
    monkeypatch.setenv(caching.NO_CACHE_VARIABLE, "1")

    def outcome() -> tuple[object, list[str]]:
        result = load_library(folder, limits=limits)
        return result.library, [
            f"{p.location.render()}: {p.severity.value}: {p.message.sv}" for p in result.problems
        ]

    with monkeypatch.context() as patched:
        started = _record_jobs(patched)
        patched.setattr(parallel, "LARGE_FROM_BYTES", 1)
        beside = outcome()
    jobs = [job.beside for job in started]
    monkeypatch.setenv(parallel.NO_PARALLEL_VARIABLE, "1")
    return beside, outcome(), jobs


@needs_fork
def test_a_library_read_by_two_processes_is_the_library_read_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    beside, alone, jobs = _load_both_ways(DEFAULT_LIBRARY, monkeypatch)
    assert True in jobs
    assert alone[0] is not None
    assert beside == alone


def _copy_of_default(tmp_path: Path) -> Path:
    import shutil

    folder = tmp_path / "bibliotek"
    shutil.copytree(DEFAULT_LIBRARY, folder)
    return folder


@needs_fork
@pytest.mark.parametrize("broken", ["requirements/transparency.yaml", "requirements/audit.yaml"])
def test_errors_in_files_read_by_either_process_are_reported_as_by_one(
    broken: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """transparency.yaml is among the last files (read by the copy), audit.yaml among the
    first; a wrong field and an unknown area in each, which a late check reports."""
    folder = _copy_of_default(tmp_path)
    path = folder / broken
    text = path.read_text(encoding="utf-8")
    first = text.index("  - id: ")
    broken_entry = "  - id: TRASIGT-01\n    area: nowhere\n    kind: nonsense\n    level: maybe\n"
    path.write_text(text[:first] + broken_entry + text[first:], encoding="utf-8")
    beside, alone, jobs = _load_both_ways(folder, monkeypatch)
    assert True in jobs
    assert alone[0] is None
    assert beside == alone
    assert any("nowhere" in problem for problem in alone[1])


def _with_broken_entries(path: Path, count: int) -> None:
    text = path.read_text(encoding="utf-8")
    first = text.index("  - id: ")
    entries = "".join(
        f"  - id: TRASIGT-{n}\n    area: nowhere\n    kind: nonsense\n    level: maybe\n"
        for n in range(count)
    )
    path.write_text(text[:first] + entries + text[first:], encoding="utf-8")


@needs_fork
def test_problems_past_the_limit_are_counted_as_by_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two broken entries in a file this process reads, twelve in one the copy reads, and at
    most three problems of each kind shown: the same three, and the same count of the rest."""
    folder = _copy_of_default(tmp_path)
    _with_broken_entries(folder / "requirements" / "audit.yaml", 2)
    _with_broken_entries(folder / "requirements" / "transparency.yaml", 12)
    few = dataclasses.replace(DEFAULT_LIMITS, max_problems=3)
    beside, alone, jobs = _load_both_ways(folder, monkeypatch, few)
    assert True in jobs
    assert beside == alone
    assert len(alone[1]) == 4  # three shown and one line counting the others
    assert "audit.yaml" in alone[1][0]


@needs_fork
def test_a_file_the_copy_cannot_read_as_yaml_is_reported_as_by_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy_of_default(tmp_path)
    (folder / "requirements" / "transparency.yaml").write_text(
        "requirements: [\n  - id: X\n", encoding="utf-8"
    )
    beside, alone, jobs = _load_both_ways(folder, monkeypatch)
    assert True in jobs
    assert alone[0] is None
    assert beside == alone
    assert any("transparency.yaml:" in problem for problem in alone[1])


@needs_fork
def test_a_link_out_of_the_library_is_opened_by_neither_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from upphandla.library import loading, yamlsource

    folder = _copy_of_default(tmp_path)
    secret = tmp_path / "hemligt.yaml"
    secret.write_text("requirements: []\n", encoding="utf-8")
    (folder / "requirements" / "zz_lank.yaml").symlink_to(secret)
    opened = tmp_path / "opened.txt"
    read_file = yamlsource.load_yaml_file

    def logged(path: Path, *args: object) -> object:
        with opened.open("a", encoding="utf-8") as log:  # shared by the copy and this process
            log.write(f"{path}\n")
        return read_file(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loading, "load_yaml_file", logged)
    beside, alone, jobs = _load_both_ways(folder, monkeypatch)
    assert True in jobs
    assert beside == alone
    assert any("symbolisk länk" in problem for problem in alone[1])
    assert "zz_lank" not in opened.read_text(encoding="utf-8")


@needs_fork
def test_a_copy_under_other_limits_gives_what_one_process_gives(
    write_library: WriteLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A condition deeper than the default limit allows, under limits that allow it: what the
    copy sends back is rebuilt here under the default limits, fails, and is read again here."""
    deep = "not " * 50 + "uses_ai"
    extra = f"""\
requirements:
  - id: R-2
    area: general
    title: {{sv: Andra kravet, en: Second requirement}}
    text: {{sv: Leverantören ska göra mer., en: The supplier shall do more.}}
    level: ska
    verification: [description]
    evidence: {{sv: Beskrivning., en: Description.}}
    phase: tender
    references: [{{source: LOU, ref: "9 kap."}}]
    rationale: {{sv: Därför., en: Because.}}
    when: "{deep}"
    kind: specification
"""
    folder = write_library(files={"zz.yaml": extra})
    roomy = dataclasses.replace(DEFAULT_LIMITS, max_expression_depth=200)
    beside, alone, jobs = _load_both_ways(folder, monkeypatch, roomy)
    assert True in jobs
    assert alone[0] is not None, alone[1]
    assert [r.id for r in alone[0].requirements] == ["R-1", "R-2"]  # type: ignore[attr-defined]
    assert beside == alone
    assert load_library(folder).library is None  # the default limits refuse it
