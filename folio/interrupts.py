"""Ctrl-C at any moment ends a command with one line and exit status 130.

Python raises KeyboardInterrupt wherever the program is. Inside the import
machinery (a lock's weak-reference callback), or inside a finalizer or a garbage
collector's callback, it is printed as "Exception ignored" and lost: the command
would run on as if nothing had been pressed. So the interrupt is taken by
:func:`interrupt`, which raises it at once outside an import and, until the
command has caught it (:func:`settle`), raises it again every RETRY seconds (by
SIGALRM): an interrupt that was lost is raised again, somewhere it is not."""

from __future__ import annotations

import signal

RETRY = 0.05  # seconds until an interrupt not yet caught is raised again
_pending = False


def install() -> None:
    """Take Ctrl-C (and its retries) with :func:`interrupt`, unless the program that
    runs Folio has a handler of its own."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, interrupt)
        signal.signal(signal.SIGALRM, interrupt)


def settle() -> None:
    """The interrupt was caught where the command reports it: no retry is due."""
    global _pending
    _pending = False
    signal.setitimer(signal.ITIMER_REAL, 0)


def interrupt(signum, frame) -> None:
    """Ctrl-C, or the retry of one not yet caught: KeyboardInterrupt, unless Python is
    importing a module (then only the retry)."""
    global _pending
    if signum == signal.SIGALRM and not _pending:
        return  # the retry of an interrupt already caught
    _pending = True
    signal.setitimer(signal.ITIMER_REAL, RETRY)
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return
        frame = frame.f_back
    raise KeyboardInterrupt
