"""folio.typeset.pool: sections laid out side by side in forked workers."""

import os
import subprocess
import sys
import threading

import pytest

from folio.errors import BuildError
from folio.typeset.pool import LayoutPool, usable_cores


def _square(job):
    if job == "fail":
        raise BuildError("the PDF needed fonts outside the theme (DejaVuSans)")
    return job * job, os.getpid()


def _all(pool: LayoutPool, jobs) -> dict:
    for tag, job in enumerate(jobs):
        pool.submit(tag, job)
    results = {}
    while pool.busy:
        tag, value = pool.next_result()
        results[tag] = value
    return results


# A process of one thread, as a build is: the test session runs other threads (a
# browser's), and the pool never forks beside another thread.
_IN_A_FRESH_PROCESS = """
import os, sys
sys.path.insert(0, {tests!r})
from test_pool import _all, _square
from folio.errors import BuildError
from folio.typeset.pool import LayoutPool

pool = LayoutPool(_square, workers=2)
results = _all(pool, [3, 4, 5, 6])
assert {{t: v for t, (v, _) in results.items()}} == {{0: 9, 1: 16, 2: 25, 3: 36}}, results
assert os.getpid() not in {{pid for _, pid in results.values()}}, "ran here"
assert pool.forked == 2, pool.forked
pool.close()
pool = LayoutPool(_square, workers=2)
try:
    _all(pool, [2, "fail", 3, 4, 5])
except BuildError as error:
    assert "outside the theme" in str(error)
else:
    raise AssertionError("the worker's error was not raised")
assert pool.forked == 2 and not pool._workers, "workers left after an error"
print("ok")
"""


def test_jobs_run_in_forked_workers_and_an_error_stops_them():
    from pathlib import Path

    script = _IN_A_FRESH_PROCESS.format(tests=str(Path(__file__).parent))
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0 and ran.stdout.strip() == "ok", ran.stderr


def test_an_error_in_a_job_run_here_is_raised():
    with pytest.raises(BuildError, match="outside the theme"), \
            LayoutPool(_square, workers=1) as pool:
        _all(pool, [2, "fail", 3])


def test_no_worker_is_forked_while_another_thread_runs():
    """A fork copies one thread; a lock another holds would stay locked in the child."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with LayoutPool(_square, workers=2) as pool:
            results = _all(pool, [3, 4])
        assert pool.forked == 0
        assert {pid for _value, pid in results.values()} == {os.getpid()}
        assert [value for value, _pid in results.values()] == [9, 16]
    finally:
        stop.set()
        other.join()


def test_one_core_lays_out_here_in_order():
    with LayoutPool(_square, workers=1) as pool:
        results = _all(pool, [2, 3])
    assert pool.forked == 0 and results[1][0] == 9


def test_the_cores_a_process_may_use_are_counted():
    limited = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-c",
         "from folio.typeset.pool import usable_cores; print(usable_cores())"],
        capture_output=True, text=True, check=True)
    assert limited.stdout.strip() == "1"
    assert usable_cores() == len(os.sched_getaffinity(0))
