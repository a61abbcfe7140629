"""folio.output and folio.build: outputs are published atomically, or not at all."""

import json

import pytest
from helpers import SAMPLE, snapshot

from folio.build import WARNINGS, build
from folio.formats import Format
from folio.output import staged


@pytest.fixture
def previous_output(tmp_path):
    """An output folder from an earlier build, with a file of the author's beside it."""
    output = tmp_path / "output"
    (output / "html" / "css").mkdir(parents=True)
    (output / "a-sample-book.pdf").write_bytes(b"%PDF old")
    (output / "a-sample-book.epub").write_bytes(b"PK old")
    (output / "html" / "index.html").write_text("<p>old</p>", encoding="utf-8")
    (output / "html" / "css" / "web.css").write_text("p {}", encoding="utf-8")
    (output / "notes.txt").write_text("mine", encoding="utf-8")
    return output


def leftovers(output):
    return sorted(p.name for p in output.parent.iterdir() if p.name != output.name)


def test_staged_publishes_on_success(tmp_path, previous_output):
    with staged(previous_output) as staging:
        assert staging.parent == previous_output.parent and staging != previous_output
        (staging / "a-sample-book.pdf").write_bytes(b"%PDF new")
        (staging / "html").mkdir()
        (staging / "html" / "index.html").write_text("<p>new</p>", encoding="utf-8")
    after = snapshot(previous_output)
    assert after["a-sample-book.pdf"] == b"%PDF new"
    assert after["html/index.html"] == b"<p>new</p>"
    assert "html/css/web.css" not in after, "a format's folder is replaced whole"
    assert after["a-sample-book.epub"] == b"PK old", "formats not built stay"
    assert after["notes.txt"] == b"mine"
    assert not [n for n in after if n.startswith(".")], "no hidden leftovers in output/"
    assert leftovers(previous_output) == [], "no staging folder is left beside output/"


def test_staged_leaves_output_untouched_on_failure(previous_output):
    before = snapshot(previous_output)
    with pytest.raises(RuntimeError), staged(previous_output) as staging:
        (staging / "a-sample-book.pdf").write_bytes(b"%PDF half")
        raise RuntimeError("render failed")
    assert snapshot(previous_output) == before
    assert leftovers(previous_output) == []


def test_staged_creates_a_missing_output(tmp_path):
    output = tmp_path / "deep" / "output"
    with staged(output) as staging:
        (staging / "x.pdf").write_bytes(b"x")
    assert snapshot(output) == {"x.pdf": b"x"}


def test_failing_render_leaves_previous_outputs_byte_identical(previous_output, monkeypatch):
    before = snapshot(previous_output)
    rendered = []

    def renderer(declared):
        def render(job):
            rendered.append(declared.name)
            job.target.write_bytes(b"new " + declared.name.encode())
            if declared.name == "epub":
                raise RuntimeError("the EPUB renderer crashed")
        return render

    monkeypatch.setattr(Format, "renderer", renderer)
    with pytest.raises(RuntimeError):
        build(SAMPLE, previous_output, ["pdf", "epub", "html"])
    assert rendered == ["pdf", "epub"]
    assert snapshot(previous_output) == before, "the PDF made before the failure is not published"
    assert leftovers(previous_output) == []


def test_successful_build_replaces_only_its_formats(previous_output, monkeypatch):
    def renderer(declared):
        return lambda job: job.target.write_bytes(b"new " + declared.name.encode())

    monkeypatch.setattr(Format, "renderer", renderer)
    made = build(SAMPLE, previous_output, ["pdf"])
    assert made == {"pdf": previous_output / "a-sample-book.pdf"}
    after = snapshot(previous_output)
    assert after.pop("a-sample-book.pdf") == b"new pdf"
    record = json.loads(after.pop(".folio-cache.json"))
    assert set(record) == {"pdf", WARNINGS}  # and the manuscript's warnings, for a no-op build
    assert record[WARNINGS]["key"] == record["pdf"]
    parsed = [name for name in after if name.startswith(".folio-parsed/")]
    assert parsed, "pandoc's readings are not kept for the next build"
    for name in parsed:
        del after[name]
    before = {"a-sample-book.epub": b"PK old", "html/index.html": b"<p>old</p>",
              "html/css/web.css": b"p {}", "notes.txt": b"mine"}
    assert after == before


@pytest.mark.parametrize("fmt", ["pdf", "epub"])
def test_builds_are_reproducible(tmp_path, monkeypatch, fmt):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    first = build(SAMPLE, tmp_path / "one", [fmt])[fmt].read_bytes()
    second = build(SAMPLE, tmp_path / "two", [fmt])[fmt].read_bytes()
    assert first == second, f"two builds of the same {fmt.upper()} differ"


def test_an_unchanged_book_is_not_built_again(tmp_path, monkeypatch):
    calls = []
    real = Format.renderer

    def renderer(declared):
        calls.append(declared.name)
        return real(declared)

    monkeypatch.setattr(Format, "renderer", renderer)
    timings: dict[str, float] = {}
    build(SAMPLE, tmp_path / "out", ["html"])
    build(SAMPLE, tmp_path / "out", ["html"], timings=timings)
    assert calls == ["html"] and set(timings) == {"total"}
    build(SAMPLE, tmp_path / "out", ["html"], force=True)
    assert calls == ["html", "html"]
