"""The limits a real book never meets: each is refused beyond it with a located
message, and a book just inside it still builds. Every check runs in linear time."""

from __future__ import annotations

import io
import time

import pytest
from helpers import MINIMAL_CONFIG, tiny_png, write_book
from PIL import Image

from folio.build import build
from folio.errors import BuildError
from folio.files import MAX_LINE, read_text, why_refused
from folio.images import BadImage, verify_image
from folio.lint.source_rules import check_file
from folio.read import load_config
from folio.read.nesting import MAX_DEPTH
from folio.read.yamlfile import MAX_ALIASED, load_yaml

# --- YAML ---------------------------------------------------------------------------------


def test_aliases_within_the_budget_load(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_text("base: &base {a: 1, b: 2}\nfirst: *base\nsecond: [*base, *base]\n")
    data = load_yaml(path)
    assert data["first"] == {"a": 1, "b": 2} and data["second"][1]["b"] == 2


def test_a_billion_laughs_is_refused_at_once(tmp_path):
    path = tmp_path / "data.yaml"
    path.write_text("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{b}: &{b} [" + ", ".join([f"*{a}"] * 10) + "]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)))
    started = time.monotonic()
    with pytest.raises(BuildError) as raised:
        load_yaml(path)
    assert time.monotonic() - started < 5
    assert raised.value.path == path
    assert raised.value.line == 4  # where the aliases pass 10,000 values: 10 × 10 × 10 × 10
    assert f"{MAX_ALIASED:,} values" in raised.value.message


@pytest.mark.parametrize("depth, refused", [(50, False), (51, True), (20_000, True)])
def test_nesting_of_yaml(tmp_path, depth, refused):
    path = tmp_path / "data.yaml"  # a mapping, and lists in it: *depth* in all
    path.write_text("key:\n  " + "[" * (depth - 1) + "]" * (depth - 1) + "\n")
    if not refused:
        assert load_yaml(path) is not None
        return
    with pytest.raises(BuildError) as raised:
        load_yaml(path)
    assert raised.value.line == 2 and "nested more than 50 deep" in raised.value.message


# --- text files ---------------------------------------------------------------------------


@pytest.mark.parametrize("data, line, column, words", [
    (b"# One\n\nCaf\xe9.\n", 3, 4, "not UTF-8"),
    (b"# One\n\nA\x00B\n", 3, 2, "U+0000 (NUL)"),
    (b"# One\n\n\x1b[1mbold\n", 3, 1, "U+001B (ESC)"),
    (b"# One\n\nfeed\x0c\n", 3, 5, "form feed"),
])
def test_bad_bytes_are_located(tmp_path, data, line, column, words):
    path = tmp_path / "one.md"
    path.write_bytes(data)
    with pytest.raises(BuildError) as raised:
        read_text(path, [tmp_path])
    assert (raised.value.line, raised.value.column) == (line, column)
    assert words in raised.value.message


def test_a_line_at_the_limit_is_read_and_one_past_it_is_not(tmp_path):
    path = tmp_path / "one.md"
    path.write_text("# One\n\n" + "a" * MAX_LINE + "\n")
    assert read_text(path, [tmp_path])
    path.write_text("# One\n\n" + "a" * (MAX_LINE + 1) + "\n")
    with pytest.raises(BuildError) as raised:
        read_text(path, [tmp_path])
    assert raised.value.line == 3


def test_what_is_refused_and_why(tmp_path):
    import os

    (tmp_path / "book").mkdir()
    (tmp_path / "secret").write_text("x")
    (tmp_path / "book" / "file").write_text("x")
    (tmp_path / "book" / "out").symlink_to(tmp_path / "secret")
    (tmp_path / "book" / "in").symlink_to(tmp_path / "book" / "file")
    (tmp_path / "book" / "loop").symlink_to(tmp_path / "book" / "loop")
    (tmp_path / "book" / "dangling").symlink_to(tmp_path / "book" / "nothing")
    (tmp_path / "book" / "zero").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "book" / "pipe")
    root = [tmp_path / "book"]
    assert why_refused(tmp_path / "book" / "file", root) is None
    assert why_refused(tmp_path / "book" / "in", root) is None
    assert "outside" in why_refused(tmp_path / "book" / "out", root)
    assert "loop" in why_refused(tmp_path / "book" / "loop", root)
    assert "points to no file" in why_refused(tmp_path / "book" / "dangling", root)
    assert "outside" in why_refused(tmp_path / "book" / "zero", [tmp_path / "book",
                                                                   tmp_path.parent])
    assert "device" in why_refused(tmp_path / "book" / "zero", [__import__("pathlib")
                                                                  .Path("/dev")])
    assert "FIFO" in why_refused(tmp_path / "book" / "pipe", root)
    assert "folder" in why_refused(tmp_path / "book", [tmp_path])


# --- every lint check is linear -------------------------------------------------------------

HOSTILE_LINES = ["<a ", "<a onx ", "[", "[^", "{", "{#", "](", "[x](", "[x](u \"", "`", "<",
                 "[x]{.index", "{.index term=\"", "{.index .index", "<!-- lint: ignore T001 ",
                 "![", " onon", "<a o", "'", "--", "  x"]


def test_every_lint_rule_is_linear(tmp_path):
    """A line at the length limit of each pattern that made a rule quadratic (a scan
    from every position: minutes for one line) is checked in well under a second."""
    chapter = tmp_path / "one.md"
    slowest = (0.0, "")
    for piece in HOSTILE_LINES:
        chapter.write_text("# One {#one}\n\n" + piece * (MAX_LINE // len(piece)) + "\n")
        started = time.perf_counter()
        check_file(chapter, tmp_path)
        slowest = max(slowest, (time.perf_counter() - started, piece))
    assert slowest[0] < 2.0, f"{slowest[1]!r} took {slowest[0]:.1f} s"


# --- images --------------------------------------------------------------------------------


def _encoded(fmt: str, size=(4, 3)) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", size, "red").save(data, format=fmt)
    return data.getvalue()


@pytest.mark.parametrize("name, data, size, words", [
    ("ok.png", tiny_png(), (2, 2), None),
    ("ok.jpg", _encoded("JPEG"), (4, 3), None),
    ("ok.gif", _encoded("GIF"), (4, 3), None),
    ("ok.webp", _encoded("WEBP"), (4, 3), None),
    ("ok.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="2" height="2"/>', None, None),
    ("jpeg.png", _encoded("JPEG"), None, "a JPEG image, not PNG"),
    ("text.png", b"hello\n", None, "not a PNG image"),
    ("cut.png", tiny_png()[:-20], None, "damaged or cut short"),
    ("cut.jpg", _encoded("JPEG", (64, 64))[:-200], None, "damaged or cut short"),
    ("broken.svg", b"<svg><g></svg>", None, "not well-formed"),
    ("html.svg", b"<html/>", None, "not an SVG image"),
    ("entities.svg", b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                     b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>', None, None),
])
def test_each_image_is_verified(tmp_path, name, data, size, words):
    path = tmp_path / name
    path.write_bytes(data)
    if words is None:
        assert verify_image(path, tmp_path) == size
        return
    with pytest.raises(BadImage) as raised:
        verify_image(path, tmp_path)
    assert words in str(raised.value)


def test_an_image_over_the_pixel_limit_is_refused_before_it_is_decoded(tmp_path):
    path = tmp_path / "large.png"
    Image.new("1", (8000, 5001)).save(path)  # 40,008,000 pixels, 5 MB decoded, tiny file
    started = time.monotonic()
    with pytest.raises(BadImage, match="8000×5001 pixels is more than the 40 megapixels"):
        verify_image(path, tmp_path)
    assert time.monotonic() - started < 2


# --- markup nesting, settings and names ------------------------------------------------------


def _nested_list(levels: int) -> str:
    return "".join("  " * level + "- item\n" for level in range(levels))


def test_a_book_nested_just_inside_the_limit_is_laid_out(tmp_path):
    levels = MAX_DEPTH - 1  # a <div> a level, and the <p> inside
    book = write_book(tmp_path / "book", chapter="# One {#one}\n\nText.\n\n"
                      + "<div>" * levels + "\n\nDeep.\n\n" + "</div>" * levels + "\n")
    made = build(book, tmp_path / "output", ["pdf"])
    assert made["pdf"].stat().st_size > 1000


def test_a_book_nested_past_the_limit_is_refused_at_its_deepest_line(tmp_path):
    levels = MAX_DEPTH // 2 + 1
    book = write_book(tmp_path / "book", chapter="# One {#one}\n\nText.\n\n"
                      + _nested_list(levels))
    with pytest.raises(BuildError) as raised:
        build(book, tmp_path / "output", ["html"])
    assert f"{MAX_DEPTH} Folio lays out" in raised.value.format()
    assert f"one.md:{4 + levels}" in raised.value.format()


def test_the_smallest_page_is_laid_out(tmp_path):
    book = write_book(tmp_path / "book", MINIMAL_CONFIG + "pdf:\n  trim: 4in 5in\n")
    made = build(book, tmp_path / "output", ["pdf"])
    import pypdfium2

    document = pypdfium2.PdfDocument(made["pdf"])
    assert [round(v) for v in document[0].get_size()] == [288, 360]
    document.close()


@pytest.mark.parametrize("setting, words", [
    ("trim: 0in 0in", "the page's width must be from 4in to 24in, not 0in"),
    ("trim: 6in 4in", "the page's height must be from 5in to 24in, not 4in"),
    ("trim: 6in 100in", "not 100in"),
    ("bleed: 2in", "'pdf.bleed': it must be from 0in to 0.5in"),
    ("caliper: 0in", "'pdf.caliper': it must be from 0.001in"),
])
def test_settings_out_of_range_are_refused(tmp_path, setting, words):
    book = write_book(tmp_path / "book", MINIMAL_CONFIG + f"pdf:\n  {setting}\n")
    with pytest.raises(BuildError) as raised:
        load_config(book)
    assert words in raised.value.format()
    assert ":9:" in raised.value.format()


def test_a_title_of_400_characters_makes_names_that_fit(tmp_path):
    title = " ".join(["Unreasonably"] * 33)[:400]
    book = write_book(tmp_path / "book", MINIMAL_CONFIG.replace("A Minimal Book", title))
    config = load_config(book)
    assert len(config.slug) <= 60 and config.slug.startswith("unreasonably-")
    assert not config.slug.endswith("-") and "unreasonab-" not in config.slug
    made = build(config, tmp_path / "output", ["epub"])
    assert made["epub"].is_file() and made["epub"].name == f"{config.slug}.epub"
