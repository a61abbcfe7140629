"""The theme's fonts as files that travel with a web book or an EPUB: each face,
and each fallback face the book needs, cut down to the characters used.

The web book gets WOFF2 (Brotli) with ``font-display: optional`` so the layout
never shifts; the EPUB gets OpenType/TrueType (SFNT), which every reading system
and Calibre's Kindle conversion read (EPUB 3.3 §3.2, core media types)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..errors import BuildError
from .fonts import SYSTEM_FONTS, FontPlan, coverage, font_faces, math_font, theme_font_files
from .templates import Theme

# Characters every web font keeps, whatever the book uses: ASCII, Latin-1, Latin
# Extended-A and common punctuation (the search box and its results show other text).
BASE_CHARACTERS = {chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x180))} | set(
    "‘’‚“”„–—―‐‑…•·′″†‡§¶№→←↑↓−×÷€£¥")
_FONT_URL = re.compile(r'url\("(?P<url>[^"]+?)\.(?P<ext>otf|ttf)"\)\s*format\("[^"]*"\)')
_FONT_FACE = re.compile(r"@font-face\s*\{")
FORMATS = {"woff2": ("woff2", "woff2"), "sfnt": (None, None)}  # flavor: (extension, format)


class FontFiles:
    """The theme's ``css/fonts.css`` faces and the fallback faces of *plan*, as files
    named after the theme's (``LinLibertine_R.woff2``) and the chain's
    (``folio-fallback-arabic-400.ttf``)."""

    def __init__(self, theme: Theme, plan: FontPlan, flavor: str = "woff2",
                 display: str | None = None):
        self.theme, self.plan, self.flavor, self.display = theme, plan, flavor, display
        self.template = theme.env.get_template("css/fonts.css").render(font_url="FONT_URL/")
        self.files = sorted({(m["url"].rsplit("/", 1)[-1], m["ext"])
                             for m in _FONT_URL.finditer(self.template)})
        self.preload = [f"fonts/{self._name(name, ext)}" for name, ext in self._text_faces()]
        self._fallback_files: dict[str, Path] = {}
        for face in plan.fallbacks:
            for weight, name in ((400, face.regular), (700, face.bold)):
                if name:
                    path = SYSTEM_FONTS / name
                    self._fallback_files[self._name(f"{face.slug}-{weight}",
                                                    path.suffix[1:])] = path
        self._math_file = math_font() if plan.math else None
        self.math_preload: str | None = None  # for the pages that show formulas
        if self._math_file is not None:
            name = self._name("folio-math-400", "ttf")
            self._fallback_files[name] = self._math_file
            self.math_preload = f"fonts/{name}"

    def _name(self, stem: str, ext: str) -> str:
        # Noto's collections (CJK) hold PostScript (CFF) outlines: a face cut out is .otf.
        extension = self.flavor if self.flavor == "woff2" else ("otf" if ext == "ttc" else ext)
        return f"{stem}.{extension}"

    def css(self, font_url: str) -> str:
        """``@font-face`` rules with the files under *font_url* (ending in ``/``)."""
        css = self.template.replace("FONT_URL/", font_url)
        if self.flavor == "woff2":
            css = _FONT_URL.sub(lambda m: f'url("{m["url"]}.woff2") format("woff2")', css)
        names = {path: name for name, path in self._fallback_files.items()}
        css += "\n" + font_faces(self.plan, lambda path: font_url + names[path])
        if self.display:
            css = _FONT_FACE.sub(f"@font-face {{ font-display: {self.display};", css)
        return css + "\n"

    def _text_faces(self) -> list[tuple[str, str]]:
        """The regular and italic of the first family: every page needs them."""
        faces = []
        family = None
        for block in re.findall(r"@font-face\s*\{([^}]*)\}", self.template):
            name = re.search(r'font-family:\s*"([^"]+)"', block)
            weight = re.search(r"font-weight:\s*(\w+)", block)
            url = _FONT_URL.search(block)
            if name is None or url is None:
                continue
            family = family or name[1]
            if name[1] == family and (weight is None or weight[1] in ("400", "normal")):
                faces.append((url["url"].rsplit("/", 1)[-1], url["ext"]))
        return faces

    def made(self, text: str) -> dict[str, bytes]:
        """Each font file (name: bytes), cut down to the characters of *text* (and, for
        the web, the characters a search or its results may show)."""
        kept = BASE_CHARACTERS if self.flavor == "woff2" else set()
        characters = {ord(c) for c in set(text) | kept}
        sources = {self._name(name, ext): self.theme.asset(f"fonts/{name}.{ext}")
                   for name, ext in self.files}
        theme_covers: set[int] = set()
        for path in theme_font_files(self.theme):
            theme_covers |= coverage(path)
        made = {}
        for name, source in [*sources.items(), *self._fallback_files.items()]:
            if source in sources.values():
                wanted = characters
            elif source == self._math_file:  # every character of a formula is its own
                wanted = characters & coverage(source)
            else:
                wanted = (characters - theme_covers) & coverage(source)
            try:
                data = subset_font(source, wanted)
                made[name] = woff2(data) if self.flavor == "woff2" else data
            except Exception as error:  # a broken font file is the book's problem
                raise BuildError(f"cannot make a font file of {source.name}: {error}",
                                 source) from error
        return made

    def write(self, folder: Path, text: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in self.made(text).items():
            (folder / name).write_bytes(data)


def subset_font(path: Path, characters: set[int]) -> bytes:
    """The font at *path* (the first face of a collection) cut down to *characters*
    by HarfBuzz, every OpenType feature and name kept (small caps, ligatures,
    old-style figures)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)), 0)
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(characters)
    for kept in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.NAME_ID,
                 hb.SubsetInputSets.NAME_LANG_ID):
        every = wanted.sets(kept)
        every.clear()
        every.invert()  # the empty set, inverted: all of them
    subset = hb.subset(face, wanted)
    if subset is None:
        raise ValueError("HarfBuzz could not subset it")
    return subset.blob.data


# Brotli's quality for WOFF2: fontTools packs at 11, the highest, which takes three
# times as long as 10 for files 0.4-1 % smaller (the theme's faces, subset: 0.45 s
# against 1.0 s for three of them). A web book's seven faces cost a second more at 11.
WOFF2_QUALITY = 10


class _BrotliAt:
    """The brotli module as fontTools' WOFF2 writer calls it, at *quality*."""

    def __init__(self, module, quality: int):
        self.module, self.quality = module, quality

    def __getattr__(self, name: str):
        return getattr(self.module, name)

    def compress(self, data: bytes, **options) -> bytes:
        return self.module.compress(data, **{**options, "quality": self.quality})


def woff2(font: bytes) -> bytes:
    """*font* packed as WOFF2 (Brotli at WOFF2_QUALITY), its tables copied as they are."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib import woff2 as writer

    if not isinstance(writer.brotli, _BrotliAt):
        writer.brotli = _BrotliAt(writer.brotli, WOFF2_QUALITY)
    packed = TTFont(io.BytesIO(font), lazy=True, recalcBBoxes=False, recalcTimestamp=False)
    packed.flavor = "woff2"
    data = io.BytesIO()
    packed.save(data, reorderTables=False)
    return data.getvalue()
