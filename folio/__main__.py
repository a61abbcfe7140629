"""``python -m folio`` and the ``folio`` command: the command line, with Ctrl-C at any
moment, even while the modules load, ending in one line and exit status 130
instead of a traceback.

Python raises KeyboardInterrupt wherever the program is; inside the import
machinery (a lock's weak-reference callback) it is printed as "Exception
ignored" with a traceback, and lost. So Ctrl-C is taken by :func:`_interrupt`,
which raises it at once outside an import and, inside one, again 50 ms later."""

from __future__ import annotations

import signal
import sys

INTERRUPTED = 130  # 128 + SIGINT, as shells report it
RETRY = 0.05  # seconds until an interrupt that came during an import is raised


def run() -> None:
    """Load and run the command line (``folio.cli``)."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _interrupt)
        signal.signal(signal.SIGALRM, _interrupt)
    try:
        import click

        from .cli import main

        try:
            code = main.main(standalone_mode=False)
        except click.exceptions.Abort:  # click's name for Ctrl-C
            raise KeyboardInterrupt from None
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        sys.exit(code if isinstance(code, int) else 0)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: the previous outputs are unchanged\n")
        sys.exit(INTERRUPTED)


def _interrupt(signum, frame) -> None:
    """Ctrl-C (or its retry): KeyboardInterrupt, unless Python is importing a module."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            signal.setitimer(signal.ITIMER_REAL, RETRY)
            return
        frame = frame.f_back
    raise KeyboardInterrupt


if __name__ == "__main__":
    run()
