"""folio.theme.fonts: every character renders, in every script, in every format; a
character no font has is an error at its file:line:col."""

import zipfile
from io import BytesIO

import pikepdf
import pypdfium2
import pytest
from click.testing import CliRunner
from fontTools.ttLib import TTFont
from helpers import MINIMAL_CONFIG, epubcheck_report, write_book

from folio.build import build
from folio.check import check_manuscript
from folio.cli import main
from folio.theme.fonts import CHAIN, FontPlan, plan_fonts, with_fallbacks

WORDS = {"Chinese": "中文字", "Japanese": "日本語", "Korean": "한국어", "Persian": "فارسی",
         "Hindi": "हिन्दी", "Armenian": "Հայերեն", "Georgian": "ქართული", "Thai": "ภาษาไทย",
         "Greek": "αβγ", "Russian": "русский", "Amharic": "አማርኛ", "Runic": "ᚠᚢᚦ"}
CHAPTER = ("# Every Script {#every}\n\n"
           + ", ".join(f"{name} {word}" for name, word in WORDS.items())
           + ", an emoji 😀, a sun in code `☀ = sun()`, mathematics ∮.[^1]\n\n"
           "- one\n    - two\n        - three\n\n[^1]: A note in Tamil தமிழ்.\n")
CONFIG = MINIMAL_CONFIG.replace("title: A Minimal Book", "title: Scripts of 世界")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("scripts")
    book = write_book(root / "book", config=CONFIG, chapter=CHAPTER)
    return build(book, root / "out", ["pdf", "epub", "html"])


def test_the_chain_finds_a_face_for_each_script():
    plan = plan_fonts("中فܐ😀▪ᚠ", [])
    assert not plan.missing
    assert {"Folio Fallback CJK", "Folio Fallback Arabic", "Folio Fallback Emoji"} <= set(
        plan.families)
    assert plan_fonts("\ue000\u0378", []).missing == ("\u0378", "\ue000")


def test_fallback_families_follow_the_theme_families_only():
    plan = FontPlan((CHAIN[1],), ())
    css = ('@font-face { font-family: "Folio Serif"; src: url(a.otf); }\n'
           'html { font-family: "Folio Serif", serif; }\n'
           '@page { @top-left { font: italic 9pt "Folio Serif"; } }\n'
           'code { font-family: monospace; }')
    fixed = with_fallbacks(css, plan)
    assert '@font-face { font-family: "Folio Serif"; src' in fixed
    assert 'html { font-family: "Folio Serif", "Folio Fallback Arabic", serif; }' in fixed
    assert 'font: italic 9pt "Folio Serif", "Folio Fallback Arabic";' in fixed
    assert "code { font-family: monospace; }" in fixed


def test_every_script_is_drawn_in_the_pdf_with_the_themes_fonts(made):
    pdf = pypdfium2.PdfDocument(made["pdf"])
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    for word in [*WORDS.values(), "☀", "∮", "தமிழ்", "世界"]:
        assert word in text, word
    with pikepdf.open(made["pdf"]) as document:
        fonts = {str(o.BaseFont).split("+")[-1] for o in document.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"
                 and "/BaseFont" in o}
    assert all(f.startswith(("Folio-", "Noto-Color-Emoji")) for f in fonts), fonts
    assert {"Folio-Fallback-CJK", "Folio-Fallback-Arabic", "Noto-Color-Emoji"} <= fonts


def _cmap(data: bytes) -> set[int]:
    return set(TTFont(BytesIO(data)).getBestCmap())


def test_the_epub_carries_subset_fonts_for_every_script(made):
    with zipfile.ZipFile(made["epub"]) as archive:
        fonts = {n: archive.read(n) for n in archive.namelist() if "/fonts/" in n}
        css = archive.read("EPUB/css/epub.css").decode()
    assert "EPUB/fonts/LinLibertine_R.otf" in fonts
    cjk = next(data for name, data in fonts.items() if "fallback-cjk-400" in name)
    assert {ord(c) for c in "中文字日本語"} <= _cmap(cjk)
    assert ord("a") not in _cmap(cjk), "a fallback face holds only what the theme lacks"
    assert '"Folio Fallback CJK"' in css and "../fonts/folio-fallback-cjk-400.otf" in css


def test_the_web_book_serves_subset_fallback_fonts(made):
    folder = made["html"] / "fonts"
    arabic = (folder / "folio-fallback-arabic-400.woff2").read_bytes()
    assert {ord(c) for c in "فارسی"} <= _cmap(arabic)
    css = (made["html"] / "css" / "web.css").read_text(encoding="utf-8")
    assert "folio-fallback-arabic-400.woff2" in css


@pytest.mark.slow
def test_the_epub_passes_epubcheck(made):
    assert epubcheck_report(made["epub"]) == ""


def test_a_character_no_font_has_is_found_by_check_and_stops_the_build(tmp_path):
    book = write_book(tmp_path / "book", chapter="# One {#one}\n\nFine text.\n\n"
                                                 "An unassigned sign \u0378 here.\n")
    findings = [f for f in check_manuscript(book).findings if f.code == "F001"]
    assert [(f.path.name, f.line, f.column) for f in findings] == [("one.md", 5, 20)]
    assert "U+0378" in findings[0].message
    result = CliRunner().invoke(main, ["pdf", "--book", str(book), "--output",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "one.md:5:20: F001" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "a-minimal-book.pdf").exists()


def test_a_book_can_leave_the_fonts_out_of_its_epub(tmp_path):
    book = write_book(tmp_path / "book", config=MINIMAL_CONFIG + "epub:\n  embed_fonts: false\n")
    made = build(book, tmp_path / "out", ["epub"])
    with zipfile.ZipFile(made["epub"]) as archive:
        assert not [n for n in archive.namelist() if "/fonts/" in n]
