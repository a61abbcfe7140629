"""When a build may fork: only while it runs a single thread.

A forked child has only the thread that forked; a lock another thread held at
that moment stays locked in the child for ever. Pango, for one, sets fontconfig
up in a thread of its own on a machine whose font cache is cold, and a child
forked then waits for that lock as soon as it measures text."""

from __future__ import annotations

import os


def fork_is_safe() -> bool:
    """Whether this process runs one thread (Linux says; elsewhere, never fork)."""
    if not hasattr(os, "fork"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False
