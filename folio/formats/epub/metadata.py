"""The package metadata that stores and libraries read (EPUB 3.3 § 5.5): the
identifiers, creators and contributors with their roles and sort names, the series,
and who certifies the accessibility claim.

Each function gives (namespace, name, value, attributes) tuples for ebooklib's
``EpubBook.add_metadata``: namespace "DC" for Dublin Core elements, None for
``<meta property=…>``."""

from __future__ import annotations

from ...read.config import BookConfig
from ...read.retail import Contributor

Entry = tuple[str | None, str, str, dict[str, str]]
UNIQUE_ID = "id"  # ebooklib's id of the package's unique identifier
ONIX_ISBN13 = "15"  # ONIX code list 5, product identifier type: ISBN-13


def identifiers(config: BookConfig) -> tuple[str, list[Entry]]:
    """The package's unique identifier, and the metadata that goes with it.

    With an ebook ISBN the unique identifier is ``urn:isbn:…`` (the digits alone, as
    RFC 3187 writes it), typed for ONIX readers; the book's UUID stays as a second
    identifier, so reading systems that know the book by it keep their place.
    Without one it is the UUID (``identifier`` in book.yaml)."""
    isbn = config.isbn.get("epub")
    if not isbn:
        return config.identifier, []
    return f"urn:isbn:{isbn.replace('-', '')}", [
        (None, "meta", ONIX_ISBN13, {"refines": f"#{UNIQUE_ID}",
                                      "property": "identifier-type",
                                      "scheme": "onix:codelist5"}),
        ("DC", "identifier", config.identifier, {"id": "uuid"}),
    ]


def people(config: BookConfig) -> list[Contributor]:
    """Everyone credited, in order: the author, the editor (MARC ``edt``), then the
    contributors of book.yaml (one already named as editor is not repeated)."""
    credited = [Contributor(config.author, "aut", config.author_file_as)]
    if config.editor:
        credited.append(Contributor(config.editor, "edt", config.editor_file_as))
    credited += [c for c in config.contributors
                 if (c.name, c.role) not in {(p.name, p.role) for p in credited}]
    return credited


def package_metadata(config: BookConfig) -> list[Entry]:
    """Identifiers, creators and contributors, the series."""
    _, entries = identifiers(config)
    counts = {"creator": 0, "contributor": 0}
    for person in people(config):
        element = "creator" if person.role == "aut" else "contributor"
        counts[element] += 1
        uid = element if counts[element] == 1 else f"{element}-{counts[element]}"
        entries.append(("DC", element, person.name, {"id": uid}))
        entries.append((None, "meta", person.role, {"refines": f"#{uid}", "property": "role",
                                                    "scheme": "marc:relators"}))
        if person.file_as:
            entries.append((None, "meta", person.file_as,
                            {"refines": f"#{uid}", "property": "file-as"}))
    if config.series is not None:
        entries.append((None, "meta", config.series.name,
                        {"property": "belongs-to-collection", "id": "series"}))
        entries.append((None, "meta", "series",
                        {"refines": "#series", "property": "collection-type"}))
        if config.series.number:
            entries.append((None, "meta", config.series.number,
                            {"refines": "#series", "property": "group-position"}))
    return entries


def certifier_metadata(config: BookConfig) -> list[Entry]:
    """Who vouches for the accessibility claim (EPUB Accessibility 1.1 § 2.1: a
    conformance claim names its certifier): ``epub.certified_by``, else the
    publisher, else the author; with ``epub.certifier_credential`` if given."""
    certifier = config.epub.get("certified_by") or config.publisher or config.author
    entries: list[Entry] = [(None, "meta", certifier,
                             {"property": "a11y:certifiedBy", "id": "certifier"})]
    if config.epub.get("certifier_credential"):
        entries.append((None, "meta", config.epub["certifier_credential"],
                        {"refines": "#certifier", "property": "a11y:certifierCredential"}))
    return entries
