"""folio.read.glossary: the glossary file (terms, ids, aliases, definitions, cross-references)."""

import textwrap

import pytest

from folio.errors import BuildError, BuildErrors
from folio.htmltree import inner_html
from folio.read.glossary import load_glossary, slug

GOOD = """\
- term: Permanent revolution
  aliases: [permanent revolutions]
  definition: Trotsky's theory, from *Results and Prospects* (1906).
  see: [soviet]

- term: Soviet
  id: soviet
  aliases: Soviets
  definition: A council of workers' deputies.
"""


def glossary_file(tmp_path, text):
    path = tmp_path / "glossary.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(path) -> list[BuildError]:
    with pytest.raises(BuildError) as raised:
        load_glossary(path)
    error = raised.value
    return error.errors if isinstance(error, BuildErrors) else [error]


def test_entries(tmp_path):
    entries = load_glossary(glossary_file(tmp_path, GOOD))
    assert [e.term for e in entries] == ["Permanent revolution", "Soviet"]
    first, second = entries
    assert first.id == "permanent-revolution" and first.anchor == "gloss-permanent-revolution"
    assert first.aliases == ["permanent revolutions"]
    assert second.aliases == ["Soviets"], "a single alias may be written without a list"
    assert first.see == ["soviet"]
    assert [e.line for e in entries] == [1, 6]
    assert "<em>Results and Prospects</em>" in inner_html(first.definition), \
        "definitions are Markdown"


def test_the_real_glossary(book):
    assert len(book.glossary) >= 10
    ids = [e.id for e in book.glossary]
    assert len(ids) == len(set(ids))
    assert all(e.definition.text_content().strip() for e in book.glossary)


@pytest.mark.parametrize("term, expected", [
    ("Permanent revolution", "permanent-revolution"), ("1905 Revolution", "1905-revolution"),
    ("Lenin, V. I.", "lenin-v-i"),
])
def test_slug(term, expected):
    assert slug(term) == expected


def test_entry_without_definition(tmp_path):
    path = glossary_file(tmp_path, GOOD + "\n- term: Bureaucracy\n  aliases: [bureaucrats]\n")
    [error] = errors_of(path)
    assert (error.path, error.line) == (path, 11)
    assert error.message == "glossary entry 'Bureaucracy' has no definition"


def test_entry_with_empty_definition(tmp_path):
    path = glossary_file(tmp_path, GOOD + '\n- term: Bureaucracy\n  definition: ""\n')
    [error] = errors_of(path)
    assert error.line == 11 and "no definition" in error.message


def test_entry_without_term(tmp_path):
    path = glossary_file(tmp_path, GOOD + "\n- definition: Something.\n")
    [error] = errors_of(path)
    assert error.line == 11 and "without a 'term'" in error.message


def test_duplicate_id(tmp_path):
    path = glossary_file(tmp_path, GOOD + "\n- term: soviet\n  definition: Again.\n")
    [error] = errors_of(path)
    assert error.line == 11 and "'soviet' is used twice (first on line 6)" in error.message


def test_see_must_name_an_entry(tmp_path):
    path = glossary_file(tmp_path, GOOD.replace("see: [soviet]", "see: [soviets]"))
    [error] = errors_of(path)
    assert error.line == 4 and "see 'soviets'" in error.message


def test_unknown_field_and_bad_id_reported_together(tmp_path):
    path = glossary_file(tmp_path, GOOD + "  colour: red\n\n- term: X\n  id: Not Valid\n"
                                          "  definition: Y.\n")
    errors = errors_of(path)
    assert sorted((e.line, e.message.split()[0]) for e in errors) == [
        (10, "unknown"), (13, "glossary")], [e.format() for e in errors]


def test_not_a_list(tmp_path):
    [error] = errors_of(glossary_file(tmp_path, "term: Soviet\ndefinition: Council.\n"))
    assert error.line == 1 and "must be a list" in error.message


def test_empty_file(tmp_path):
    assert load_glossary(glossary_file(tmp_path, "# nothing yet\n")) == []


def test_a_definition_with_mathematics_gets_mathml_not_tex(tmp_path):
    """Mathematics in a definition is read as in a chapter: MathML, no TeX left."""
    entries = load_glossary(glossary_file(tmp_path, """\
        - term: Diffusivity
          definition: The ratio $\\alpha = k/(\\rho c_p)$, in m²/s.
        """))
    markup = inner_html(entries[0].definition)
    assert "<math" in markup and 'alttext="' in markup
    assert "$" not in entries[0].definition.text_content()


def test_a_formula_the_converter_cannot_read_is_an_error_at_its_entry(tmp_path):
    [error] = errors_of(glossary_file(tmp_path, """\
        - term: Fine
          definition: Words.
        - term: Broken
          definition: A formula $\\frac{a}{b$ cut short.
        """))
    assert error.line == 4 and "is not TeX mathematics" in error.message
