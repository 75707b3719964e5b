"""Issue 13, items 5 and 6: all or nothing for real, and no answers file overwritten unasked.

Every output of a command goes to a temporary file first and is moved into place only when all
are complete; a failure part-way (a full disk, a read-only folder, a file that cannot be
replaced) leaves every file as it was and names the file and the reason in Swedish. Faults are
injected as ``OSError`` everywhere; where the tests run as root they are also produced for real
on a small tmpfs (skipped cleanly elsewhere, as in CI without privileges).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, WriteLibrary
from upphandla import files as writing
from upphandla.files import WriteError, write_all_atomic
from upphandla.interview.flow import QuestionRequest
from upphandla.interview.prompters import ScriptedPrompter
from upphandla.interview.session import (
    AnswersFileChanged,
    InterviewRequest,
    open_interview,
    run_interview_session,
)

EXAMPLE = REPO / "examples" / "ekonomiskt-bistand.yaml"


def five_files(folder: Path) -> dict[Path, bytes]:
    return {folder / f"{index}.txt": f"new {index}".encode() for index in range(5)}


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every entry of ``folder`` with its bytes (None for a folder)."""
    return {
        path.name: None if path.is_dir() else path.read_bytes() for path in sorted(folder.iterdir())
    }


# --------------------------------------------------------------------------- injected faults


def test_a_full_disk_at_the_third_file_leaves_every_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "0.txt").write_bytes(b"old 0")
    before = snapshot(tmp_path)
    real = os.fsync
    calls = []

    def fsync(handle: int) -> None:
        calls.append(handle)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(handle)

    monkeypatch.setattr(writing.os, "fsync", fsync)
    with pytest.raises(WriteError) as failed:
        write_all_atomic(five_files(tmp_path), force=True)
    assert failed.value.path == tmp_path / "2.txt"
    rendered = failed.value.problems[0].render("sv")
    assert rendered.startswith(
        f"{tmp_path / '2.txt'}: fel: Filen kunde inte skrivas: disken är full."
    )
    assert snapshot(tmp_path) == before  # no new file, no temporary file, the old one intact


def test_a_file_that_cannot_be_replaced_puts_back_the_ones_already_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(5):
        (tmp_path / f"{index}.txt").write_bytes(f"old {index}".encode())
    before = snapshot(tmp_path)
    real = Path.replace

    def replace(self: Path, target: Any) -> Path:
        if Path(target).name == "3.txt" and self.name.endswith(".tmp"):
            # What Windows says when Word has the file open.
            raise PermissionError(errno.EACCES, "The process cannot access the file")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(WriteError) as failed:
        write_all_atomic(five_files(tmp_path), force=True)
    assert failed.value.path == tmp_path / "3.txt"
    assert "behörighet saknas" in failed.value.problems[0].render("sv")
    assert snapshot(tmp_path) == before


def test_a_locked_file_on_windows_is_named_as_open_in_another_program(tmp_path: Path) -> None:
    error = OSError(errno.EACCES, "The process cannot access the file")
    error.winerror = 32  # type: ignore[attr-defined]
    rendered = WriteError(tmp_path / "kravbilaga.docx", error).problems[0].render("sv")
    assert "filen är öppen i ett annat program (till exempel Word); stäng den" in rendered


def test_a_folder_in_the_way_of_a_file_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "2.txt").mkdir()
    (tmp_path / "0.txt").write_bytes(b"old 0")
    before = snapshot(tmp_path)
    with pytest.raises(WriteError, match="2.txt"):
        write_all_atomic(five_files(tmp_path), force=True)
    assert snapshot(tmp_path) == before  # 2.txt is still the folder it was


def test_an_out_that_is_a_file_is_a_located_error_and_creates_nothing(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    out.write_bytes(b"a file")
    with pytest.raises(WriteError) as failed:
        write_all_atomic({out / "sub" / "a.txt": b"x"}, force=False)
    assert "en del av sökvägen är en fil, inte en mapp" in failed.value.problems[0].render("sv")
    assert out.read_bytes() == b"a file"


def test_folders_created_for_a_failed_write_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(handle: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(writing.os, "fsync", fail)
    with pytest.raises(WriteError, match="input/output"):
        write_all_atomic({tmp_path / "a" / "b" / "c.txt": b"x"}, force=False)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="symbolic links need privileges on Windows")
def test_a_symlink_at_the_output_path_is_replaced_never_written_through(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "svar.yaml").symlink_to(victim)
    write_all_atomic({out / "svar.yaml": b"answers"}, force=True)
    assert victim.read_bytes() == b"precious"
    assert not (out / "svar.yaml").is_symlink()
    assert (out / "svar.yaml").read_bytes() == b"answers"


def test_temporary_files_are_created_exclusively_under_a_random_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = []
    real = writing.tempfile.mkstemp

    def mkstemp(**kwargs: Any) -> tuple[int, str]:
        handle, name = real(**kwargs)
        names.append(name)
        return handle, name

    monkeypatch.setattr(writing.tempfile, "mkstemp", mkstemp)
    write_all_atomic({tmp_path / "a.txt": b"1"}, force=False)
    write_all_atomic({tmp_path / "a.txt": b"2"}, force=True)
    assert len(set(names)) == len(names) >= 2
    assert all(str(os.getpid()) not in Path(name).name for name in names)


# --------------------------------------------------------------------------- the CLI


def run_cli(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "upphandla", *arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, "UPPHANDLA_NO_CACHE": "1"},
    )


def test_generate_with_a_file_in_the_way_says_which_and_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    done = run_cli("generate", "--answers", str(EXAMPLE), "--out", str(out), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    before = snapshot(out)
    (out / "urval.json").unlink()
    (out / "urval.json").mkdir()  # a folder where a file must go: it cannot be replaced
    (out / "urval.json" / "x").write_text("keep", encoding="utf-8")
    after_setup = {name: data for name, data in before.items() if name != "urval.json"}
    done = run_cli(
        "generate", "--answers", str(EXAMPLE), "--out", str(out), "--force", cwd=tmp_path
    )
    assert done.returncode == 1
    assert f"{out / 'urval.json'}: fel: Filen kunde inte skrivas:" in done.stderr
    assert "Traceback" not in done.stderr
    assert {n: d for n, d in snapshot(out).items() if n != "urval.json"} == after_setup
    assert sorted(p.name for p in out.iterdir()) == sorted(before)


@contextlib.contextmanager
def tmpfs(folder: Path, options: str) -> Iterator[Path]:
    folder.mkdir()
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI may not have it)")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace')}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_really_full_disk_leaves_nothing_and_names_the_file(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "small", "size=160k") as small:
        out = small / "ut"
        done = run_cli(
            "generate", "--answers", str(EXAMPLE), "--out", str(out), "--format", "docx,md,json",
            cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert "Filen kunde inte skrivas: disken är full." in done.stderr
        assert "Traceback" not in done.stderr
        assert list(small.iterdir()) == []  # not even the folder ut


def test_a_read_only_drive_is_a_message_not_an_unexpected_error(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "ro", "ro,size=64k") as read_only:
        done = run_cli(
            "generate", "--answers", str(EXAMPLE), "--out", str(read_only / "ut"), "--lang", "en",
            cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 1, done.stderr
        assert "The file could not be written: the drive is read-only." in done.stderr


def unprivileged(command: list[str]) -> list[str]:
    """``command`` as a user without privileges: root writes anywhere, so a folder made
    unwritable only stops someone else. Skips where that user cannot run this Python."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv to drop privileges")
    dropped = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run(
        [*dropped, sys.executable, "-c", "import upphandla"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip("the unprivileged user cannot run this Python and upphandla")
    return [*dropped, *command]


@pytest.mark.skipif(os.name != "posix", reason="file permissions")
def test_a_folder_made_unwritable_is_a_message(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    out.chmod(0o555)
    try:
        command = unprivileged(
            [sys.executable, "-m", "upphandla", "declare", "--answers", str(EXAMPLE),
             "--out", str(out)]
        )  # fmt: skip
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "UPPHANDLA_NO_CACHE": "1"},
        )
        assert done.returncode == 1, done.stderr
        assert "Filen kunde inte skrivas: behörighet saknas." in done.stderr
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o755)


def test_an_output_file_made_unchangeable_leaves_every_file_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    first = run_cli(
        "generate", "--answers", str(EXAMPLE), "--out", str(out), "--date", "2026-01-15",
        "--format", "docx,md,json", cwd=tmp_path,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    locked = out / "svar.yaml"  # written after the documents
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(locked)], check=False).returncode:
        pytest.skip("no immutable files here (chattr +i needs root and ext4 or the like)")
    try:
        again = run_cli(
            "generate", "--answers", str(EXAMPLE), "--out", str(out), "--date", "2026-02-01",
            "--format", "docx,md,json", "--force", cwd=tmp_path,
        )  # fmt: skip
    finally:
        subprocess.run([chattr, "-i", str(locked)], check=False)
    assert again.returncode == 1, again.stderr
    assert f"{locked}: fel: Filen kunde inte skrivas: åtgärden är inte tillåten." in again.stderr
    assert snapshot(out) == before  # the documents moved into place before it are put back


# --------------------------------------------------------------------------- item 6: answers


class EditingPrompter(ScriptedPrompter):
    """Edits the answers file by hand (as a person in an editor would) before answering."""

    def __init__(self, replies: list[Any], path: Path, text: str) -> None:
        super().__init__(replies)
        self.path, self.text = path, text

    def ask(self, request: QuestionRequest) -> Any:
        if len(self.asked) == 1:
            self.path.write_text(self.text, encoding="utf-8")
        return super().ask(request)


HAND_EDIT = "# edited by hand\nanswers:\n  uses_ai: false\n"


def test_an_answers_file_edited_during_the_interview_is_not_overwritten(
    write_library: WriteLibrary, tmp_path: Path
) -> None:
    library = write_library()
    output = tmp_path / "svar.yaml"
    request = InterviewRequest(output=output, library_paths=(library,))
    prompter = EditingPrompter([True, ["chatbot"]], output, HAND_EDIT)
    with pytest.raises(AnswersFileChanged) as changed:
        run_interview_session(request, prompter)
    assert output.read_text(encoding="utf-8") == HAND_EDIT
    rendered = changed.value.problems[0].render("sv")
    assert rendered.startswith(f"{output}: fel: Svarsfilen har ändrats på disken")


def test_a_person_at_the_terminal_is_asked_before_the_file_is_overwritten(
    write_library: WriteLibrary, tmp_path: Path
) -> None:
    library = write_library()
    output = tmp_path / "svar.yaml"
    asked: list[Path] = []
    request = InterviewRequest(output=output, library_paths=(library,))

    def no(path: Path) -> bool:
        asked.append(path)
        return False

    prompter = EditingPrompter([True, ["chatbot"]], output, HAND_EDIT)
    with pytest.raises(AnswersFileChanged):
        run_interview_session(request, prompter, confirm_overwrite=no)
    assert asked == [output]
    assert output.read_text(encoding="utf-8") == HAND_EDIT

    prompter = EditingPrompter([True, ["chatbot"]], output, HAND_EDIT)
    result = run_interview_session(request, prompter, confirm_overwrite=lambda path: True)
    assert result.answers["functions"] == ["chatbot"]
    assert "chatbot" in output.read_text(encoding="utf-8")


def test_an_unchanged_file_is_saved_after_every_answer_without_asking(
    write_library: WriteLibrary, tmp_path: Path
) -> None:
    library = write_library()
    output = tmp_path / "svar.yaml"
    output.write_text("answers:\n  uses_ai: true\n", encoding="utf-8")

    def never(path: Path) -> bool:
        raise AssertionError("asked although nothing changed")

    session = open_interview(
        InterviewRequest(output=output, library_paths=(library,)), confirm_overwrite=never
    )
    session.ask(ScriptedPrompter([["search"]]))
    session.finish()
    assert "search" in output.read_text(encoding="utf-8")
