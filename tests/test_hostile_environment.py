"""Hostile surroundings of a build: links, FIFOs and devices in the book's folder,
unreadable files, a read-only or full output, two builds at once, Ctrl-C while
starting, and a bad save while ``serve`` watches. Each ends in a clean answer (or
a good build) within a timeout, so that a regression fails instead of hanging."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
import time

import pytest
from helpers import ROOT, snapshot, tiny_png, write_book
from test_hostile import make_outside, outside_opens, traced

from folio.build import build
from folio.output import locked

BUILD = [sys.executable, str(ROOT / "build.py")]
# Root reads every file whatever its mode; without these two capabilities (setpriv,
# from util-linux, which every Debian has) it obeys the mode bits of its own files, as
# any other user does. Another user needs nothing: the modes apply to it already.
WITHOUT_OVERRIDE = (["setpriv", "--inh-caps=-dac_override,-dac_read_search",
                     "--bounding-set=-dac_override,-dac_read_search"]
                    if os.geteuid() == 0 else [])


def _cli(*args: str, timeout: float = 180, prefix: list[str] = (), **options):
    return subprocess.run([*prefix, *BUILD, *args], capture_output=True, text=True,
                          timeout=timeout, check=False, **options)


def test_links_fifos_and_devices_in_the_folder_are_never_opened(tmp_path):
    """Files the book does not use, in its folder: a link to a secret, to a folder
    outside, to /dev/zero, and a FIFO. The build reads none of them, and the
    up-to-date check still sees a change of the files it may read."""
    outside = make_outside(tmp_path)
    book = write_book(tmp_path / "book")
    (book / "notes").mkdir()
    (book / "notes" / "secret.md").symlink_to(outside / "secret.txt")
    (book / "notes" / "elsewhere").symlink_to(outside)
    (book / "chapters" / "zero.md").symlink_to("/dev/zero")
    os.mkfifo(book / "chapters" / "pipe.md")
    result, opened, _ = traced(tmp_path, "html", "--book", "book", "--output", "output",
                               timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not outside_opens(tmp_path, opened)
    assert not any(p.startswith(str(outside.resolve())) or p == "/dev/zero" for p in opened)
    assert not any(p.endswith("pipe.md") for p in opened)
    again, _, _ = traced(tmp_path, "html", "--book", "book", "--output", "output", timeout=120)
    assert "up to date" in again.stderr
    (book / "notes" / "plain.md").write_text("new")
    third, _, _ = traced(tmp_path, "html", "--book", "book", "--output", "output", timeout=120)
    assert "up to date" not in third.stderr and third.returncode == 0


@pytest.mark.parametrize("delay", [0.02, 0.1, 0.2, 0.35, 0.6])
def test_ctrl_c_while_starting_ends_without_a_traceback(tmp_path, delay):
    """Ctrl-C at *delay* seconds after Folio's code starts (``-X importtime`` tells when
    its first module is loaded): while the modules load, while the manuscript is read,
    while the web book is made."""
    book = write_book(tmp_path / "book")
    process = subprocess.Popen([sys.executable, "-X", "importtime", *BUILD[1:], "html",
                                "--book", str(book), "--output", str(tmp_path / "output")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stderr is not None
    for line in process.stderr:
        if line.rstrip().endswith("folio.__main__"):
            break
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr[-3000:]
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr[-3000:]
    assert stderr.rstrip().endswith("interrupted: the previous outputs are unchanged")
    assert not (tmp_path / "output").exists()


def test_a_second_build_into_the_same_output_is_refused(tmp_path):
    book = write_book(tmp_path / "book")
    output = tmp_path / "output"
    build(book, output, ["html"])
    (book / "chapters" / "one.md").write_text("# One {#one}\n\nChanged.\n")
    before = snapshot(output)
    with locked(output):
        result = _cli("html", "--book", str(book), "--output", str(output), cwd=tmp_path)
    assert result.returncode == 1
    assert "output: another build is writing here" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "output"]
    after = _cli("html", "--book", str(book), "--output", str(output))
    assert after.returncode == 0, after.stderr
    assert "Changed." in (output / "html" / "one.html").read_text()


def test_two_builds_at_once_never_break_each_other(tmp_path):
    book = write_book(tmp_path / "book")
    output = tmp_path / "output"
    processes = [subprocess.Popen([*BUILD, "html", "--book", str(book), "--output",
                                   str(output)], stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    results = [(p.wait(timeout=180), p.stderr.read()) for p in processes]
    for status, stderr in results:
        assert "Traceback" not in stderr and "internal error" not in stderr, stderr
        assert status == 0 or "another build is writing here" in stderr, stderr
    assert any(status == 0 for status, _ in results)
    assert (output / "html" / "one.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "output"]


def test_an_unreadable_chapter_is_a_clean_error_and_an_unlisted_one_is_skipped(tmp_path):
    book = write_book(tmp_path / "book")
    (book / "chapters" / "draft.md").write_text("not listed")
    (book / "chapters" / "draft.md").chmod(0)
    made = _cli("html", "--book", str(book), "--output", str(tmp_path / "output"),
                prefix=WITHOUT_OVERRIDE)
    assert made.returncode == 0, made.stderr
    (book / "chapters" / "one.md").chmod(0)
    for command in (["html", "--output", str(tmp_path / "output")], ["check"]):
        result = _cli(*command, "--book", str(book), prefix=WITHOUT_OVERRIDE, cwd=tmp_path)
        assert result.returncode == 1, result.stderr
        assert "book/chapters/one.md: " in result.stdout + result.stderr
        assert "Permission denied" in result.stdout + result.stderr
        assert "Traceback" not in result.stderr


def test_a_read_only_output_folder_is_refused_and_left_as_it_was(tmp_path):
    book = write_book(tmp_path / "book")
    output = tmp_path / "output"
    build(book, output, ["html"])
    (book / "chapters" / "one.md").write_text("# One {#one}\n\nChanged.\n")
    before = snapshot(output)
    output.chmod(0o555)
    try:
        result = _cli("html", "--book", str(book), "--output", str(output),
                      prefix=WITHOUT_OVERRIDE, cwd=tmp_path)
    finally:
        output.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "output: the output folder cannot be written (read-only)" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "output"]


@pytest.mark.parametrize("command", ["html", "all"])
def test_a_full_disk_is_a_clean_error(tmp_path, command):
    """Files may grow to 8 KB only (RLIMIT_FSIZE; SIGXFSZ ignored, so a write past it
    fails with EFBIG, as one on a full disk fails with ENOSPC): the web book's fonts
    do not fit."""
    book = write_book(tmp_path / "book")
    output = tmp_path / "output"
    (output / "html").mkdir(parents=True)
    (output / "html" / "index.html").write_text("previous")
    before = snapshot(output)

    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024, 8 * 1024))

    result = _cli(command, "--book", str(book), "--output", str(output), cwd=tmp_path,
                  preexec_fn=small_files)
    assert result.returncode == 1, result.stderr
    assert "output: cannot write the outputs: File too large" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "output"]


def test_serve_survives_a_bad_save_and_rebuilds_after_the_fix(tmp_path):
    from folio.serve import Preview

    book = write_book(tmp_path / "book", files={"images/red.png": ""})
    (book / "images" / "red.png").write_bytes(tiny_png())
    messages: list[str] = []
    preview = Preview(book, tmp_path / "output", ["html"], messages.append)
    assert preview.rebuild()
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()

    def wait_for(condition, what: str) -> None:
        deadline = time.monotonic() + 90
        while not condition():
            assert watcher.is_alive(), f"the watcher died: {messages[-3:]}"
            assert time.monotonic() < deadline, f"no {what}: {messages[-5:]}"
            time.sleep(0.2)

    try:
        time.sleep(1)  # let the watcher start
        (book / "chapters" / "one.md").write_bytes(b"# One {#one}\n\nBad \xff byte.\n")
        wait_for(lambda: any("not UTF-8" in m for m in messages), "report of the bad save")
        assert preview.version == 1
        (book / "chapters" / "one.md").write_text("# One {#one}\n\nFixed.\n")
        wait_for(lambda: preview.version == 2, "rebuild after the fix")
        assert "Fixed." in (tmp_path / "output" / "html" / "one.html").read_text()
    finally:
        stop.set()
        watcher.join(timeout=10)


@pytest.mark.parametrize("kind", ["link outside", "FIFO"])
def test_the_changelog_is_read_by_the_same_rule(tmp_path, kind):
    from folio.errors import BuildError
    from folio.release import release_notes

    outside = make_outside(tmp_path)
    book = write_book(tmp_path / "book")
    if kind == "FIFO":
        os.mkfifo(book / "CHANGELOG.md")
    else:
        (outside / "CHANGELOG.md").write_text("## 0.1.0\n\nSecret notes.\n")
        (book / "CHANGELOG.md").symlink_to(outside / "CHANGELOG.md")
    with pytest.raises(BuildError) as raised:
        release_notes(book, "0.1.0")
    assert raised.value.path == book / "CHANGELOG.md"
    assert ("FIFO" if kind == "FIFO" else "outside the book") in raised.value.message
