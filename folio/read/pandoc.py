"""The one place pandoc runs: Markdown in, HTML fragments out, every fragment cleaned
to the book's allow-list (``sanitize``) before anything else sees it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import BuildError, raise_all
from ..files import read_text
from .inventory import Inventory
from .nesting import check_written_nesting
from .parsecache import ParseCache
from .removals import Origin, Removal, locate
from .sanitize import sanitize_html

MARKDOWN = "markdown"  # pandoc's Markdown, with every default extension (implicit figures too)
BASE_SECONDS = 10.0
BYTES_A_SECOND = 50_000


@dataclass
class Fragment:
    """One Markdown file as HTML (cleaned): its body and its footnotes in order,
    pandoc's warnings, what the cleaning removed, and what the lint rules need of
    pandoc's reading (``inventory``)."""

    source: Path
    body: str
    notes: list[str]
    warnings: list[str]
    removed: list[Removal] = field(default_factory=list)
    inventory: Inventory | None = None


@cache
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _writer() -> str:
    return str(resources.files("folio.read") / "filters" / "fragments.lua")


def time_budget(size: int) -> float:
    """Seconds pandoc may take to read *size* bytes: far more than any real book needs
    (a 130,000-word book reads in under 2 s), and a bound on input that makes
    pandoc slow beyond reason (a long line of unclosed HTML tags)."""
    return BASE_SECONDS + size / BYTES_A_SECOND


def _run(stdin: str, where: Path | None, language: str = "en",
         files: list[Path] = ()) -> dict:
    command = [pandoc_path(), "--sandbox", "--quiet", "--from", MARKDOWN, "--to", _writer(),
               f"--metadata=folio-lang:{language}", f"--metadata=folio-from:{MARKDOWN}"]
    environment = {**os.environ, "FOLIO_FILES": json.dumps([str(f) for f in files])}
    budget = time_budget(len(stdin.encode()) + sum(f.stat().st_size for f in files))
    try:
        result = subprocess.run(command, input=stdin, capture_output=True, text=True,
                                encoding="utf-8", check=False, env=environment,
                                timeout=budget)
    except subprocess.TimeoutExpired:
        if len(files) > 1:  # find the file at fault: each alone, within its own budget
            for file in files:
                _run("", file, language, [file])
        raise BuildError(f"pandoc took more than {budget:.0f} s to read this, which a real "
                         "book never needs: look for a very long line or deeply nested "
                         "markup (many unclosed HTML tags)", where) from None
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        message = lines[-1] if lines else f"pandoc failed ({result.returncode})"
        raise BuildError(f"pandoc could not read this file: {message}", where)
    return json.loads(result.stdout)


def parse_files(paths: list[Path], language: str = "en",
                cache: ParseCache | None = None, root: Path | None = None) -> list[Fragment]:
    """Parse the Markdown files *paths*; report every file that cannot be read.

    A pandoc run reads many files (its start costs more than a chapter), so the
    files go in two batches, one a core; files *cache* has read before are not
    read again. Each file is first read by the rule of ``folio.files`` (a regular
    file inside *root*, default its own folder; UTF-8 without control characters;
    the size and line limits), so pandoc only ever reads files that passed.
    The cache keeps pandoc's HTML; it is cleaned on every reading."""
    errors, keys = [], {}
    for path in paths:
        try:
            text = read_text(path, [root or path.parent], what="Markdown file")
            check_written_nesting(text, path)
        except BuildError as error:
            errors.append(error)
            continue
        if cache is not None:
            keys[path] = cache.key(text.encode("utf-8"), language)
    raise_all(errors)
    records = {path: cache.get(keys[path]) for path in paths} if cache else {}
    unread = [path for path in paths if records.get(path) is None]
    half = (len(unread) + 1) // 2
    batches = [batch for batch in (unread[:half], unread[half:]) if batch]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(lambda batch: _run("", batch[0], language, batch)["files"],
                                batches))
    for path, record in zip(unread, (r for output in outputs for r in output), strict=True):
        if "error" in record:
            errors.append(BuildError(f"pandoc could not read this file: {record['error']}",
                                     path))
        else:
            records[path] = record
            if cache is not None:
                cache.put(keys[path], record)
    raise_all(errors)
    return [_cleaned(path, records[path]) for path in paths]


def _cleaned(path: Path, record: dict) -> Fragment:
    """The fragment of *path* from pandoc's *record*, body and notes cleaned."""
    body, changes = sanitize_html(record["body"], notes=len(record["notes"]))
    notes = []
    for note in record["notes"]:
        text, more = sanitize_html(note)
        notes.append(text)
        changes += more
    return Fragment(path, body, notes, record["warnings"], locate(changes, Origin(path)),
                    Inventory.of(path, record))


def render_snippets(texts: list[str], where: Path | None = None,
                    language: str = "en", lines: list[int | None] | None = None,
                    removed: list[Removal] | None = None) -> list[str]:
    """Render many short Markdown texts to HTML in a single pandoc run, each cleaned.

    *where* is the file that holds them and *lines* the line each starts on; what the
    cleaning removes is added to *removed*, located there."""
    if not texts:
        return []
    # JSON is YAML, so the texts travel safely in a metadata block.
    # A trailing newline makes pandoc read each text as blocks (paragraphs).
    payload = json.dumps([text.strip() + "\n" for text in texts], ensure_ascii=False)
    document = f"---\nfolio-snippets: {payload}\n---\n"
    cleaned = []
    for number, markup in enumerate(_run(document, where, language)["snippets"]):
        text, changes = sanitize_html(markup)
        cleaned.append(text)
        if changes and removed is not None:
            first = (lines[number] if lines else None) or 1
            last = first + texts[number].strip().count("\n") + 1
            removed += locate(changes, Origin(where, first, last))
    return cleaned


def reading_setting() -> str:
    """What pandoc's reading depends on besides a file: the pandoc binary (an upgrade
    replaces it), the Markdown flavour and the Lua writer."""
    binary = Path(pandoc_path()).stat()
    writer = hashlib.sha256(Path(_writer()).read_bytes()).hexdigest()
    return f"{pandoc_path()}|{binary.st_size}|{binary.st_mtime_ns}|{MARKDOWN}|{writer}"
