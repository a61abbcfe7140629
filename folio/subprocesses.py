"""Run a helper program (pandoc) on a budget of processor time, not of wall time.

A budget in wall time fails a real book on a busy machine: pandoc reading 2 KB
has been seen to take 17 s of wall time at a load of 20 while using a fraction of
a second of processor time. The kernel counts the child's processor time
(``RLIMIT_CPU``, set on the child as soon as it starts) and stops it at the
budget; a wall-clock bound many times larger still ends a child that waits on
nothing."""

from __future__ import annotations

import contextlib
import math
import resource
import signal
import subprocess
from dataclasses import dataclass

WALL_FACTOR = 8  # wall time allowed, in budgets: a loaded machine, never a hang


@dataclass
class Finished:
    """What a run left: its exit status, its output and error text, and whether it
    was stopped for spending more than its budget."""

    returncode: int
    stdout: str
    stderr: str
    over_budget: bool


def run_on_budget(command: list[str], stdin: str | None, seconds: float,
                  environment: dict[str, str] | None = None) -> Finished:
    """Run *command* with *stdin* (text, UTF-8) and *seconds* of processor time;
    its output as text. Raises OSError when it cannot be started."""
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8",
                               env=environment)
    limit = max(1, math.ceil(seconds))
    # gone already, or not ours to limit: the wall-clock bound still holds
    with contextlib.suppress(ProcessLookupError, PermissionError, ValueError):
        resource.prlimit(process.pid, resource.RLIMIT_CPU, (limit, limit + 1))
    try:
        stdout, stderr = process.communicate(stdin, timeout=seconds * WALL_FACTOR)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return Finished(-signal.SIGKILL, "", "", True)
    stopped = process.returncode in (-signal.SIGXCPU, -signal.SIGKILL)
    return Finished(process.returncode, stdout, stderr, stopped)
