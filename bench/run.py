#!/usr/bin/env python3
"""Benchmark: our build against the tool users would otherwise use, on this machine.

    .venv/bin/python bench/run.py [--quick] [--runs N]

Times, on the first book and on generated large books (the manuscript repeated,
apparatus and all, to about 10× and 50× the essay's length):
  - baseline: raw `pandoc --pdf-engine=weasyprint` on the same Markdown;
  - our cold build of every output (PDF ×3, EPUB, web book), and on the large book
    our cold build of the PDF editions alone, the baseline's one output;
  - our no-op rebuild, and our rebuild after editing one chapter (a letter of a word
    in the middle chapter changed, as when a typo is fixed);
reports medians, peak memory (RSS) and the target ratios, and writes
bench/results.md. Not a test: numbers depend on the machine; ratios less so.
"""

from __future__ import annotations

import argparse
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANUSCRIPT = ROOT / "manuscript"
PYTHON = sys.executable
WEASYPRINT = Path(sys.executable).with_name("weasyprint")


def measure(command: list[str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB) of *command*, run in a fresh process."""
    probe = ("import resource, subprocess, sys, time\n"
             "t = time.perf_counter()\n"
             "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
             "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN)"
             ".ru_maxrss, r.returncode)\n")
    result = subprocess.run([PYTHON, "-c", probe, *command], cwd=cwd, capture_output=True,
                            text=True, check=True)
    seconds, rss_kib, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"failed: {' '.join(command)}")
    return float(seconds), int(rss_kib) // 1024


def median_of(runs: int, command: list[str], before=None) -> tuple[float, int]:
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(command))
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def paired_medians(runs: int, first: list[str],
                   second: list[str]) -> tuple[tuple[float, int], tuple[float, int]]:
    """Medians of *first* and *second* run in turn, so that a machine slowing down or
    speeding up during the benchmark moves both alike and their ratio holds."""
    pairs = [(measure(first), measure(second)) for _ in range(runs)]
    return tuple((statistics.median(p[i][0] for p in pairs), max(p[i][1] for p in pairs))
                 for i in (0, 1))  # type: ignore[return-value]


def large_book(folder: Path, copies: int) -> Path:
    """The manuscript with its chapters repeated *copies* times (notes, index marks and
    glossary uses repeat with them; ids and note labels are made unique)."""
    book = folder / f"book-{copies}x"
    shutil.copytree(MANUSCRIPT, book)
    config = (book / "book.yaml").read_text()
    originals = {p.name: p.read_text() for p in sorted((book / "chapters").glob("*.md"))}
    for name in originals:
        (book / "chapters" / name).unlink()
    listed = []
    for copy in range(copies):
        for name, text in originals.items():
            if copy:
                text = re.sub(r"\{#([\w-]+)\}", rf"{{#\1-{copy}}}", text)
                text = re.sub(r"\[\^([\w-]+)\]", rf"[^\1-{copy}]", text)
            (book / "chapters" / f"{copy:02d}-{name}").write_text(text)
            listed.append(f"    - chapters/{copy:02d}-{name}")
    config = re.sub(r"  chapters:\n(    - .*\n)+", "  chapters:\n" + "\n".join(listed) + "\n",
                    config)
    (book / "book.yaml").write_text(config + "lint:\n  ignore: [G003]\n")
    return book


def markdown_of(book: Path) -> list[Path]:
    import yaml

    config = yaml.safe_load((book / "book.yaml").read_text())
    contents = config["contents"]
    return [book / p for p in [*contents.get("front", []), *contents["chapters"]]]


def words(book: Path) -> int:
    return sum(len(p.read_text().split()) for p in markdown_of(book))


def bench_book(book: Path, scratch: Path, runs: int, edit: bool) -> dict:
    import pypandoc

    pandoc = pypandoc.get_pandoc_path()
    out = scratch / f"out-{book.name}"
    ours = [PYTHON, str(ROOT / "build.py"), "all", "--quiet", "--book", str(book),
            "--output", str(out)]
    baseline, cold = paired_medians(runs, [pandoc, "--pdf-engine", str(WEASYPRINT), "-o",
                                           str(scratch / f"{book.name}-baseline.pdf"),
                                           *map(str, markdown_of(book))], [*ours, "--force"])
    noop = median_of(runs, ours)
    result = {"book": book.name, "words": words(book), "baseline": baseline, "cold": cold,
              "noop": noop}
    if edit and book.name != "essay":
        result["pdf"] = median_of(runs, [*ours[:2], "pdf", *ours[3:], "--force"])
    if edit:
        chapters = markdown_of(book)
        chapter = chapters[len(chapters) // 2]
        original = chapter.read_text()
        edits = iter(range(runs))

        def touch():
            chapter.write_text(corrected(original, next(edits)))

        result["edit"] = median_of(runs, ours, before=touch)
        chapter.write_text(original)
    return result


def corrected(text: str, run: int) -> str:
    """*text* with one letter of a word in its middle paragraph changed, as when a typo
    is fixed: an edit that changes a chapter's text but not its length in pages."""
    lines = text.split("\n")
    prose = [i for i, line in enumerate(lines)
             if len(line) > 60 and not re.match(r"\s*([#>|:*-]|\d+\.|\[\^)", line)]
    index = prose[len(prose) // 2]
    line = lines[index]
    markup = [m.span() for m in re.finditer(r"\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|`[^`]*`|<[^>]*>",
                                            line)]
    words = [m for m in re.finditer(r"\b[a-z]{5,}\b", line)
             if not any(a <= m.start() < b for a, b in markup)]
    word = words[run % len(words)]
    letter = word.start() + 2
    replacement = "e" if line[letter] != "e" else "a"
    lines[index] = line[:letter] + replacement + line[letter + 1:]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the 50× book")
    parser.add_argument("--runs", type=int, default=3, help="runs a measurement (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        essay = scratch / "essay"
        shutil.copytree(MANUSCRIPT, essay)
        sizes = [(essay, args.runs, True)]
        sizes.append((large_book(scratch, 3), max(1, args.runs - 1), False))
        if not args.quick:
            sizes.append((large_book(scratch, 16), 1, True))
        results = []
        for book, runs, edit in sizes:
            print(f"benchmarking {book.name} ({words(book):,} words, {runs} run(s))…",
                  file=sys.stderr)
            results.append(bench_book(book, scratch, runs, edit))
    report = render(results)
    (ROOT / "bench" / "results.md").write_text(report)
    print(report)


def render(results: list[dict]) -> str:
    lines = [f"# Benchmark results\n\nMachine: {platform.machine()}, "
             f"{_cpus()} cores, Python {platform.python_version()}; "
             f"{time.strftime('%Y-%m-%d')}. Seconds are medians; memory is peak RSS.\n",
             "| Book | Words | Baseline PDF (pandoc + WeasyPrint) | Our cold build, every "
             "output | Our cold build, PDF only | No-op rebuild | One-chapter edit | Peak RSS |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        edit = f"{r['edit'][0]:.1f} s" if "edit" in r else "–"
        pdf = f"{r['pdf'][0]:.1f} s" if "pdf" in r else "–"
        lines.append(f"| {r['book']} | {r['words']:,} | {r['baseline'][0]:.1f} s | "
                     f"{r['cold'][0]:.1f} s | {pdf} | {r['noop'][0]:.2f} s | {edit} | "
                     f"{peak_rss(r)} MiB |")
    essay, large = results[0], results[-1]
    targets = [
        ("cold build of all outputs ÷ baseline PDF", essay["cold"][0] / essay["baseline"][0],
         2.0),
        ("no-op rebuild ÷ cold build", essay["noop"][0] / essay["cold"][0], 0.05),
    ]
    if "edit" in large and large is not essay:
        targets.append(("one-chapter edit ÷ cold build (large book)",
                        large["edit"][0] / large["cold"][0], 0.25))
        targets.append(("large-book PDF (cold) ÷ baseline on the same text",
                        large["pdf"][0] / large["baseline"][0], 1.0))
    if len(results) == 3:
        targets.append(("time from 10× to 50× size", results[2]["cold"][0] /
                        results[1]["cold"][0], 5.5))
    targets.append(("peak RSS (GiB)", max(peak_rss(r) for r in results) / 1024, 1.0))
    lines += ["", "| Target | Ratio | Limit | Holds |", "| --- | ---: | ---: | --- |"]
    for name, ratio, limit in targets:
        lines.append(f"| {name} | {ratio:.2f} | {limit} | {'yes' if ratio <= limit else 'NO'} |")
    return "\n".join(lines) + "\n"


def peak_rss(result: dict) -> int:
    """The largest process of any measured run (our build or the baseline), MiB."""
    return max(value[1] for key, value in result.items()
               if key in ("baseline", "cold", "pdf", "noop", "edit"))


def _cpus() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE))
    main()
