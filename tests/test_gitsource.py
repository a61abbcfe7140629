"""The commit of a release is read without running git: a book that comes with its own
``.git`` whose configuration names programs (``core.fsmonitor``, ``gpg.program``,
``core.pager``, ``diff.external``, hooks) never gets one of them run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, ROOT, write_book

from folio.gitsource import read_head

EVIL = "#!/bin/sh\ntouch '{marker}'\ncat >/dev/null\n"


def git(folder: Path, *args: str) -> str:
    """git, run by the test itself, with no configuration but the identity."""
    environment = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
                   "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.org",
                   "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.org",
                   "GIT_COMMITTER_DATE": "1700000000 +0000",
                   "GIT_AUTHOR_DATE": "1700000000 +0000"}
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          check=True, env=environment).stdout.strip()


@pytest.fixture
def hostile_repo(tmp_path) -> tuple[Path, Path, dict]:
    """A book in a git repository tagged v1.2.3, whose .git/config then names a program
    that makes a marker file for every setting git may run one for. Returns (book,
    marker, what git said of HEAD before the configuration was made hostile)."""
    book = write_book(tmp_path / "book", MINIMAL_CONFIG + "version: 1.2.3\n")
    git(book, "init", "-q")
    git(book, "add", ".")
    git(book, "commit", "-q", "-m", "first")
    git(book, "tag", "v1.2.3-light")
    git(book, "tag", "-a", "v1.2.3", "-m", "release")
    known = {"commit": git(book, "rev-parse", "HEAD"),
             "time": int(git(book, "log", "-1", "--format=%ct")),
             "tag": git(book, "describe", "--exact-match", "--tags", "HEAD")}
    marker = tmp_path / "marker"
    program = tmp_path / "evil.sh"
    program.write_text(EVIL.format(marker=marker))
    program.chmod(0o755)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "pre-commit", "post-index-change", "reference-transaction"):
        shutil.copy(program, hooks / hook)
    with (book / ".git" / "config").open("a") as config:
        config.write(textwrap.dedent(f"""\
            [core]
                fsmonitor = {program}
                pager = {program}
                hooksPath = {hooks}
                sshCommand = {program}
                askPass = {program}
            [gpg]
                program = {program}
            [log]
                showSignature = true
            [diff]
                external = {program}
            [credential]
                helper = !{program}
            """))
    return book, marker, known


def test_the_hostile_configuration_makes_git_run_its_program(hostile_repo):
    """The repository is really hostile: git itself runs the program."""
    book, marker, _ = hostile_repo
    subprocess.run(["git", "-C", str(book), "status"], capture_output=True, check=False,
                   env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    assert marker.exists()


def test_head_is_read_without_running_any_program(hostile_repo, tmp_path):
    book, marker, known = hostile_repo
    trace = tmp_path / "started.log"
    probe = textwrap.dedent(f"""\
        import os, sys
        log = open({str(trace)!r}, "a")
        def hook(event, args):
            if event in ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn",
                         "os.spawn", "os.fork"):
                log.write(event + " " + repr(args)[:200] + "\\n"); log.flush()
        sys.addaudithook(hook)
        from pathlib import Path
        from folio.gitsource import read_head
        from folio.release import _current_tag, _source, check_tag
        from folio.read import load_config
        head = read_head(Path({str(book / 'chapters')!r}))
        print(head.commit, head.time, head.tag)
        print(*_source(Path({str(book)!r})), _current_tag(Path({str(book)!r})))
        check_tag(load_config(Path({str(book)!r})))
        """)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={**environment, "PYTHONPATH": str(ROOT)}, check=False,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    first, second = result.stdout.splitlines()
    assert first == f"{known['commit']} {known['time']} {known['tag']}"
    assert second == first
    assert not marker.exists(), "a program named by the repository's configuration ran"
    assert not trace.exists() or trace.read_text() == "", trace.read_text()


def test_a_release_of_a_hostile_repository_runs_nothing(hostile_repo, tmp_path):
    """Through the command line: the tag is checked (and found wrong) with no program run."""
    book, marker, _ = hostile_repo
    config = (book / "book.yaml").read_text().replace("version: 1.2.3", "version: 2.0.0")
    (book / "book.yaml").write_text(config)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "release", "--book",
                             str(book), "--output", str(tmp_path / "out")],
                            capture_output=True, text=True, env=environment, check=False,
                            timeout=120)
    assert result.returncode == 1, result.stderr
    assert "the tag 'v1.2.3' does not match version '2.0.0'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists()


def test_tags_and_commits_as_git_reads_them(tmp_path):
    book = write_book(tmp_path / "book")
    assert read_head(book) is None  # no repository
    git(book, "init", "-q")
    assert read_head(book) is None  # no commit yet
    git(book, "add", ".")
    git(book, "commit", "-q", "-m", "first")
    head = read_head(book)
    assert head is not None and head.tag is None
    assert head.commit == git(book, "rev-parse", "HEAD")
    git(book, "tag", "v0.1.0")
    assert read_head(book).tag == "v0.1.0"
