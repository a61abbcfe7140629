#!/usr/bin/env python3
"""Benchmark: our build against the tool users would otherwise use, on this machine.

    .venv/bin/python bench/run.py [--quick] [--runs N] [--only cold,serve,…]

Times, on the first book and on generated large books (the manuscript repeated,
apparatus and all, to about 10× and 50× the essay's length), each build in a fresh
process:
  - baseline: raw `pandoc --pdf-engine=weasyprint` on the same Markdown, run in turn
    with our cold build of every output (PDF ×3, EPUB, web book) and, on the large
    book, our cold build of the PDF editions alone (the baseline's one output) and the
    same pinned to one core with `taskset` (two cores against one);
  - our no-op rebuild, and our rebuild of every output after editing one chapter: a
    letter of a word in the middle chapter changed, as when a typo is fixed (the page
    breaks stay), and on the large book a paragraph of about 120 words added near the
    start of the first chapter (every later page break of that chapter moves);
  - on the large book, `build.py serve`: seconds from saving a chapter with a word
    changed to the served page holding it, and with `--pdf` to the served PDF holding
    it (see preview.py);
reports medians, peak memory (RSS) and the target ratios, and writes
bench/results.md (not with --only). Not a test: numbers depend on the machine; ratios
less so.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import preview
from edits import corrected, lengthened
from pdftext import edition, page_texts, pages_changed

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


def alternating(runs: int, commands: dict[str, list[str]]) -> dict[str, tuple[float, int]]:
    """Median seconds and peak RSS (MiB) of each of *commands*, run in turn *runs* times
    (one of each, then again), so that a machine slowing down or speeding up during the
    benchmark moves them all alike and their ratios hold."""
    rounds = [{name: measure(command) for name, command in commands.items()}
              for _ in range(runs)]
    return {name: (statistics.median(r[name][0] for r in rounds),
                   max(r[name][1] for r in rounds)) for name in commands}


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


def chapters_of(book: Path) -> list[Path]:
    """The book's chapter files, in their order (front matter aside)."""
    import yaml

    config = yaml.safe_load((book / "book.yaml").read_text())
    return [book / p for p in config["contents"]["chapters"]]


@dataclass
class Plan:
    """What to measure on one book: *runs* of the cold and no-op builds, *edit_runs* of
    each edit, and which measurements (names in :data:`MEASUREMENTS`)."""
    book: Path
    runs: int
    edit_runs: int
    wanted: set[str]
    large: bool = False
    saves: int = 5


def bench_book(plan: Plan, scratch: Path) -> dict:
    import pypandoc

    book, wanted = plan.book, plan.wanted
    out = scratch / f"out-{book.name}"
    ours = [PYTHON, str(ROOT / "build.py"), "all", "--quiet", "--book", str(book),
            "--output", str(out)]
    pdf = [*ours[:2], "pdf", *ours[3:], "--force"]
    commands: dict[str, list[str]] = {}
    if "cold" in wanted:
        commands["baseline"] = [pypandoc.get_pandoc_path(), "--pdf-engine", str(WEASYPRINT),
                                "-o", str(scratch / f"{book.name}-baseline.pdf"),
                                *map(str, markdown_of(book))]
    if plan.large and wanted & {"cold", "cores"}:
        commands["pdf"] = pdf
    skipped: dict[str, str] = {}
    if plan.large and "cores" in wanted:
        if reason := one_core_unavailable():
            print(f"two cores against one: not measured: {reason}", file=sys.stderr)
            skipped["cores"] = reason
        else:
            commands["pdf1"] = ["taskset", "-c", str(min(os.sched_getaffinity(0))), *pdf]
    # Last in each round, so that every output is built for what follows; measured even
    # when not asked for, as the setup and the measure of the edits.
    commands["cold"] = [*ours, "--force"]
    result = {"book": book.name, "words": words(book), "skipped": skipped,
              **alternating(plan.runs, commands)}
    if "noop" in wanted:
        result["noop"] = median_of(plan.runs, ours)
    if "typo" in wanted and (plan.large or book.name == "essay"):
        result["edit"] = typo_edit(book, ours, plan.edit_runs)
    if "pagebreak" in wanted and plan.large:
        if "edit" in result:
            measure(ours)  # untimed: the outputs caught up with the chapter put back
        result["pagebreak"] = pagebreak_edit(book, out, ours, plan.edit_runs)
    if "serve" in wanted and plan.large:
        chapters = chapters_of(book)
        chapter = chapters[len(chapters) // 2]
        for key, with_pdf in (("serve", False), ("serve-pdf", True)):
            print(f"  preview{' --pdf' if with_pdf else ''}: {plan.saves} saves of "
                  f"{chapter.name}…", file=sys.stderr)
            result[key] = preview.measure(book, out, chapter, plan.saves, with_pdf)
    return result


def one_core_unavailable() -> str:
    """Why the build cannot be measured on one core against all, or "" when it can."""
    if not shutil.which("taskset"):
        return "taskset (util-linux) is not installed"
    if len(os.sched_getaffinity(0)) < 2:
        return "this process may use only one core"
    return ""


def typo_edit(book: Path, ours: list[str], runs: int) -> tuple[float, int]:
    """Median seconds and peak RSS of rebuilding every output after a letter of a word in
    the middle chapter is changed (a different word each run); the chapter is put back
    afterwards (the outputs are then one edit behind it)."""
    chapters = markdown_of(book)
    chapter = chapters[len(chapters) // 2]
    original = chapter.read_text()
    edits = iter(range(runs))
    try:
        return median_of(runs, ours, before=lambda: chapter.write_text(
            corrected(original, next(edits))))
    finally:
        chapter.write_text(original)


def pagebreak_edit(book: Path, out: Path, ours: list[str], runs: int) -> tuple[float, int]:
    """Median seconds and peak RSS of rebuilding every output after a paragraph of about
    120 words is added near the start of the first chapter (one more at each run, so each
    run moves page breaks against the build before it). Each run's screen PDF is checked
    for a moved page break (pages other than the one the paragraph went to changed);
    none is a SystemExit. The chapter is put back afterwards (the outputs are then one
    edit behind it)."""
    chapter = chapters_of(book)[0]
    original = chapter.read_text()
    before = page_texts(edition(out))
    results = []
    try:
        for run in range(runs):
            chapter.write_text(lengthened(original, run + 1))
            results.append(measure(ours))
            after = page_texts(edition(out))
            if pages_changed(before, after) < 2:
                raise SystemExit(f"{chapter.name}: {run + 1} paragraph(s) added and no page "
                                 "break of the PDF moved")
            before = after
    finally:
        chapter.write_text(original)
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


MEASUREMENTS = {
    "cold": "baseline PDF and our cold builds, in turn (and our PDF alone, large book)",
    "noop": "no-op rebuild",
    "typo": "one letter of a word changed in the middle chapter, every output rebuilt",
    "pagebreak": "a paragraph added near the first chapter's start (large book)",
    "cores": "the large book's cold PDF on one core against all, in turn",
    "serve": "build.py serve: save to refreshed page (and PDF, with --pdf), large book",
}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawTextHelpFormatter,
        epilog="measurements:\n" + "\n".join(f"  {name:10} {what}"
                                               for name, what in MEASUREMENTS.items()))
    parser.add_argument("--quick", action="store_true",
                        help="leave out the 50× book and what needs it")
    parser.add_argument("--runs", type=int, default=3, help="runs a measurement (median)")
    parser.add_argument("--large-runs", type=int, default=1,
                        help="runs of the large book's cold and no-op builds (median)")
    parser.add_argument("--edit-runs", type=int, default=3,
                        help="runs of each edit of the large book (median)")
    parser.add_argument("--saves", type=int, default=5,
                        help="saves a preview session times (median)")
    parser.add_argument("--only", type=_names, default=set(MEASUREMENTS),
                        help="comma-separated measurements to run (see below);\n"
                             "each book's cold build runs as their setup;\n"
                             "results.md is not written")
    args = parser.parse_args()
    wanted = args.only
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        plans = []
        if wanted & {"cold", "noop", "typo"}:
            essay = scratch / "essay"
            shutil.copytree(MANUSCRIPT, essay)
            plans.append(Plan(essay, args.runs, args.runs, wanted))
        if wanted & {"cold", "noop"}:
            plans.append(Plan(large_book(scratch, 3), max(1, args.runs - 1), 0, wanted))
        if not args.quick:
            plans.append(Plan(large_book(scratch, 16), args.large_runs, args.edit_runs, wanted,
                              large=True, saves=args.saves))
        results = {}
        for plan in plans:
            print(f"benchmarking {plan.book.name} ({words(plan.book):,} words, "
                  f"{plan.runs} run(s))…", file=sys.stderr)
            results[plan.book.name] = bench_book(plan, scratch)
    report = render(results, args.quick, (load, os.getloadavg()[0]))
    if wanted == set(MEASUREMENTS):
        (ROOT / "bench" / "results.md").write_text(report)
    print(report)


def _names(value: str) -> set[str]:
    names = {name.strip() for name in value.split(",") if name.strip()}
    if unknown := names - set(MEASUREMENTS):
        raise argparse.ArgumentTypeError(f"unknown: {', '.join(sorted(unknown))}")
    return names


def _seconds(result: dict, key: str, digits: int = 1) -> str:
    return f"{result[key][0]:.{digits}f} s" if key in result else "–"


def render(results: dict[str, dict], quick: bool, load: tuple[float, float]) -> str:
    """The report in Markdown; *load* is the machine's load average (one minute) at the
    start and at the end of the run: above 1 a core, other work shared the machine."""
    lines = [f"# Benchmark results\n\nMachine: {platform.machine()}, "
             f"{_cpus()} cores, Python {platform.python_version()}; "
             f"{time.strftime('%Y-%m-%d')}; load average {load[0]:.1f} at the start, "
             f"{load[1]:.1f} at the end. Seconds are medians; memory is peak RSS.\n",
             "| Book | Words | Baseline PDF (pandoc + WeasyPrint) | Our cold build, every "
             "output | Our cold build, PDF only | The same, on one core | No-op rebuild | "
             "One-chapter edit | Page-break edit | Peak RSS |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results.values():
        lines.append(f"| {r['book']} | {r['words']:,} | {_seconds(r, 'baseline')} | "
                     f"{_seconds(r, 'cold')} | {_seconds(r, 'pdf')} | {_seconds(r, 'pdf1')} | "
                     f"{_seconds(r, 'noop', 2)} | {_seconds(r, 'edit')} | "
                     f"{_seconds(r, 'pagebreak')} | {peak_rss(r)} MiB |")
    lines += preview_table(results)
    lines += ["", "| Target | Ratio | Limit | Holds |", "| --- | ---: | ---: | --- |"]
    for name, ratio, limit, why in targets(results, quick):
        if ratio is None:
            lines.append(f"| {name} | – | {limit} | not measured ({why}) |")
        else:
            lines.append(f"| {name} | {ratio:.2f} | {limit} | "
                         f"{'yes' if ratio <= limit else 'NO'} |")
    return "\n".join(lines) + "\n"


def preview_table(results: dict[str, dict]) -> list[str]:
    """Rows of the preview's latency, one a serve session measured."""
    rows = []
    for r in results.values():
        for key, option in (("serve", ""), ("serve-pdf", " --pdf")):
            if key not in r:
                continue
            latency: preview.Latency = r[key]
            web = " ".join(f"{s:.2f}" for s in latency.web)
            pdf = (f"{latency.median('pdf'):.2f} s ({' '.join(f'{s:.1f}' for s in latency.pdf)})"
                   if latency.pdf else latency.pdf_skipped or "–")
            rows.append(f"| {r['book']} | serve{option} | {len(latency.web)} | "
                        f"{latency.median('web'):.2f} s ({web}) | {pdf} | "
                        f"{latency.peak_rss} MiB |")
    if not rows:
        return []
    return ["", "Preview (`build.py serve`): seconds from saving a chapter with a word "
            "changed to the served page (or PDF) holding it; median (each save).", "",
            "| Book | Session | Saves | Web page refreshed | PDF updated | Peak RSS (server) |",
            "| --- | --- | ---: | ---: | ---: | ---: |", *rows]


def targets(results: dict[str, dict],
            quick: bool) -> list[tuple[str, float | None, float, str]]:
    """Each target: its name, the measured ratio (None when not measured), the limit and
    why it was not measured."""
    essay, small, large = (results.get(name, {}) for name in ("essay", "book-3x", "book-16x"))
    missing = "--quick" if quick else "not asked for"

    def ratio(a: dict, key: str, b: dict, over: str) -> float | None:
        return a[key][0] / b[over][0] if key in a and over in b else None

    serve = large.get("serve")
    return [
        ("cold build of every output ÷ baseline PDF (first book)",
         ratio(essay, "cold", essay, "baseline"), 2.0, "not asked for"),
        ("no-op rebuild ÷ cold build (first book)", ratio(essay, "noop", essay, "cold"),
         0.05, "not asked for"),
        ("one-chapter edit ÷ cold build (large book)", ratio(large, "edit", large, "cold"),
         0.25, missing),
        ("page-break edit near the start ÷ cold build (large book)",
         ratio(large, "pagebreak", large, "cold"), 0.15, missing),
        ("large-book PDF (cold) ÷ baseline on the same text",
         ratio(large, "pdf", large, "baseline"), 1.0, missing),
        (f"cold PDF on all {_cpus()} cores ÷ on one core (large book)",
         ratio(large, "pdf", large, "pdf1"), 0.6,
         large.get("skipped", {}).get("cores", missing)),
        ("time from 10× to 50× size", ratio(large, "cold", small, "cold"), 5.5, missing),
        ("peak RSS of any build or server (GiB)",
         max(peak_rss(r) for r in results.values()) / 1024 if results else None, 1.0,
         "not asked for"),
        ("preview: save to refreshed web page, seconds (large book)",
         serve.median("web") if serve else None, 1.0, missing),
    ]


def peak_rss(result: dict) -> int:
    """The largest process of any measured run (our build, the baseline or the preview's
    server), MiB."""
    builds = [value[1] for key, value in result.items()
              if key in ("baseline", "cold", "pdf", "pdf1", "noop", "edit", "pagebreak")]
    servers = [result[key].peak_rss for key in ("serve", "serve-pdf") if key in result]
    return max(builds + servers)


def _cpus() -> int:
    return len(os.sched_getaffinity(0))


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_NOFILE, resource.getrlimit(resource.RLIMIT_NOFILE))
    main()
