"""The one place pandoc runs: Markdown in, HTML fragments out."""

from __future__ import annotations

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import BuildError, raise_all

MARKDOWN = "markdown-implicit_figures"


@dataclass
class Fragment:
    """One Markdown file as HTML: its body and its footnotes in order."""

    source: Path
    body: str
    notes: list[str]
    warnings: list[str]


@cache
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _writer() -> str:
    return str(resources.files("folio") / "filters" / "fragments.lua")


def _run(stdin: str, where: Path | None, language: str = "en",
         files: list[Path] = ()) -> dict:
    command = [pandoc_path(), "--sandbox", "--quiet", "--from", MARKDOWN, "--to", _writer(),
               f"--metadata=folio-lang:{language}", f"--metadata=folio-from:{MARKDOWN}"]
    environment = {**os.environ, "FOLIO_FILES": json.dumps([str(f) for f in files])}
    result = subprocess.run(command, input=stdin, capture_output=True, text=True,
                            encoding="utf-8", check=False, env=environment)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        message = lines[-1] if lines else f"pandoc failed ({result.returncode})"
        raise BuildError(f"pandoc could not read this file: {message}", where)
    return json.loads(result.stdout)


def parse_files(paths: list[Path], language: str = "en") -> list[Fragment]:
    """Parse the Markdown files *paths*; report every file that cannot be read.

    A pandoc run reads many files (its start costs more than a chapter), so the
    files go in two batches, one a core."""
    errors = []
    for path in paths:
        try:
            path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            errors.append(BuildError(f"not UTF-8 text ({error.reason})", path))
    raise_all(errors)
    half = (len(paths) + 1) // 2
    batches = [batch for batch in (paths[:half], paths[half:]) if batch]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outputs = list(pool.map(lambda batch: _run("", batch[0], language, batch)["files"],
                                batches))
    results = []
    for path, record in zip(paths, (r for output in outputs for r in output), strict=True):
        if "error" in record:
            errors.append(BuildError(f"pandoc could not read this file: {record['error']}",
                                     path))
        else:
            results.append(Fragment(path, record["body"], record["notes"],
                                    record["warnings"]))
    raise_all(errors)
    return results


def render_snippets(texts: list[str], where: Path | None = None,
                    language: str = "en") -> list[str]:
    """Render many short Markdown texts to HTML in a single pandoc run."""
    if not texts:
        return []
    # JSON is YAML, so the texts travel safely in a metadata block.
    # A trailing newline makes pandoc read each text as blocks (paragraphs).
    payload = json.dumps([text.strip() + "\n" for text in texts], ensure_ascii=False)
    document = f"---\nfolio-snippets: {payload}\n---\n"
    return _run(document, where, language)["snippets"]
