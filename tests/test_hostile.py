"""A corpus of hostile and broken books, each built by the command line in a process of
its own whose every ``open`` is traced (``sys.addaudithook``). Each case must end
with exit status 1 and a ``file:line: message`` (or ``file: message``) naming the
file at fault, no traceback, ``output/`` byte-identical to before, nothing
written outside it, no marker file made by code from the book, and no file opened
outside the book, the output, the toolchain and the Python installation."""

from __future__ import annotations

import mimetypes
import os
import shutil
import struct
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers import LOCATED, MINIMAL_CONFIG, ROOT, snapshot, tiny_png, write_book

from folio.build import build
from folio.theme.fonts import SYSTEM_FONTS

# Runs the command line with every file opened (its real path, links resolved) and
# every program started written to $FOLIO_TRACE, one a line, in this process and in
# every process it forks.
TRACER = textwrap.dedent("""\
    import os, sys
    log = os.open(os.environ["FOLIO_TRACE"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            os.write(log, b"open " + os.fsencode(os.path.realpath(args[0])) + b"\\n")
        elif event == "subprocess.Popen":
            os.write(log, b"exec " + os.fsencode(str(args[0])) + b"\\n")
    sys.addaudithook(hook)
    sys.argv[0] = "build.py"
    from folio.__main__ import run
    run()
""")
SECRET = "SECRET-5b1e-not-for-any-output"
WITH_GLOSSARY = MINIMAL_CONFIG + "  glossary: glossary.yaml\n"
WITH_CHRONOLOGY = MINIMAL_CONFIG + "  chronology: chronology.yaml\n"
CHAPTER = "# One {#one}\n\nSome text of the first chapter.\n"


@dataclass
class Hostile:
    """A book, made in *book* by *make* (given the folder of files outside the book),
    and where its error must be reported: *path* relative to the working folder,
    *line* (None: no line, "any": some line) and *words* in the message."""

    name: str
    make: Callable[[Path, Path], None]
    path: str
    line: int | str | None
    words: str
    command: list[str] = field(default_factory=lambda: ["all"])


def chapter(text: str) -> Callable[[Path, Path], None]:
    return lambda book, outside: write_book(book, chapter=CHAPTER + "\n" + text + "\n")


def chapter_bytes(data: bytes) -> Callable[[Path, Path], None]:
    def make(book: Path, outside: Path) -> None:
        write_book(book)
        (book / "chapters" / "one.md").write_bytes(data)
    return make


def template(name: str, text: str) -> Callable[[Path, Path], None]:
    def make(book: Path, outside: Path) -> None:
        write_book(book, files={f"templates/{name}": text.replace("OUTSIDE", str(outside))})
    return make


def linked(name: str, target: Callable[[Path], Path], config: str = MINIMAL_CONFIG,
           text: str = CHAPTER) -> Callable[[Path, Path], None]:
    """A book whose file *name* is a symlink to *target(outside)*."""
    def make(book: Path, outside: Path) -> None:
        write_book(book, config, text)
        path = book / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.symlink_to(target(outside))
    return make


def fifo(name: str, config: str = MINIMAL_CONFIG,
         text: str = CHAPTER) -> Callable[[Path, Path], None]:
    def make(book: Path, outside: Path) -> None:
        write_book(book, config, text)
        path = book / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        os.mkfifo(path)
    return make


def with_files(config: str, files: dict[str, str | bytes],
               text: str = CHAPTER) -> Callable[[Path, Path], None]:
    def make(book: Path, outside: Path) -> None:
        write_book(book, config, text)
        for name, content in files.items():
            path = book / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content.replace("OUTSIDE", str(outside)), encoding="utf-8")
    return make


def png(width: int, height: int, pixels: bytes | None = None) -> bytes:
    """A PNG whose header claims *width*×*height* (the pixels need not follow)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    pixels = pixels if pixels is not None else zlib.compress(b"\x00" * 64)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


IMAGE_CHAPTER = CHAPTER + "\n![A picture](images/picture.png)\n"
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{b}: &{b} [*{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}, *{a}]\n"
    for a, b in zip("abcdefgh", "bcdefghi", strict=True))

CASES = [
    # --- code runs from the book --------------------------------------------------------
    Hostile("template: cycler globals run a command",
            template("partials/imprint.html", "<p>Imprint</p>\n{{ cycler.__init__.__globals__"
                     ".os.popen('touch OUTSIDE/marker').read() }}\n"),
            "book/templates/partials/imprint.html", 2, "sandbox"),
    Hostile("template: __builtins__ open a file",
            template("partials/imprint.html", "<p>Imprint</p>\n<p>x</p>\n{{ self.__init__."
                     "__globals__['__builtins__'].open('OUTSIDE/secret.txt').read() }}\n"),
            "book/templates/partials/imprint.html", 3, "sandbox"),
    Hostile("template: walk to every class from ()",
            template("partials/imprint.html", "{{ ().__class__.__mro__[1].__subclasses__() }}\n"),
            "book/templates/partials/imprint.html", 1, "sandbox"),
    Hostile("template: lipsum globals",
            template("partials/imprint.html", "{{ lipsum.__globals__.os.system("
                     "'touch OUTSIDE/marker') }}\n"),
            "book/templates/partials/imprint.html", 1, "sandbox"),
    Hostile("template: a path of the model reads a file",
            template("partials/imprint.html", "{{ meta.root.joinpath('OUTSIDE/secret.txt')"
                     ".read_text() }}\n"),
            "book/templates/partials/imprint.html", 1, "sandbox"),
    Hostile("template: a parsed tree writes a file",
            template("html/page.html", "{{ section.body.getroottree().write("
                     "'OUTSIDE/marker') }}\n"),
            "book/templates/html/page.html", 1, "sandbox"),
    Hostile("template: syntax error", template("partials/imprint.html", "<p>\n{% if %}\n"),
            "book/templates/partials/imprint.html", 2, "template error"),
    # --- reading outside the book ---------------------------------------------------------
    Hostile("chapter: a symlink to a file outside",
            linked("chapters/one.md", lambda outside: outside / "chapter.md"),
            "book/book.yaml", 7, "outside the book"),
    Hostile("chapter: a FIFO", fifo("chapters/one.md"), "book/book.yaml", 7, "FIFO"),
    Hostile("chapter: a symlink to /dev/zero",
            linked("chapters/one.md", lambda outside: Path("/dev/zero")),
            "book/book.yaml", 7, "outside the book"),
    Hostile("book.yaml: a FIFO", fifo("book.yaml"), "book/book.yaml", None, "FIFO"),
    Hostile("book.yaml: a symlink outside",
            linked("book.yaml", lambda outside: outside / "book.yaml"),
            "book/book.yaml", None, "outside the book"),
    Hostile("glossary: a symlink to /dev/zero",
            linked("glossary.yaml", lambda outside: Path("/dev/zero"), WITH_GLOSSARY),
            "book/book.yaml", 8, "outside the book"),
    Hostile("glossary: a FIFO", fifo("glossary.yaml", WITH_GLOSSARY),
            "book/book.yaml", 8, "FIFO"),
    Hostile("image: a symlink to a file outside",
            linked("images/picture.png", lambda outside: outside / "secret.png",
                   text=IMAGE_CHAPTER), "book/chapters/one.md", 5, "outside the book"),
    Hostile("image: a FIFO", fifo("images/picture.png", text=IMAGE_CHAPTER),
            "book/chapters/one.md", 5, "FIFO"),
    Hostile("image: by absolute path in a glossary definition",
            with_files(WITH_GLOSSARY, {"glossary.yaml": "- term: Soviet\n  definition: >-\n"
                                       "    A council. <img src=\"OUTSIDE/secret.png\" "
                                       "alt=\"x\">\n"}),
            "book/glossary.yaml", 3, "image"),
    Hostile("image: a FIFO in a chronology event",
            lambda book, outside: (with_files(WITH_CHRONOLOGY, {
                "chronology.yaml": "- date: '1917'\n  event: >-\n    A revolution. "
                                   "![Crowd](images/pipe.png)\n"})(book, outside),
                                   (book / "images").mkdir(),
                                   os.mkfifo(book / "images" / "pipe.png")),
            "book/chronology.yaml", 3, "FIFO"),
    Hostile("image: outside in the rights field",
            with_files(MINIMAL_CONFIG + "rights: '![Mark](OUTSIDE/secret.png)'\n", {}),
            "book/book.yaml", 8, "image"),
    Hostile("questions: a symlink to a file outside",
            linked("questions/one.md", lambda outside: outside / "chapter.md"),
            "book/questions/one.md", None, "outside the book"),
    Hostile("theme: a stylesheet that links to a secret",
            linked("templates/css/web.css", lambda outside: outside / "secret.txt"),
            "book/templates/css/web.css", None, "outside the book"),
    Hostile("theme: a template that is a FIFO", fifo("templates/partials/imprint.html"),
            "book/templates/partials/imprint.html", None, "FIFO"),
    Hostile("theme: a font that links to /dev/zero",
            linked("templates/fonts/LinLibertine_R.otf", lambda outside: Path("/dev/zero")),
            "book/templates/fonts/LinLibertine_R.otf", None, "outside the book"),
    # --- bad input -----------------------------------------------------------------------
    Hostile("yaml: a billion laughs", with_files(WITH_GLOSSARY, {"glossary.yaml": LAUGHS}),
            "book/glossary.yaml", "any", "aliases"),
    Hostile("yaml: aliases in book.yaml",
            with_files(MINIMAL_CONFIG + LAUGHS, {}),
            "book/book.yaml", "any", "aliases"),
    Hostile("yaml: nesting 20,000 deep",
            with_files(MINIMAL_CONFIG + "subjects: " + "[" * 20_000 + "]" * 20_000 + "\n", {}),
            "book/book.yaml", 8, "nested"),
    Hostile("chapter: invalid UTF-8", chapter_bytes(CHAPTER.encode() + b"\nBad \xff byte.\n"),
            "book/chapters/one.md", 5, "UTF-8"),
    Hostile("chapter: a NUL byte", chapter_bytes(CHAPTER.encode() + b"\nA \x00 byte.\n"),
            "book/chapters/one.md", 5, "NUL"),
    Hostile("chapter: an ESC byte", chapter_bytes(CHAPTER.encode() + b"\n\x1b[31mred\n"),
            "book/chapters/one.md", 5, "ESC"),
    Hostile("chapter: a list nested 500 deep",
            chapter("".join("  " * level + "- item\n" for level in range(500))),
            "book/chapters/one.md", "any", "nests"),
    Hostile("chapter: a line of 120,000 characters", chapter("<a " * 40_000),
            "book/chapters/one.md", 5, "characters long"),
    Hostile("chapter: 20 MB", chapter(("A sentence of the chapter. " * 40 + "\n\n") * 20_000),
            "book/chapters/one.md", None, "larger than"),
    Hostile("chapter: a line pandoc is slow on", chapter("<a " * 6_000),
            "book/chapters/one.md", None, "pandoc took more than"),
    Hostile("image: a decompression bomb",
            with_files(MINIMAL_CONFIG, {"images/picture.png": png(30_000, 30_000)},
                       IMAGE_CHAPTER), "book/chapters/one.md", 5, "megapixels"),
    Hostile("image: a truncated PNG",
            with_files(MINIMAL_CONFIG, {"images/picture.png": tiny_png()[:-20]}, IMAGE_CHAPTER),
            "book/chapters/one.md", 5, "damaged or cut short"),
    Hostile("image: a text file named .png",
            with_files(MINIMAL_CONFIG, {"images/picture.png": "not a picture\n"}, IMAGE_CHAPTER),
            "book/chapters/one.md", 5, "not a PNG image"),
    # ... and the same through `check`
    Hostile("check: invalid UTF-8",
            chapter_bytes(CHAPTER.encode() + b"\nBad \xff byte.\n"),
            "book/chapters/one.md", 5, "UTF-8", ["check"]),
    Hostile("check: an ESC byte", chapter_bytes(CHAPTER.encode() + b"\n\x1b[31mred\n"),
            "book/chapters/one.md", 5, "ESC", ["check"]),
    Hostile("check: a billion laughs", with_files(WITH_GLOSSARY, {"glossary.yaml": LAUGHS}),
            "book/glossary.yaml", "any", "aliases", ["check"]),
    Hostile("check: nesting 20,000 deep",
            with_files(MINIMAL_CONFIG + "subjects: " + "[" * 20_000 + "]" * 20_000 + "\n", {}),
            "book/book.yaml", 8, "nested", ["check"]),
    Hostile("check: a list nested 500 deep",
            chapter("".join("  " * level + "- item\n" for level in range(500))),
            "book/chapters/one.md", "any", "nests", ["check"]),
    Hostile("check: a chapter that is a FIFO", fifo("chapters/one.md"),
            "book/book.yaml", 7, "FIFO", ["check"]),
    Hostile("check: an image that is a decompression bomb",
            with_files(MINIMAL_CONFIG, {"images/picture.png": png(30_000, 30_000)},
                       IMAGE_CHAPTER), "book/chapters/one.md", 5, "megapixels", ["check"]),
    Hostile("settings: a page of 0in by 0in",
            with_files(MINIMAL_CONFIG + "pdf:\n  trim: 0in 0in\n", {}),
            "book/book.yaml", 9, "'pdf.trim'"),
    Hostile("settings: a version of 300 characters",
            with_files(MINIMAL_CONFIG + "version: 1.0.0-" + "a" * 300 + "\n", {}),
            "book/book.yaml", 8, "'version'"),
    Hostile("settings: a title with a character no font has",
            with_files(MINIMAL_CONFIG.replace("A Minimal Book", "A Book of \u0378"), {}),
            "book/book.yaml", 1, "U+0378"),
]


@pytest.fixture(scope="module")
def previous(tmp_path_factory) -> Path:
    """The web book of a good book, as a previous build left it."""
    folder = tmp_path_factory.mktemp("previous")
    write_book(folder / "book")
    build(folder / "book", folder / "output", ["html"])
    return folder / "output"


def traced(workdir: Path, *args: str, timeout: float = 240) -> tuple[subprocess.CompletedProcess,
                                                                     list[str], list[str]]:
    """Run ``build.py *args`` in *workdir* with every open traced: (result, opened real
    paths, programs started)."""
    trace = workdir / "trace.log"
    trace.unlink(missing_ok=True)
    temporary = workdir / "tmp"
    temporary.mkdir(exist_ok=True)
    environment = {**os.environ, "FOLIO_TRACE": str(trace), "TMPDIR": str(temporary),
                   "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", TRACER, *args], cwd=workdir,
                            capture_output=True, text=True, timeout=timeout, env=environment,
                            check=False)
    lines = trace.read_bytes().decode("utf-8", "replace").splitlines() if trace.exists() else []
    opened = [line[5:] for line in lines if line.startswith("open ")]
    started = [line[5:] for line in lines if line.startswith("exec ")]
    return result, opened, started


def allowed_prefixes(workdir: Path) -> list[str]:
    """Where a build may open files: the book, the output (and its staging folder and
    lock beside it), its own temporary folder, the toolchain and the Noto fonts of
    its fallback chain, Python and its packages, /dev/null and the system's table of
    media types (``mimetypes``)."""
    real = workdir.resolve()
    places = [real / "book", real / "output", real / ".output.", real / "tmp", ROOT / "folio",
              ROOT / "templates", SYSTEM_FONTS / "truetype/noto", SYSTEM_FONTS / "opentype/noto",
              Path(sys.prefix), Path(sys.base_prefix),
              Path(sys.exec_prefix), Path("/dev/null"), *map(Path, mimetypes.knownfiles)]
    return [str(place.resolve()) if place.exists() else str(place) for place in places]


def outside_opens(workdir: Path, opened: list[str]) -> list[str]:
    """The files opened outside the allowed places (a name that exists: an attempt on
    a name that does not, such as the import system's hooks, reads nothing)."""
    prefixes = allowed_prefixes(workdir)
    return sorted({path for path in opened
                   if not path.startswith(tuple(prefixes)) and os.path.lexists(path)})


def listing(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Every entry under *folder* with its mode, size and modification time, from
    lstat alone (the folder may hold FIFOs and links to devices, never to be opened)."""
    entries = {}
    for directory, subdirs, names in os.walk(folder):
        for name in subdirs + names:
            info = (Path(directory) / name).lstat()
            entries[str(Path(directory, name).relative_to(folder))] = (
                info.st_mode, info.st_size, info.st_mtime_ns)
    return entries


def make_outside(folder: Path) -> Path:
    outside = folder / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (outside / "secret.png").write_bytes(tiny_png() + SECRET.encode())
    (outside / "chapter.md").write_text(f"# Secret {{#one}}\n\n{SECRET}\n")
    (outside / "book.yaml").write_text(MINIMAL_CONFIG)
    return outside


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_book(tmp_path, previous, case):
    outside = make_outside(tmp_path)
    book = tmp_path / "book"
    case.make(book, outside)
    output = tmp_path / "output"
    shutil.copytree(previous, output, symlinks=True)
    before = snapshot(output)
    around = {p.name for p in tmp_path.iterdir()}
    kept = {name: snapshot(tmp_path / name) for name in ("outside",)}
    book_before = listing(book)

    options = ["--book", "book"] if case.command == ["check"] else [
        "--quiet", "--book", "book", "--output", "output"]
    result, opened, started = traced(tmp_path, *case.command, *options)

    stderr = result.stderr + result.stdout  # check prints its findings on stdout
    assert result.returncode == 1, f"exit {result.returncode}: {stderr[-2000:]}"
    assert "Traceback" not in stderr, stderr[-3000:]
    assert "internal error" not in stderr, stderr[-2000:]
    located = [m for m in map(LOCATED.match, stderr.splitlines())
               if m and m["path"] == case.path]
    assert located, f"no message at {case.path}: {stderr[-2000:]}"
    match = located[0]
    if case.line == "any":
        assert match["line"] is not None, match[0]
    else:
        assert match["line"] == (str(case.line) if case.line else None), match[0]
    assert case.words in match["message"], match[0]
    assert len(stderr) < 20_000, "the message is not short"
    assert snapshot(output) == before, "output/ changed"
    assert {p.name for p in tmp_path.iterdir()} - {"trace.log", "tmp"} == around, \
        "something was written beside output/"
    assert {name: snapshot(tmp_path / name) for name in kept} == kept
    assert listing(book) == book_before, "the book's folder changed"
    assert not (outside / "marker").exists(), "code from the book ran"
    assert not outside_opens(tmp_path, opened), "opened outside the book"
    assert not any(p.startswith(str(outside.resolve())) for p in opened)
    assert not any(p in ("/dev/zero", "/dev/urandom") for p in opened)
    assert not any(Path(p).name in ("git", "sh", "bash") for p in started), started
