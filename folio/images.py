"""Every image of a book is opened and verified once, with limits, before any format
uses it: Pillow reads it with only the decoder its name promises (a text file
named ``.png`` is refused), refuses more than :data:`MAX_PIXELS` pixels before
decoding (a decompression bomb), and decodes it whole, so that a truncated or
corrupt file is found here and not half-drawn in an output. An SVG must be
well-formed XML whose root is ``<svg>``, parsed without DTDs, entities or the
network. The file itself is read by the rule of ``folio.files``."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from .files import read_bytes

MAX_BYTES = 50 * 1024 * 1024  # an image file
MAX_PIXELS = 40_000_000  # 40 megapixels: an 8×10 inch picture at 600 dpi is 29
# What each file name promises, as Pillow names the formats.
FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}


class BadImage(ValueError):
    """Why an image file cannot be used (the message for ``file:line: image '…': …``)."""


def verify_image(path: Path, root: Path) -> tuple[int, int] | None:
    """The width and height in pixels of the image *path* (None for an SVG), after
    verifying it (see the module's docstring). Raises BadImage."""
    from .errors import BuildError

    try:
        data = read_bytes(path, [root], MAX_BYTES, what="image")
    except BuildError as error:
        raise BadImage(error.message) from None
    suffix = path.suffix.lower()
    if suffix == ".svg":
        _verify_svg(data)
        return None
    if suffix not in FORMATS:
        raise BadImage(f"unsupported image type (use {', '.join(sorted([*FORMATS, '.svg']))})")
    return _verify_raster(data, FORMATS[suffix])


def _verify_raster(data: bytes, expected: str) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=list(set(FORMATS.values()))) as image:
                found, size = image.format, image.size
                if found != expected:
                    raise BadImage(f"the file is a {found} image, not {expected}: give it "
                                   "the name its format has")
                if size[0] * size[1] > MAX_PIXELS:
                    raise BadImage(f"{size[0]}×{size[1]} pixels is more than the "
                                   f"{MAX_PIXELS // 1_000_000} megapixels Folio reads: "
                                   "scale it down")
                image.verify()
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                image.load()
        except BadImage:
            raise
        except UnidentifiedImageError:
            raise BadImage(f"the file is not a {expected} image") from None
        except Image.DecompressionBombError:
            raise BadImage(f"more than the {MAX_PIXELS // 1_000_000} megapixels Folio "
                           "reads: scale it down") from None
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise BadImage(f"the {expected} file is damaged or cut short ({error})") from None
    return size


def _verify_svg(data: bytes) -> None:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, dtd_validation=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise BadImage(f"the SVG file is not well-formed XML ({error})") from None
    if etree.QName(root).localname != "svg":
        raise BadImage("the file is not an SVG image (its root is not <svg>)")


PDF_DPI = 300  # a PDF figure's resolution as a picture: what printers ask of images


def pdf_figure(path: Path, root: Path) -> tuple[bytes, tuple[int, int]]:
    """A PDF figure (a plot from a thesis) as a PNG of its first page at PDF_DPI, and
    its size in pixels. WeasyPrint, EPUB reading systems and browsers cannot show a
    PDF as an image; a picture at print resolution can be shown by all of them.
    Raises BadImage for a file that is not a readable PDF, or too large a page."""
    import pypdfium2

    from .errors import BuildError

    try:
        data = read_bytes(path, [root], MAX_BYTES, what="image")
    except BuildError as error:
        raise BadImage(error.message) from None
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        raise BadImage("the file is not a readable PDF") from None
    try:
        if len(document) == 0:
            raise BadImage("the PDF has no page")
        page = document[0]
        width, height = page.get_size()  # points
        scale = PDF_DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            raise BadImage(f"its page is too large to show at {PDF_DPI} dpi "
                           f"({width / 72:.0f} × {height / 72:.0f} in)")
        image = page.render(scale=scale).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue(), image.size
    finally:
        document.close()
