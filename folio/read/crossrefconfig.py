"""``crossrefs:`` in book.yaml: how numbered figures, tables and equations are
numbered and listed.

    crossrefs:
      numbering: chapter      # "Figure 3.2" (chapter 3's second); book: "Figure 14"
      page_numbers: false     # the print PDF adds "on p. 47" to each reference
      list_of_figures: false  # a list of figures in the front matter, in every format
      list_of_tables: false   # a list of tables, likewise
"""

from __future__ import annotations

from collections.abc import Callable

from .yamlfile import LineDict

DEFAULTS = {"numbering": "chapter", "page_numbers": False, "list_of_figures": False,
            "list_of_tables": False}
NUMBERINGS = ("chapter", "book")


def load_crossrefs(data: LineDict, error: Callable[..., None]) -> dict:
    """The ``crossrefs`` settings of *data* (book.yaml), defaults filled in; each bad
    value reported through *error* (message, key, line), the default kept."""
    settings = dict(DEFAULTS)
    section = data.get("crossrefs")
    if section is None:
        return settings
    if not isinstance(section, LineDict):
        error("'crossrefs' must be a mapping (numbering: chapter, list_of_figures: true, …)",
              "crossrefs")
        return settings
    for key, value in section.items():
        line = section.line_of(key)
        if key not in DEFAULTS:
            error(f"unknown setting 'crossrefs.{key}' (known: {', '.join(DEFAULTS)})",
                  line=line)
        elif key == "numbering":
            if value not in NUMBERINGS:
                error(f"'crossrefs.numbering' must be chapter or book, not {value!r}",
                      line=line)
            else:
                settings[key] = value
        elif not isinstance(value, bool):
            error(f"'crossrefs.{key}' must be true or false", line=line)
        else:
            settings[key] = value
    return settings
