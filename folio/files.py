"""Which files a book may use, and the one way Folio reads them.

The rule: a file is read only when, after every symlink is resolved, it is a
regular file inside one of the allowed folders (the book's, or the theme's).
A symlink to a file outside, a FIFO, a socket or a device (``/dev/zero``) is
refused before it is opened, and opened with ``O_NONBLOCK`` and checked again
on the open descriptor, so that nothing can make a read hang or run without
end. Every part of Folio that reads a file of the book goes through
:func:`read_bytes` or :func:`read_text` (or asks :func:`why_refused` first);
the up-to-date fingerprint walks the folder with :func:`hash_file`.

Text files also have limits no real book meets, so that a hostile one is
refused with a message instead of costing minutes or all the memory:
:data:`MAX_TEXT_BYTES` a file and :data:`MAX_LINE` characters a line.
"""

from __future__ import annotations

import contextvars
import hashlib
import os
import re
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .errors import BuildError

MAX_TEXT_BYTES = 5 * 1024 * 1024  # a Markdown or YAML file: 5 MB (a long novel is 1 MB)
MAX_LINE = 50_000  # characters in one line (a long paragraph is 5,000)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAMES = {0: "NUL", 7: "BEL", 8: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
          0x1B: "ESC", 0x7F: "DEL"}
_CHUNK = 1 << 16
# The texts read so far in this context's reading (see read_once), None outside one.
_texts: contextvars.ContextVar[dict[tuple, tuple[tuple, str]] | None] = contextvars.ContextVar(
    "folio_texts", default=None)
# The allowed folders as resolved once in this context's reading, None outside one.
_folders: contextvars.ContextVar[dict[Path, Path] | None] = contextvars.ContextVar(
    "folio_folders", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    """Within it, :func:`read_text` reads and checks each file once: a later call for
    the same path with the same limits gets the same text. The stages of one reading
    (pandoc, the splitting into sections, the lint rules, error messages) then see the
    same bytes even when a file is saved meanwhile, and a chapter is read once instead
    of once a stage. Each call still checks the file against its own *roots* (each
    folder's links resolved once a reading); refusals are not kept: each call raises
    its own BuildError. Nested, the outer one holds."""
    if _texts.get() is not None:
        yield
        return
    token, folders = _texts.set({}), _folders.set({})
    try:
        yield
    finally:
        _texts.reset(token)
        _folders.reset(folders)


def why_refused(path: Path, roots: Sequence[Path]) -> str | None:
    """None when *path* may be read: after resolving symlinks, a regular file inside
    one of *roots*. Otherwise the reason, as a message to show after ``file:``."""
    try:
        real = path.resolve(strict=True)
        mode = real.stat().st_mode
    except FileNotFoundError:
        return "file not found" if not path.is_symlink() else "the link points to no file"
    except RuntimeError:
        return "a symlink loop"
    except OSError as error:
        return f"cannot be read: {error.strerror}"
    if not any(real.is_relative_to(_resolved(root)) for root in roots):
        return "the file is outside the book's folder (after following its links)"
    if stat.S_ISDIR(mode):
        return "a folder, not a file"
    if not stat.S_ISREG(mode):
        return f"not a regular file but {_kind(mode)}: the build reads only files"
    return None


def _resolved(folder: Path) -> Path:
    """*folder* with its links resolved, once a reading (:func:`read_once`)."""
    folders = _folders.get()
    if folders is None:
        return folder.resolve()
    if folder not in folders:
        folders[folder] = folder.resolve()
    return folders[folder]


def allowed_file(path: Path, roots: Sequence[Path]) -> bool:
    """Whether *path*, after resolving symlinks, is a regular file inside one of *roots*."""
    return why_refused(path, roots) is None


def read_bytes(path: Path, roots: Sequence[Path], limit: int | None = None,
               what: str = "file") -> bytes:
    """The bytes of *path* when the rule allows it (see the module's docstring), at most
    *limit* of them. BuildError at *path* otherwise: outside, not a regular file, too
    large (the message names *what* the file is, "chapter"), or unreadable."""
    reason = why_refused(path, roots)
    if reason is not None:
        raise BuildError(reason, path)
    try:
        with _open(path.resolve()) as file:
            data = file.read(-1 if limit is None else limit + 1)
    except _NotRegular as error:
        raise BuildError(str(error), path) from None
    except OSError as error:
        raise BuildError(f"cannot read the file: {error.strerror or error}", path) from None
    if limit is not None and len(data) > limit:
        raise BuildError(f"the {what} is larger than {_size(limit)}, the most Folio reads "
                         "(no real book needs more): split it", path)
    return data


def read_text(path: Path, roots: Sequence[Path], limit: int = MAX_TEXT_BYTES,
              what: str = "file", max_line: int = MAX_LINE) -> str:
    """The UTF-8 text of *path* (see :func:`read_bytes`), refused with a located message
    when it is a known binary format (a Word document, a picture: ``file: message``),
    when a byte is not UTF-8, a control character (NUL, ESC …) is in it, or a line
    is longer than *max_line* characters."""
    texts = _texts.get()
    if texts is None:
        return _checked_text(path, roots, limit, what, max_line)
    key = (os.path.abspath(path), limit, what, max_line)
    if key not in texts:
        texts[key] = (tuple(roots), _checked_text(path, roots, limit, what, max_line))
    elif tuple(roots) != texts[key][0] and (reason := why_refused(path, roots)) is not None:
        raise BuildError(reason, path)  # a caller's own folders do not hold it
    return texts[key][1]


def _checked_text(path: Path, roots: Sequence[Path], limit: int, what: str,
                  max_line: int) -> str:
    data = read_bytes(path, roots, limit, what)
    binary = binary_kind(data)
    if binary is not None:
        raise BuildError(f"this is {binary[0]}, not text: a {what} must be text{binary[1]}",
                         path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data[: error.start].decode("utf-8", "replace"))
        raise BuildError(f"not UTF-8 text: byte 0x{data[error.start]:02X} cannot be read "
                         "(save the file as UTF-8)", path, line, column) from None
    control = _CONTROL.search(text)
    if control is not None:
        line, column = _position(text[: control.start()])
        code = ord(control[0])
        name = _NAMES.get(code, "a control character")
        raise BuildError(f"the control character U+{code:04X} ({name}) cannot be printed: "
                         "remove it", path, line, column)
    for number, line_text in enumerate(text.split("\n"), start=1):
        if len(line_text) > max_line:
            raise BuildError(f"the line is {len(line_text):,} characters long; Folio reads "
                             f"lines of at most {max_line:,} (break it into paragraphs)",
                             path, number)
    return text


# The first bytes of the files most often named where a text file belongs, by the
# signatures their formats define: (signature, what the file is, what to do).
_IMPORT = "; to make a book of a document, run 'build.py import' on it"
_SIGNATURES = [
    (b"PK\x03\x04", "a ZIP archive (a Word .docx or an OpenDocument .odt is one)", _IMPORT),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word or Office document (.doc)",
     "; save it as .docx and run 'build.py import' on it"),
    (b"{\\rtf", "an RTF document", "; save it as .docx and run 'build.py import' on it"),
    (b"%PDF-", "a PDF document", ""),
    (b"\x89PNG\r\n\x1a\n", "a PNG picture", "; a chapter shows one with ![what it shows](file)"),
    (b"\xff\xd8\xff", "a JPEG picture", "; a chapter shows one with ![what it shows](file)"),
    (b"GIF8", "a GIF picture", "; a chapter shows one with ![what it shows](file)"),
    (b"RIFF", "a RIFF file (a WebP picture, a sound)", ""),
]


def binary_kind(data: bytes) -> tuple[str, str] | None:
    """What the binary file whose content is *data* is, and what to do instead, as a
    message says them, when its first bytes are the signature of a known format;
    None otherwise."""
    return next(((kind, advice) for signature, kind, advice in _SIGNATURES
                 if data.startswith(signature)), None)


def hash_file(path: Path, root: Path) -> bytes:
    """A digest of the file *path* for the up-to-date check: its content when the rule
    allows reading it, else a digest of why not (so that fixing it changes the
    fingerprint). Never raises, never blocks."""
    reason = why_refused(path, [root])
    if reason is not None:
        return hashlib.sha256(f"refused: {reason}".encode()).digest()
    digest = hashlib.sha256()
    try:
        with _open(path.resolve()) as file:
            for chunk in iter(lambda: file.read(_CHUNK), b""):
                digest.update(chunk)
    except (OSError, _NotRegular) as error:
        return hashlib.sha256(f"unreadable: {error}".encode()).digest()
    return digest.digest()


class _NotRegular(Exception):
    pass


def _open(real: Path):
    """*real* opened for reading without following a last symlink and without blocking
    (a FIFO swapped in after the check); the open file is checked again."""
    descriptor = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise _NotRegular(f"not a regular file but {_kind(mode)}: the build reads only files")
    return os.fdopen(descriptor, "rb")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _position(before: str) -> tuple[int, int]:
    """(line, column), from 1, of the character after *before*."""
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count:,} bytes"
