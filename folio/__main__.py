"""``python -m folio`` and the ``folio`` command: the command line, with Ctrl-C at any
moment, even while the modules load, ending in one line and exit status 130
instead of a traceback.

(``folio.interrupts`` says how: an interrupt Python would lose is raised again.)"""

from __future__ import annotations

import sys

from . import interrupts

INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def run() -> None:
    """Load and run the command line (``folio.cli``)."""
    interrupts.install()
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
        interrupts.settle()
        sys.stderr.write("interrupted: the previous outputs are unchanged\n")
        sys.exit(INTERRUPTED)


if __name__ == "__main__":
    run()
