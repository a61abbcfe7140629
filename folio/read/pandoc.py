"""The one place pandoc runs: Markdown in, HTML fragments out, every fragment cleaned
to the book's allow-list (``sanitize``) before anything else sees it."""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import BuildError, raise_all
from ..files import read_text
from ..memo import Table
from ..subprocesses import run_on_budget
from .inventory import Inventory
from .mathml import formula_message, place_formulas
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
    pandoc's warnings, what the cleaning removed, the formulas the converter could
    not read, as ``(TeX, why)``, its citations (each ``{"cite": pandoc's JSON of the
    Cite, "text": its words, "note": the note it is in (1-based) or None}``, numbered
    as the placeholders ``data-cite`` are), and what the lint rules need of pandoc's
    reading (``inventory``)."""

    source: Path
    body: str
    notes: list[str]
    warnings: list[str]
    removed: list[Removal] = field(default_factory=list)
    math_errors: list[tuple[str, str]] = field(default_factory=list)
    cites: list[dict] = field(default_factory=list)
    inventory: Inventory | None = None


@cache
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _writer() -> str:
    return str(resources.files("folio.read") / "filters" / "fragments.lua")


def time_budget(size: int) -> float:
    """Seconds of processor time pandoc may take to read *size* bytes (a busy machine
    does not count against it: ``folio.subprocesses``): far more than any real book
    needs (a 130,000-word book reads in under 2 s), and a bound on input that makes
    pandoc slow beyond reason (a long line of unclosed HTML tags)."""
    return BASE_SECONDS + size / BYTES_A_SECOND


def _run(stdin: str, where: Path | None, language: str = "en",
         files: list[Path] = (), writer: str | None = None) -> dict:
    """Run pandoc on *stdin* (Markdown) with the Lua *writer* (default: fragments.lua),
    *files* named to it in FOLIO_FILES; its JSON answer."""
    command = [pandoc_path(), "--sandbox", "--quiet", "--from", MARKDOWN,
               "--to", writer or _writer(),
               f"--metadata=folio-lang:{language}", f"--metadata=folio-from:{MARKDOWN}"]
    environment = {**os.environ, "FOLIO_FILES": json.dumps([str(f) for f in files])}
    budget = time_budget(len(stdin.encode()) + sum(f.stat().st_size for f in files))
    result = run_on_budget(command, stdin, budget, environment)
    if result.over_budget:
        if len(files) > 1:  # find the file at fault: each alone, within its own budget
            for file in files:
                _run("", file, language, [file])
        raise BuildError(f"pandoc took more than {budget:.0f} s to read this, which a real "
                         "book never needs: look for a very long line or deeply nested "
                         "markup (many unclosed HTML tags)", where)
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
        keys[path] = (cache.key(text.encode("utf-8"), language) if cache is not None
                      else (str(path), text, language))
    raise_all(errors)
    records = ({path: cache.get(keys[path]) for path in paths} if cache
               else {path: _RECORDS.get(keys[path]) for path in paths})
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
            else:
                _RECORDS.put(keys[path], record)
    raise_all(errors)
    return [_cleaned(path, records[path]) for path in paths]


def _cleaned(path: Path, record: dict) -> Fragment:
    """The fragment of *path* from pandoc's *record*, body and notes cleaned (each
    keeps the citation placeholders that pandoc's reading put in it, and no other),
    each formula's MathML (``record["math"]``) put in its place after the cleaning."""
    formulas = list(record.get("math") or [])
    cites = record.get("cites") or []
    placed: dict[int | None, list[int]] = {}
    for number, cite in enumerate(cites, start=1):
        placed.setdefault(cite.get("note"), []).append(number)
    body, changes = sanitize_html(record["body"], notes=len(record["notes"]),
                                  cites=placed.get(None, []))
    notes = []
    for number, note in enumerate(record["notes"], start=1):
        text, more = sanitize_html(note, cites=placed.get(number, []))
        notes.append(place_formulas(text, formulas))
        changes += more
    failed = [(e["tex"], e["message"]) for e in record.get("math_errors") or []]
    return Fragment(path, place_formulas(body, formulas), notes, record["warnings"],
                    locate(changes, Origin(path)), failed, cites, Inventory.of(path, record))


# serve: pandoc's reading of files read without a ParseCache (questions), by text
_RECORDS = Table(512)
_SNIPPETS = Table(64)  # serve: pandoc's answer for each set of snippets (folio.memo)


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
    cleaned, errors = [], []
    key = (document, str(where), language)
    answer = _SNIPPETS.get(key)
    if answer is None:
        answer = _run(document, where, language)
        _SNIPPETS.put(key, answer)
    maths = answer.get("snippet_math") or [{} for _ in texts]
    for number, markup in enumerate(answer["snippets"]):
        text, changes = sanitize_html(markup)
        cleaned.append(place_formulas(text, list(maths[number].get("math") or [])))
        first = (lines[number] if lines else None) or 1
        for failed in maths[number].get("errors") or []:
            errors.append(BuildError(formula_message(failed["tex"], failed["message"]),
                                     where, first))
        if changes and removed is not None:
            last = first + texts[number].strip().count("\n") + 1
            removed += locate(changes, Origin(where, first, last))
    raise_all(errors)
    return cleaned


def reading_setting() -> str:
    """What pandoc's reading depends on besides a file: the pandoc binary (an upgrade
    replaces it), the Markdown flavour and the Lua writer with its modules."""
    binary = Path(pandoc_path()).stat()
    filters = sorted(Path(_writer()).parent.glob("*.lua"))
    writer = hashlib.sha256(b"".join(f.read_bytes() for f in filters)).hexdigest()
    return f"{pandoc_path()}|{binary.st_size}|{binary.st_mtime_ns}|{MARKDOWN}|{writer}"
