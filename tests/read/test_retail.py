"""folio.read.retail: sort names, contributors with MARC roles, series, ISBNs and the
accessibility certifier in book.yaml, each problem at its line."""

import pytest
from helpers import MINIMAL_CONFIG, write_book

from folio.errors import BuildError, BuildErrors
from folio.read.config import load_config
from folio.read.retail import Contributor, Series

# The minimal book's author, replaced by a mapping.
WITH_SORT_NAME = MINIMAL_CONFIG.replace(
    "author: Test Author\n", "author:\n  name: Test Author\n  file_as: Author, Test\n")


def errors_of(tmp_path, config) -> list[BuildError]:
    write_book(tmp_path, config)
    with pytest.raises(BuildError) as raised:
        load_config(tmp_path)
    error = raised.value
    return error.errors if isinstance(error, BuildErrors) else [error]


def test_the_real_book_credits_its_editor_and_sort_names(book):
    config = book.config
    assert (config.author, config.author_file_as) == ("Chandran KC", "KC, Chandran")
    assert config.editor == "The Folio Study Editions editors"
    assert config.editor_file_as == "Folio Study Editions editors"
    assert config.isbn == {}, "the first book has no ISBN"


def test_author_with_sort_name_and_contributors(tmp_path):
    write_book(tmp_path, WITH_SORT_NAME + """\
editor: Ed Itor
contributors:
  - {name: Tra Nslator, role: trl, file_as: "Nslator, Tra"}
  - {name: Ann Otator}
series: {name: Study Editions, number: 3}
isbn: {print: 978-0-306-40615-7, epub: "9780141036144"}
epub: {certified_by: A Testing House, certifier_credential: Accessible Publishing}
""")
    config = load_config(tmp_path)
    assert (config.author, config.author_file_as) == ("Test Author", "Author, Test")
    assert (config.editor, config.editor_file_as) == ("Ed Itor", "")
    assert config.contributors == [Contributor("Tra Nslator", "trl", "Nslator, Tra"),
                                   Contributor("Ann Otator", "ctb", "")]
    assert config.series == Series("Study Editions", "3")
    assert config.isbn == {"print": "978-0-306-40615-7", "epub": "978-0-14-103614-4"}
    assert config.epub["certified_by"] == "A Testing House"
    assert config.epub["certifier_credential"] == "Accessible Publishing"


@pytest.mark.parametrize("isbn, hyphenated", [
    ("0-306-40615-2", "978-0-306-40615-7"),  # ISBN-10, made ISBN-13
    ("978 0 306 40615 7", "978-0-306-40615-7"),
    ("979-10-90636-07-1", "979-10-90636-07-1"),
])
def test_isbn_forms(tmp_path, isbn, hyphenated):
    write_book(tmp_path, MINIMAL_CONFIG + f"isbn:\n  epub: {isbn}\n")
    assert load_config(tmp_path).isbn == {"epub": hyphenated}


@pytest.mark.parametrize("setting, words", [
    ("isbn:\n  epub: 978-0-306-40615-8", "wrong check digit"),
    ("isbn:\n  epub: 978-03-0640615-7", "hyphenated wrongly: 978-0-306-40615-7"),
    ("isbn:\n  epub: 12345", "not 10 or 13 digits"),
    ("isbn:\n  ebook: 978-0-306-40615-7", "unknown setting 'isbn.ebook'"),
    ("isbn:\n  print: 978-0-306-40615-7\n  epub: 9780306406157", "its own ISBN"),
    ("isbn: 978-0-306-40615-7", "'isbn' must be a mapping"),
    ("contributors:\n  - {name: A Person, role: editor}", "not a MARC relator code"),
    ("contributors:\n  - {role: trl}", "a 'contributors' entry"),
    ("contributors: Jane", "'contributors' must be a list"),
    ("series: {name: S, number: third}", "'series' is a name"),
    ("editor: {file_as: Itor, Ed}", "'editor' is a name"),
    ("epub: {certified_by: true}", "'epub.certified_by' must be text"),
])
def test_bad_retail_settings(tmp_path, setting, words):
    errors = errors_of(tmp_path, MINIMAL_CONFIG + setting + "\n")
    assert len(errors) == 1, [e.format() for e in errors]
    assert words in errors[0].message
    assert errors[0].line is not None and errors[0].line >= 8, errors[0].format()
