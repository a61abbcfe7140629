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
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import BuildError, find_line, raise_all
from ..files import read_bytes, why_refused
from ..images import verify_image
from ..model import Book
from ..read.svgimages import clean_svg

MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".gif": "image/gif", ".svg": "image/svg+xml", ".webp": "image/webp"}


def collect_resources(book: Book) -> None:
    """Resolve, verify and record every image of *book* (``book.resources``,
    ``book.image_sizes``); BuildErrors at the line of each image that cannot be used."""
    root = book.config.root.resolve()
    errors: list[BuildError] = []
    config = book.config
    places = [(s.source, s.body) for s in book.sections if s.body is not None]
    places += [(book.section(n.section_id).source, n.body) for n in book.notes]
    places += [(config.contents.glossary, e.definition) for e in book.glossary]
    places += [(config.contents.chronology, e.text) for e in book.chronology]
    places += [(q.source, item) for q in book.questions.values() for item in q.items]
    places += [(config.path, element) for element in book.meta_html.values()]
    for source, body in places:
        for image in body.xpath(".//img"):
            src = image.get("src", "")
            try:
                relative = _resolve(src, source, root)
                if relative not in book.image_sizes:
                    book.image_sizes[relative] = verify_image(root / relative, root)
            except ValueError as error:
                line = find_line(source, re.escape(src)) if src else None
                errors.append(BuildError(f"image '{src}': {error}", source, line))
                continue
            if relative.lower().endswith(".svg") and relative not in book.resources:
                try:
                    cleaned, removed = clean_svg(root / relative)
                except ValueError as error:
                    errors.append(BuildError(f"image '{src}': {error}", source,
                                             find_line(source, re.escape(src))))
                    continue
                book.sanitized += removed
                if cleaned is not None:
                    book.cleaned_images[relative] = cleaned
            image.set("src", relative)
            book.resources.add(relative)
    raise_all(errors)


def image_bytes(book: Book, relative: str) -> bytes:
    """The content of the image *relative* (a path in ``book.resources``) as every
    format shows it: cleaned when it had to be."""
    cleaned = book.cleaned_images.get(relative)
    if cleaned is not None:
        return cleaned
    return read_bytes(book.config.root / relative, [book.config.root], what="image")


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
    if target.suffix.lower() not in MEDIA_TYPES:
        raise ValueError(f"unsupported image type (use {', '.join(sorted(MEDIA_TYPES))})")
    reason = why_refused(target, [root])
    if reason is not None:
        raise ValueError(reason)
    return target.relative_to(root).as_posix()
