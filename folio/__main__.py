"""``python -m folio`` and the ``folio`` command: the command line, with Ctrl-C at any
moment, even while the modules load, ending in one line and exit status 130
instead of a traceback."""

from __future__ import annotations

import sys

INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def run() -> None:
    """Load and run the command line (``folio.cli``)."""
    try:
        from .cli import main

        main()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: the previous outputs are unchanged\n")
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    run()
