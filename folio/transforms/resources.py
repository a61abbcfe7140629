"""Images: each must be a file inside the book's folder. Paths are resolved once,
beside the file that names them or else from the book's folder, and rewritten
relative to the book's folder, which every renderer copies them from. Every
place that holds Markdown is searched: sections, notes, glossary definitions,
chronology events, discussion questions and the Markdown fields of book.yaml.
Each image is verified once (``folio.images``) and its size kept in the model,
so that no renderer opens an image the check has not passed.
SVG files are cleaned here, once (``folio.read.svgimages``); every format takes
their bytes from :func:`image_bytes`."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import BuildError, find_line, raise_all
from ..files import read_bytes, why_refused
from ..images import pdf_figure, verify_image
from ..model import Book
from ..read.svgimages import clean_svg

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}
# What an author may name: the formats' own, and PDF figures (converted to PNG).
ACCEPTED = {*MEDIA_TYPES, ".pdf"}
# Letters that no Unicode decomposition turns into ASCII.
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe",
                          "Œ": "OE", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th",
                          "Þ": "TH", "ð": "d", "Ð": "D"})


def collect_resources(book: Book) -> None:
    """Resolve, verify and record every image of *book* (``book.resources``,
    ``book.image_sizes``); BuildErrors at the line of each image that cannot be used."""
    root = book.config.root.resolve()
    errors: list[BuildError] = []
    config = book.config
    published: dict[str, str] = {}  # path in the book -> name in the formats
    places = [(s.source, s.body) for s in book.sections if s.body is not None]
    sections = book.sections_by_id()
    places += [(sections[n.section_id].source, n.body) for n in book.notes]
    places += [(config.contents.glossary, e.definition) for e in book.glossary]
    places += [(config.contents.chronology, e.text) for e in book.chronology]
    places += [(q.source, item) for q in book.questions.values() for item in q.items]
    places += [(config.path, element) for element in book.meta_html.values()]
    for source, body in places:
        for image in body.xpath(".//img"):
            src = image.get("src", "")
            try:
                relative = _resolve(src, source, root)
                name = published.get(relative)
                if name is None:
                    name = _publish(book, relative, root, set(published.values()))
                    published[relative] = name
            except ValueError as error:
                line = find_line(source, re.escape(src)) if src else None
                errors.append(BuildError(f"image '{src}': {error}", source, line))
                continue
            image.set("src", name)
    raise_all(errors)


def _publish(book: Book, relative: str, root: Path, taken: set[str]) -> str:
    """Verify the image *relative* (its path in the book), clean or convert it, and
    record it under the name every format gives it. ValueError when it cannot be used."""
    name = _unique(published_name(relative), taken)
    if relative.lower().endswith(".pdf"):
        data, size = pdf_figure(root / relative, root)
        book.cleaned_images[name] = data
        book.image_sizes[name] = size
    else:
        book.image_sizes[name] = verify_image(root / relative, root)
    if relative.lower().endswith(".svg"):
        cleaned, removed = clean_svg(root / relative)
        book.sanitized += removed
        if cleaned is not None:
            book.cleaned_images[name] = cleaned
    book.image_files[name] = relative
    book.resources.add(name)
    return name


def published_name(relative: str) -> str:
    """The name an image has in the EPUB and the web book: each part of its path in
    lower-case ASCII letters, digits, '.', '_' and '-' (a space or an accent in a name
    makes an invalid EPUB, RSC-020; a capital collides on macOS and Windows); a PDF
    figure becomes a PNG of the same name."""
    parts = []
    for part in relative.split("/"):
        spelled = part.translate(_LETTERS)
        ascii_part = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
        parts.append(re.sub(r"[^a-z0-9._-]+", "-", ascii_part.lower()).strip("-.") or "image")
    name = "/".join(parts)
    return name[:-4] + ".png" if name.endswith(".pdf") else name


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, counter = name, 2
    while candidate in taken:
        candidate = f"{stem}-{counter}{dot}{suffix}"
        counter += 1
    return candidate


def image_bytes(book: Book, relative: str) -> bytes:
    """The content of the image *relative* (a path in ``book.resources``) as every
    format shows it: cleaned when it had to be."""
    cleaned = book.cleaned_images.get(relative)
    if cleaned is not None:
        return cleaned
    source = book.image_files.get(relative, relative)
    return read_bytes(book.config.root / source, [book.config.root], what="image")


def _resolve(src: str, source: Path, root: Path) -> str:
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        raise ValueError("images must be files inside the book's folder, not URLs")
    path = Path(unquote(parts.path))
    if path.is_absolute():
        raise ValueError("images must be files inside the book's folder, named by a "
                         "relative path")
    # Looked up beside the Markdown file first, then from the book's folder.
    candidates = [(folder / path).resolve() for folder in (source.parent, root)]
    target = next((c for c in candidates if c.exists()), candidates[0])
    if not target.is_relative_to(root):
        raise ValueError("the file is outside the book's folder")
    if target.suffix.lower() not in ACCEPTED:
        raise ValueError(f"unsupported image type (use {', '.join(sorted(ACCEPTED))})")
    reason = why_refused(target, [root])
    if reason is not None:
        raise ValueError(reason)
    return target.relative_to(root).as_posix()
