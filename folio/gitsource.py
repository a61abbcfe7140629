"""The commit a release is built from, read from the book's git repository without
running git.

A book may come with its own ``.git`` (in a tarball, a zip), and a repository's
own configuration can make ``git`` run programs (``core.fsmonitor``,
``gpg.program``, ``core.pager``, ``diff.external``, hooks …); options and
environment variables can switch some of these off, but not every one a future
git adds. Dulwich, a pure-Python implementation of git's formats, reads the
objects and refs themselves and never runs a program, whatever the
configuration says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Head:
    commit: str  # the full hexadecimal id of HEAD
    time: int  # its committer time, seconds since the epoch
    tag: str | None  # the tag naming HEAD (``v1.0.0``), when one does


def read_head(folder: Path) -> Head | None:
    """HEAD of the repository holding *folder* (found as git does, upwards), with its
    time and the tag on it; None when there is no repository or it cannot be read.
    When several tags name HEAD, the annotated one made last wins, as with
    ``git describe --exact-match --tags``."""
    from dulwich.errors import NotGitRepository
    from dulwich.objects import Commit, Tag
    from dulwich.repo import Repo

    try:
        repo = Repo.discover(str(folder))
    except (NotGitRepository, OSError, ValueError):
        return None
    try:
        commit_id = repo.head()
        commit = repo[commit_id]
        if not isinstance(commit, Commit):
            return None
        candidates = []
        for name, target in repo.refs.as_dict(b"refs/tags").items():
            tag = _object(repo, target)
            when, annotated = 0, False
            while isinstance(tag, Tag):
                annotated, when = True, max(when, tag.tag_time)
                target = tag.object[1]
                tag = _object(repo, target)
            if target == commit_id:
                candidates.append((annotated, when, name.decode("utf-8", "replace")))
        tag_name = max(candidates)[2] if candidates else None
        return Head(commit_id.decode(), int(commit.commit_time), tag_name)
    except (KeyError, OSError, ValueError, AssertionError):
        return None
    finally:
        repo.close()


def _object(repo, object_id: bytes):
    """The object *object_id* of *repo*, or None when the repository lacks it (a
    shallow clone)."""
    try:
        return repo[object_id]
    except KeyError:
        return None
