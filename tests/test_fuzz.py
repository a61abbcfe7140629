"""Property-based tests: whatever a manuscript holds, `check` and the build either
succeed with valid output or fail with a located message, never a crash."""

from __future__ import annotations

import tempfile
import zipfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from folio.build import build
from folio.check import check_manuscript
from folio.errors import BuildError

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])

words = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                max_size=30)
plain = st.text(alphabet="abcdefghij KLMNO.,;:'\"-–—()[]{}#*_!?<>&/\\|`^~1234567890",
                max_size=60)
inline = st.one_of(
    plain, words,
    st.builds(lambda w: f"[{w}]{{.index}}", plain),
    st.builds(lambda w, t: f"[{w}]{{.index term=\"{t}\"}}", plain, plain),
    st.builds(lambda w: f"[{w}]{{.gloss}}", plain),
    st.builds(lambda w: f"[{w}](#one)", plain),
    st.builds(lambda w, u: f"[{w}]({u})", plain, plain),
    st.builds(lambda n: f"text.[^n{n}]", st.integers(0, 3)),
    st.builds(lambda w: f"![{w}](images/red.png)", plain),
    st.builds(lambda w: f"*{w}* **{w}** `{w}`", plain),
)
block = st.one_of(
    st.lists(inline, min_size=1, max_size=6).map(" ".join),
    st.builds(lambda n, w: "#" * n + " " + w, st.integers(1, 6), plain),
    st.builds(lambda n, w: f"[^n{n}]: {w}", st.integers(0, 3), plain),
    st.lists(plain, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.builds(lambda w: f"> {w}", plain),
    st.builds(lambda w: f"```\n{w}\n```", plain),
    st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
)
chapter = st.builds(lambda title, blocks: f"# {title or 'Untitled'} {{#one}}\n\n"
                    + "\n\n".join(blocks) + "\n",
                    plain, st.lists(block, max_size=8))
scalar = st.one_of(st.none(), st.booleans(), st.integers(), plain, words,
                   st.lists(plain, max_size=2), st.dictionaries(plain, plain, max_size=2))
metadata = st.fixed_dictionaries(
    {"title": st.one_of(plain.filter(str.strip), scalar), "author": st.one_of(plain, scalar)},
    optional={"language": st.one_of(st.sampled_from(["en", "fr", "de-AT"]), scalar),
              "version": scalar, "date": scalar, "subjects": scalar, "subtitle": scalar},
)
glossary = st.lists(st.fixed_dictionaries(
    {"term": st.one_of(plain, scalar)},
    optional={"definition": st.one_of(plain, scalar), "aliases": scalar, "see": scalar,
              "id": st.one_of(plain, scalar)}), max_size=4)
chronology = st.lists(st.fixed_dictionaries(
    {"date": st.one_of(st.sampled_from(["1917", "1917-10", "1917-10-25", "1917-02-30",
                                        "19x7", "1917-13"]), scalar)},
    optional={"end": st.one_of(st.sampled_from(["1921", "1900"]), scalar),
              "event": st.one_of(plain, scalar), "chapters": scalar}), max_size=4)

# For the build: settings that pass, with odd text everywhere a renderer shows it.
text_field = st.one_of(plain, words).filter(lambda t: t.strip() and t.strip() == t)
good_metadata = st.fixed_dictionaries(
    {"title": text_field, "author": text_field},
    optional={"subtitle": text_field, "description": text_field,
              "language": st.sampled_from(["en", "fr", "de"])})
good_glossary = st.lists(st.fixed_dictionaries(
    {"term": text_field, "definition": text_field},
    optional={"aliases": st.lists(text_field, max_size=2)}),
    max_size=3, unique_by=lambda entry: entry["term"].casefold())
clean_inline = st.one_of(
    text_field,
    st.builds(lambda w: f"[{w}]{{.index}}", text_field.filter(lambda t: "]" not in t)),
    st.builds(lambda w: f"*{w}*", text_field),
    st.builds(lambda w: f"`{w}`", text_field.filter(lambda t: "`" not in t)),
    st.just("see [the start](#one)"), st.just("![A red square](images/red.png)"),
    st.just("a claim.[^a]"),
)
clean_block = st.one_of(
    st.lists(clean_inline, min_size=1, max_size=5).map(" ".join),
    st.builds(lambda w: f"## {w}", text_field),
    st.lists(text_field, min_size=1, max_size=3).map(lambda i: "\n".join(f"1. {x}" for x in i)),
    st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
)
clean_chapter = st.builds(
    lambda blocks: "# A Chapter {#one}\n\nFirst words.\n\n" + "\n\n".join(blocks)
    + ("\n\n[^a]: A note.\n" if any("[^a]" in b for b in blocks) else "\n"),
    st.lists(clean_block, min_size=1, max_size=8))
good_chronology = st.lists(st.fixed_dictionaries(
    {"date": st.sampled_from(["1905", "1917-10", "1917-10-25", "1940-08-21"]),
     "event": text_field}, optional={"chapters": st.just(["one"])}), max_size=3)


def _write(folder: Path, meta: dict, text: str, gloss: list, chron: list) -> Path:
    from helpers import tiny_png

    (folder / "chapters").mkdir(parents=True)
    (folder / "images").mkdir()
    (folder / "images" / "red.png").write_bytes(tiny_png())
    meta = {**meta, "contents": {"chapters": ["chapters/one.md"], "glossary": "glossary.yaml",
                                 "chronology": "chronology.yaml"}}
    (folder / "book.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True))
    (folder / "chapters" / "one.md").write_text(text)
    (folder / "glossary.yaml").write_text(yaml.safe_dump(gloss, allow_unicode=True))
    (folder / "chronology.yaml").write_text(yaml.safe_dump(chron, allow_unicode=True))
    return folder


def _assert_clean_failure(error: BuildError) -> None:
    message = error.format()
    assert message.strip() and "Traceback" not in message


@SETTINGS
@given(meta=metadata, text=chapter, gloss=glossary, chron=chronology)
def test_check_reports_or_passes_but_never_crashes(meta, text, gloss, chron):
    with tempfile.TemporaryDirectory() as scratch:
        root = _write(Path(scratch) / "book", meta, text, gloss, chron)
        checked = check_manuscript(root)
        findings, book = checked.findings, checked.book
        for finding in findings:
            assert finding.format(root).strip()
        if not any(f.is_error for f in findings):
            assert book is not None


@settings(SETTINGS, max_examples=12)
@given(meta=good_metadata, text=clean_chapter, gloss=good_glossary, chron=good_chronology)
def test_build_gives_valid_output_or_a_clean_message(meta, text, gloss, chron):
    with tempfile.TemporaryDirectory() as scratch:
        root = _write(Path(scratch) / "book", meta, text, gloss, chron)
        output = Path(scratch) / "output"
        try:
            made = build(root, output, ["pdf", "epub", "html"])
        except BuildError as error:
            _assert_clean_failure(error)
            assert not output.exists()
            return
        assert made["pdf"].read_bytes().startswith(b"%PDF")
        with zipfile.ZipFile(made["epub"]) as epub:
            assert epub.namelist()[0] == "mimetype"
            for name in epub.namelist():
                if name.endswith((".xhtml", ".opf", ".ncx")):
                    etree.fromstring(epub.read(name))  # well-formed XML
        for page in made["html"].glob("*.html"):
            assert lxml_html.fromstring(page.read_bytes()).find(".//title") is not None
