"""``strings`` in book.yaml: the book's own wording of any of Folio's words, by the
message ids of the catalogues (``strings: {index: "Index des noms"}``)."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from .catalogue import (
    ENGLISH,
    NUMBERED_WORDS,
    PLURAL_CATEGORIES,
    Message,
    load_catalogue,
    placeholders,
)


def load_strings(data: dict, error: Callable[..., None]) -> dict[str, Message]:
    """The valid entries of ``strings`` in *data* (book.yaml, a LineDict); each fault
    goes to *error(message, key=None, line=None)*: an unknown id (with the nearest
    known one), a value that is not text (or, for a message with a count, a mapping
    of CLDR plural categories with ``other``), placeholders other than the
    message's own."""
    section = data.get("strings")
    if section is None:
        return {}
    if not isinstance(section, dict):
        error("'strings' must be a mapping of message ids to text "
              "(strings: {index: Index des noms})", "strings")
        return {}
    english = load_catalogue(ENGLISH)[1]
    valid: dict[str, Message] = {}
    for key, value in section.items():
        line = section.line_of(key) if hasattr(section, "line_of") else None
        key = str(key)
        if key not in english:
            close = difflib.get_close_matches(key, sorted(english), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            error(f"unknown string '{key}'{hint}", line=line)
            continue
        plural = isinstance(english[key], dict)
        if plural and isinstance(value, dict):
            forms = {str(k): str(v) for k, v in value.items() if isinstance(v, str | int)}
            odd = sorted(set(map(str, value)) - set(PLURAL_CATEGORIES))
            if odd or "other" not in forms or len(forms) != len(value):
                error(f"'strings.{key}' is a mapping of plural forms (zero, one, two, few, "
                      "many, other) to text, with 'other'", line=line)
                continue
            message: Message = forms
        elif isinstance(value, str | int | float) and not isinstance(value, bool):
            message = str(value) if not plural else {"other": str(value)}
        else:
            error(f"'strings.{key}' must be text", line=line)
            continue
        wanted = placeholders(english[key]) | ({"n"} if key in NUMBERED_WORDS else set())
        try:
            given = placeholders(message)
        except ValueError:
            given = None
        if given is None or given - wanted:
            names = ", ".join(f"{{{n}}}" for n in sorted(wanted)) or "none"
            error(f"'strings.{key}' may use only the placeholders {names}", line=line)
            continue
        valid[key] = message
    return valid
