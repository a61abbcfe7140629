"""The images an imported book uses, under safe names in its ``images/`` folder.

Each image is verified as a build would verify it (``folio.images``: the format
its name promises, at most 50 MB and 40 megapixels, decoded whole); BMP and TIFF,
which Word documents carry and no reading system shows, are converted to PNG.
Other kinds (EMF, WMF, …) are refused with a message saying what to do."""

from __future__ import annotations

import hashlib
import io
import warnings
from pathlib import Path

from ..errors import BuildError
from ..files import read_bytes
from ..images import MAX_BYTES, MAX_PIXELS, BadImage, verify_image
from .writer import slug

SHOWN = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf"}
CONVERTED = {".bmp": "BMP", ".tif": "TIFF", ".tiff": "TIFF"}
FOLDER = "images"


class Images:
    """The images of the new book: ``files`` maps ``images/<name>`` to bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._names: dict[str, str] = {}  # content hash -> name in the book

    def add(self, path: Path, root: Path, stem: str | None = None) -> str:
        """Verify the image *path* (a file inside *root*) and keep it; its path in the
        new book (``images/red-square.png``, or named *stem* when given). The same
        bytes twice are kept once. Raises BadImage with what to do."""
        suffix = path.suffix.lower()
        if suffix in CONVERTED:
            data, suffix = _to_png(path, root, CONVERTED[suffix]), ".png"
        elif suffix not in SHOWN:
            kind = suffix.lstrip(".").upper() or "unnamed"
            raise BadImage(f"a {kind} image, which no e-reader or browser shows: save it as "
                           "PNG, JPEG or SVG and add it to the book's images/ folder")
        elif suffix == ".pdf":
            try:
                data = read_bytes(path, [root], MAX_BYTES, what="image")
            except BuildError as error:
                raise BadImage(error.message) from None
        else:
            verify_image(path, root)
            data = read_bytes(path, [root], MAX_BYTES, what="image")
        digest = hashlib.sha256(data).hexdigest()
        if digest in self._names:
            return self._names[digest]
        stem = slug(stem or path.stem, "image")
        suffix = ".jpg" if suffix == ".jpeg" else suffix
        name = f"{FOLDER}/{stem}{suffix}"
        number = 2
        while name in self.files:
            name = f"{FOLDER}/{stem}-{number}{suffix}"
            number += 1
        self.files[name] = data
        self._names[digest] = name
        return name


def _to_png(path: Path, root: Path, kind: str) -> bytes:
    from PIL import Image

    try:
        data = read_bytes(path, [root], MAX_BYTES, what="image")
    except BuildError as error:
        raise BadImage(error.message) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[kind]) as image:
                if image.size[0] * image.size[1] > MAX_PIXELS:
                    raise BadImage(f"more than the {MAX_PIXELS // 1_000_000} megapixels "
                                   "Folio reads: scale it down")
                image.load()
                converted = image.convert("RGBA" if "A" in image.getbands() else "RGB")
                out = io.BytesIO()
                converted.save(out, "PNG", optimize=True)
                return out.getvalue()
        except BadImage:
            raise
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            raise BadImage(f"the {kind} image is damaged or cannot be read") from None
