"""The stylesheet a book's writing system adds to every format
(``templates/css/scripts.css``): mirrored layout for a right-to-left book, line
breaking and no letter-spacing for Chinese, Japanese and Korean."""

from __future__ import annotations

from ..read.config import BookConfig
from .templates import Theme

MEDIA = ("pdf", "handouts", "epub", "web", "cover")


def script_sheet(theme: Theme, config: BookConfig, medium: str) -> str:
    """The rules *config*'s language and direction add for *medium* (one of MEDIA),
    as CSS text; ``""`` for a left-to-right book in a script with spaces between
    words, so that its stylesheets are unchanged."""
    if medium not in MEDIA:
        raise ValueError(f"unknown medium {medium!r}: one of {', '.join(MEDIA)}")
    rtl, cjk = config.direction == "rtl", config.cjk
    if not (rtl or cjk):
        return ""
    return "\n" + theme.env.get_template("css/scripts.css").render(
        rtl=rtl, cjk=cjk, medium=medium)
