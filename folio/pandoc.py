"""The one place pandoc runs: Markdown in, HTML fragments out."""

from __future__ import annotations

import json
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


def _run(args: list[str], stdin: str | None, where: Path | None,
         language: str = "en") -> tuple[dict, list[str]]:
    command = [pandoc_path(), "--sandbox", "--from", MARKDOWN, "--to", _writer(),
               f"--metadata=folio-lang:{language}", *args]
    result = subprocess.run(command, input=stdin, capture_output=True, text=True,
                            encoding="utf-8", check=False)
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    if result.returncode != 0:
        message = warnings[-1] if warnings else f"pandoc failed ({result.returncode})"
        raise BuildError(f"pandoc could not read this file: {message}", where)
    return json.loads(result.stdout), warnings


def parse_file(path: Path, language: str = "en") -> Fragment:
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise BuildError(f"not UTF-8 text ({error.reason})", path) from None
    data, warnings = _run([str(path)], None, path, language)
    return Fragment(path, data["body"], data["notes"], warnings)


def parse_files(paths: list[Path], language: str = "en") -> list[Fragment]:
    """Parse several files at once (pandoc runs in parallel); report every failure."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(parse_file, path, language) for path in paths]
    results, errors = [], []
    for future in futures:
        try:
            results.append(future.result())
        except BuildError as error:
            errors.append(error)
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
    data, _ = _run([], document, where, language)
    return data["snippets"]
