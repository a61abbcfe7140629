"""The theme's fonts and the fallback chain behind them.

A book is set in its theme's faces (``templates/fonts/``, a book's own first).
A character those faces lack (a Chinese or Persian word, an emoji, a symbol in
code, the ``▪`` of a third-level list) is drawn from the first face of the
fallback chain that has it: the Noto families from Debian's ``fonts-noto-core``,
``fonts-noto-cjk`` and ``fonts-noto-color-emoji`` (SIL Open Font License),
installed by set-up. Only the faces a book needs are declared, after the
theme's families in every ``font-family`` list, so that WeasyPrint (which falls
back through that list character by character) and every reading system use
them; the web book and the EPUB carry them subset to the characters used.

A character that no face of the theme or the chain has is an error at the line
that uses it (lint rule F001), found by ``check`` as well as by the build."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from ..files import allowed_file
from ..model import Book
from .templates import Theme

SYSTEM_FONTS = Path("/usr/share/fonts")
INSTALL_HINT = ("install the Noto fonts (Debian: sudo apt-get install fonts-noto-core "
                "fonts-noto-cjk fonts-noto-color-emoji)")
# Characters that need no glyph: controls, soft hyphen, joiners, variation selectors.
IGNORED = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
           *(chr(c) for c in range(0xFE00, 0xFE10))}
# The markers browsers and WeasyPrint draw for bulleted lists nested 1, 2, 3+ deep.
LIST_MARKERS = ("•", "◦", "▪")


@dataclass(frozen=True)
class Fallback:
    """One face of the chain: its CSS family and its files under ``SYSTEM_FONTS``
    (regular, and bold where the family has one)."""

    family: str
    regular: str
    bold: str | None = None

    @property
    def files(self) -> list[Path]:
        return [SYSTEM_FONTS / name for name in (self.regular, self.bold) if name]

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.family.lower()).strip("-")


def _noto(name: str, bold: bool = True,
          folder: str = "truetype/noto") -> tuple[str, str | None]:
    return f"{folder}/{name}-Regular.{'ttc' if 'CJK' in name else 'ttf'}", (
        f"{folder}/{name}-Bold.{'ttc' if 'CJK' in name else 'ttf'}" if bold else None)


def _chain() -> tuple[Fallback, ...]:
    """The chain's order: the serif faces of the world's major scripts, then symbols,
    mathematics and emoji (what a book most often needs comes first)."""
    named = [
        ("Serif", "NotoSerif"), ("Arabic", "NotoNaskhArabic"), ("Hebrew", "NotoSerifHebrew"),
        ("Devanagari", "NotoSerifDevanagari"), ("Bengali", "NotoSerifBengali"),
        ("Gujarati", "NotoSerifGujarati"), ("Gurmukhi", "NotoSerifGurmukhi"),
        ("Tamil", "NotoSerifTamil"), ("Telugu", "NotoSerifTelugu"),
        ("Kannada", "NotoSerifKannada"), ("Malayalam", "NotoSerifMalayalam"),
        ("Sinhala", "NotoSerifSinhala"), ("Thai", "NotoSerifThai"), ("Lao", "NotoSerifLao"),
        ("Khmer", "NotoSerifKhmer"), ("Myanmar", "NotoSerifMyanmar"),
        ("Armenian", "NotoSerifArmenian"), ("Georgian", "NotoSerifGeorgian"),
        ("Ethiopic", "NotoSerifEthiopic"), ("Tibetan", "NotoSerifTibetan"),
    ]
    chain = [Fallback(f"Folio Fallback {label}", *_noto(name)) for label, name in named]
    chain += [
        Fallback("Folio Fallback CJK", *_noto("NotoSerifCJK", folder="opentype/noto")),
        Fallback("Folio Fallback Sans", *_noto("NotoSans")),
        Fallback("Folio Fallback Math", *_noto("NotoSansMath", bold=False)),
        Fallback("Folio Fallback Symbols", *_noto("NotoSansSymbols")),
        Fallback("Folio Fallback Symbols 2", *_noto("NotoSansSymbols2", bold=False)),
        Fallback("Folio Fallback Emoji", "truetype/noto/NotoColorEmoji.ttf"),
    ]
    return tuple(chain) + _every_other_noto({face.regular for face in chain})


def _every_other_noto(named: set[str]) -> tuple[Fallback, ...]:
    """The rest of the Noto families installed (historic scripts, minority scripts),
    sans before serif as Noto ships most of them, in name order: the chain's last
    resort, read only for a character no face before has."""
    folder = SYSTEM_FONTS / "truetype/noto"
    rest = []
    for path in sorted(folder.glob("Noto*-Regular.ttf")):
        name = f"truetype/noto/{path.name}"
        if name in named:
            continue
        bold = path.with_name(path.name.replace("-Regular", "-Bold"))
        label = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", path.name.split("-")[0][4:])
        rest.append(Fallback(f"Folio Fallback {label}", name,
                             f"truetype/noto/{bold.name}" if bold.is_file() else None))
    return tuple(rest)


CHAIN = _chain()

# The face of formulas in the web book and the EPUB (MathML): STIX Two Math, which has
# the OpenType MATH table a browser needs to stretch brackets and set limits, and
# which draws the PDF's formulas too (it comes with ziamath; SIL Open Font License).
MATH_FAMILY = "Folio Math"


def math_font() -> Path:
    """The file of the formulas' face (see MATH_FAMILY)."""
    import ziamath

    return Path(ziamath.__file__).parent / "fonts" / "STIXTwoMath-Regular.ttf"


def coverage(path: Path) -> frozenset[int]:
    """The code points the font file at *path* maps (the first face of a collection);
    empty when the file is missing or unreadable. Kept while the file is unchanged."""
    try:
        status = path.stat()
    except OSError:
        return frozenset()
    return _coverage(path, status.st_mtime_ns, status.st_size)


@cache
def _coverage(path: Path, _mtime: int, _size: int) -> frozenset[int]:
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            font = TTCollection(path, lazy=True).fonts[0]
        else:
            font = TTFont(path, lazy=True)
        return frozenset(font.getBestCmap() or {})
    except Exception:  # noqa: BLE001 - any unreadable font covers nothing
        return frozenset()


@dataclass(frozen=True)
class FontPlan:
    """What a book needs beyond its theme's faces: the chain's faces it uses, in
    chain order, and the characters no face has (with where they were first seen)."""

    fallbacks: tuple[Fallback, ...]
    missing: tuple[str, ...]
    math: bool = False  # the book has formulas (MathML): the web book and EPUB need MATH_FAMILY

    @property
    def families(self) -> list[str]:
        return [face.family for face in self.fallbacks]


def theme_font_files(theme: Theme) -> list[Path]:
    """Every font file of *theme* that the rule of ``folio.files`` lets be read (a
    regular file inside its root): a book's ``templates/fonts`` first."""
    return [path for folder, root in zip(theme.folders, theme.roots, strict=True)
            for path in sorted((folder / "fonts").glob("*.[ot]t[fc]"))
            if allowed_file(path, [root])]


def plan_fonts(characters: Iterable[str], theme_files: Iterable[Path],
               chain: tuple[Fallback, ...] = CHAIN) -> FontPlan:
    """The fallback faces that *characters* need beyond *theme_files*, and the
    characters that no face has."""
    covered: set[int] = set()
    for path in theme_files:
        covered |= coverage(path)
    needed = sorted({c for c in characters if c not in IGNORED and ord(c) not in covered})
    used: list[Fallback] = []
    missing: list[str] = []
    for char in needed:
        face = next((f for f in chain if ord(char) in coverage(f.files[0])), None)
        if face is None:
            missing.append(char)
        elif face not in used:
            used.append(face)
    return FontPlan(tuple(f for f in chain if f in used), tuple(missing))


def font_faces(plan: FontPlan, url_of, math: bool = True) -> str:
    """``@font-face`` rules for the plan's faces (and the formulas' face when the book
    has formulas, unless not *math*); *url_of(path)* gives each file's URL as the
    stylesheet will reach it."""
    rules = []
    for face in plan.fallbacks:
        for weight, name in ((400, face.regular), (700, face.bold)):
            if name:
                rules.append(f'@font-face {{ font-family: "{face.family}"; font-weight: '
                             f'{weight}; src: url("{url_of(SYSTEM_FONTS / name)}"); }}')
    if plan.math and math:
        rules.append(f'@font-face {{ font-family: "{MATH_FAMILY}"; font-weight: 400; '
                     f'src: url("{url_of(math_font())}"); }}')
    return "\n".join(rules) + ("\n" if rules else "")


_FAMILY_LIST = re.compile(r"(?P<head>\bfont(?:-family)?\s*:[^;{}]*\"Folio [^\"]+\")")
_FONT_FACE_RULE = re.compile(r"(@font-face\s*\{[^}]*\})")


def with_fallbacks(css: str, plan: FontPlan) -> str:
    """*css* with the plan's families after the last theme family (``"Folio …"``) of
    every ``font`` and ``font-family`` declaration."""
    if not plan.fallbacks:
        return css
    families = "".join(f', "{family}"' for family in plan.families)
    # An @font-face rule names one family: it is left alone.
    return "".join(part if _FONT_FACE_RULE.fullmatch(part)
                   else _FAMILY_LIST.sub(lambda match: match["head"] + families, part)
                   for part in _FONT_FACE_RULE.split(css))


def book_texts(book: Book) -> list[tuple[Path | None, str]]:
    """Every text the book prints, with the file it comes from: the chapters and
    their notes, glossary, chronology, questions, bibliography, the settings shown on the cover
    and title page, and the markers of its bulleted lists."""
    config = book.config
    texts: list[tuple[Path | None, str]] = [
        (config.path, " ".join(str(getattr(config, name)) for name in (
            "title", "subtitle", "author", "editor", "publisher", "description", "version",
            "identifier")))]
    back = config.back_cover  # the print cover's back
    texts.append((config.path, " ".join([back.note, *(f"{e.quote} {e.by}"
                                                      for e in back.endorsements)])))
    texts += [(config.path, element.text_content()) for element in book.meta_html.values()]
    for section in book.sections:
        if section.body is None:
            continue
        texts.append((section.source, section.body.text_content()))
        depth = max((len(ul.xpath("ancestor-or-self::ul")) for ul in section.body.iter("ul")),
                    default=0)
        texts.append((section.source, "".join(LIST_MARKERS[:min(depth, 3)])))
    sources = {section.id: section.source for section in book.sections}
    texts += [(sources[n.section_id], n.body.text_content()) for n in book.notes]
    texts += [(config.contents.glossary, f"{e.term} {e.definition.text_content()}")
              for e in book.glossary]
    texts += [(config.contents.chronology, e.text.text_content()) for e in book.chronology]
    texts += [(q.source, " ".join(item.text_content() for item in q.items))
              for q in book.questions.values()]
    if book.bibliography is not None:
        first = config.citations.bibliographies[0][0] if config.citations.bibliographies \
            else config.path
        texts += [(first, f"{book.bibliography.title} {entry.body.text_content()}")
                  for entry in book.bibliography.entries]
    texts += [(config.root / book.image_files.get(name, name), _svg_text(book, name))
              for name in sorted(book.resources) if name.lower().endswith(".svg")]
    return texts


def _svg_text(book: Book, name: str) -> str:
    """The words an SVG image draws (its <text>), which the PDF sets in the theme's faces."""
    from lxml import etree

    from ..transforms.resources import image_bytes

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(image_bytes(book, name), parser)
    except (etree.XMLSyntaxError, OSError):
        return ""
    return " ".join("".join(e.itertext()) for e in root.iter("{*}text"))


def plan_for_book(book: Book, theme: Theme) -> FontPlan:
    """The font plan of *book* set in *theme*."""
    characters = set("".join(text for _, text in book_texts(book)))
    plan = plan_fonts(characters, theme_font_files(theme))
    has_math = any(root.xpath(".//math") for root in book.texts())
    return FontPlan(plan.fallbacks, plan.missing, math=True) if has_math else plan
