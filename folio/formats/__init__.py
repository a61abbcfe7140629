"""The output formats, as a registry: each format is a package of its own under
``folio/formats/`` that declares a :class:`Format` named ``FORMAT`` in its
``__init__``; the build, the command line, ``formats:`` in book.yaml, the
up-to-date check and the release all read this registry.

A format outside Folio registers the same way through the ``folio.formats``
entry point group (as Sphinx builders do)::

    [project.entry-points."folio.formats"]
    plaintext = "my_package.plaintext:FORMAT"

Declarations are cheap to import; the work is in ``render``, given as a callable
or as ``"module:function"`` so that heavy modules load only when the format is
built."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BuildError

if TYPE_CHECKING:
    from ..model import Book
    from ..typeset.typesetter import Typesetter

ENTRY_POINT_GROUP = "folio.formats"
BUILTIN = ("pdf", "epub", "html", "handouts", "kindle")


# Work a format sets aside (``Job.aside``): called with a progress callback.
Work = Callable[[Callable[[str], None]], None]


def at_once(work: Work) -> None:
    """Run *work* here and now, its messages unsaid (``Job.aside`` outside a build)."""
    work(lambda message: None)


@dataclass
class Job:
    """What a format's render function is given: the book, where its output goes
    (a file or a folder inside the build's staging folder), its options, the print
    layout on demand, the outputs of formats it builds on, and where its output
    of the last build is (for a format that adds to it; it may not exist).

    ``aside(work)`` runs ``work(progress)``, which writes more of the format's files,
    beside what the build does next (in a forked process, where the build may fork):
    the build waits for it before another format is given this one's output and
    before the outputs are published; its messages are said when it ends, and its
    BuildError fails the build."""

    book: Book
    target: Path
    options: dict[str, Any]
    layout: Callable[[], Typesetter]  # the shared print layout, made on first call
    require: Callable[[str], Path]  # another format's output in this build, made if need be
    previous: Path | None = None
    aside: Callable[[Work], None] = at_once


@dataclass(frozen=True)
class Format:
    """One output format.

    *output* is the file or folder it makes inside the output folder, with
    ``{slug}`` for the book's name in file names (a name without a suffix is a
    folder); *also* lists files it makes beside it. *needs_layout*: it uses the
    print layout (laid out once per build, shared). *default*: ``build.py all``
    makes it unless book.yaml's ``formats:`` says otherwise. *release*: part of
    ``build.py release``. *requires*: formats it is made from, built first.
    *options*: click options of its command, passed to *render* as ``Job.options``."""

    name: str
    summary: str
    output: str
    render: Callable[[Job], None] | str
    also: tuple[str, ...] = ()
    needs_layout: bool = False
    default: bool = False
    release: bool = False
    requires: tuple[str, ...] = ()
    options: tuple[Any, ...] = field(default=(), compare=False)

    def output_name(self, slug: str) -> str:
        return self.output.format(slug=slug)

    def output_names(self, slug: str) -> list[str]:
        """Every file or folder it makes, its main output first."""
        return [self.output_name(slug), *(name.format(slug=slug) for name in self.also)]

    def renderer(self) -> Callable[[Job], None]:
        if callable(self.render):
            return self.render
        module, _, attribute = self.render.partition(":")
        return getattr(importlib.import_module(module), attribute)


@cache
def registry() -> dict[str, Format]:
    """Every format by name: Folio's own, then those registered by entry point (a
    name already taken is an error, not silently replaced)."""
    found: dict[str, Format] = {}
    for name in BUILTIN:
        declared = importlib.import_module(f"{__name__}.{name}").FORMAT
        found[declared.name] = declared
    for point in entry_points(group=ENTRY_POINT_GROUP):
        declared = point.load()
        if not isinstance(declared, Format):
            raise BuildError(f"the entry point '{point.name}' of {ENTRY_POINT_GROUP} "
                             f"({point.value}) is not a folio.formats.Format")
        if declared.name in found:
            raise BuildError(f"two formats are named '{declared.name}' (the second from "
                             f"{point.value})")
        found[declared.name] = declared
    return found


def get(name: str) -> Format:
    """The format *name*; BuildError naming the known ones when there is none."""
    formats = registry()
    if name not in formats:
        raise BuildError(f"unknown format '{name}' (known: {', '.join(formats)})")
    return formats[name]


def names() -> list[str]:
    return list(registry())


def defaults() -> list[str]:
    """What ``build.py all`` makes when book.yaml does not say."""
    return [name for name, declared in registry().items() if declared.default]


def in_build_order(wanted: list[str]) -> list[str]:
    """*wanted* with the formats they require first, each once, in registry order."""
    order: list[str] = []

    def visit(name: str) -> None:
        for required in get(name).requires:
            visit(required)
        if name not in order:
            order.append(name)

    for name in wanted:
        visit(name)
    return order
