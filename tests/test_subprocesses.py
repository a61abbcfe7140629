"""folio.subprocesses: a helper program's budget is processor time, not wall time."""

import sys
import time

from folio.subprocesses import run_on_budget


def test_a_child_that_spends_its_budget_is_stopped():
    started = time.monotonic()
    done = run_on_budget([sys.executable, "-c", "while True: pass"], "", 1)
    assert done.over_budget and done.returncode != 0
    assert time.monotonic() - started < 8 * 1 + 5


def test_waiting_is_not_spending():
    """A child that waits 2 s (a busy machine, slow storage) on a budget of 1 s of
    processor time finishes: only the time it computes counts."""
    script = "import sys, time; time.sleep(2); print(sys.stdin.read().upper())"
    done = run_on_budget([sys.executable, "-c", script], "ünïcode", 1)
    assert not done.over_budget and done.returncode == 0
    assert done.stdout.strip() == "ÜNÏCODE"


def test_a_child_that_waits_forever_is_ended_by_the_wall_clock_bound(monkeypatch):
    monkeypatch.setattr("folio.subprocesses.WALL_FACTOR", 2)
    done = run_on_budget([sys.executable, "-c", "import time; time.sleep(60)"], "", 1)
    assert done.over_budget
