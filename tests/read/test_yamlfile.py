"""folio.read.yamlfile: YAML that remembers lines, keeps dates as text and reports file:line."""

import pytest

from folio.errors import BuildError
from folio.read.yamlfile import LineDict, LineList, load_yaml


def write(tmp_path, text, name="data.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_mappings_and_lists_know_their_lines(tmp_path):
    data = load_yaml(write(tmp_path, "# comment\ntitle: T\n\nitems:\n  - a\n  - b: 1\n    c: 2\n"))
    assert isinstance(data, LineDict)
    assert data.line_of("title") == 2
    assert data.line_of("items") == 4
    items = data["items"]
    assert isinstance(items, LineList)
    assert items.item_lines == [5, 6]
    assert items[1].line == 6
    assert items[1].line_of("c") == 7


def test_dates_stay_as_written(tmp_path):
    data = load_yaml(write(tmp_path, "date: 2026-11-21\nwhen: 1917-10\nyear: 1917\n"))
    assert data["date"] == "2026-11-21"
    assert data["when"] == "1917-10"
    assert data["year"] == 1917


def test_invalid_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "title: T\nauthor: A\nsubjects: [one, two\nlanguage: en\n")
    with pytest.raises(BuildError) as raised:
        load_yaml(path)
    error = raised.value
    assert error.path == path
    assert error.line is not None and 3 <= error.line <= 5, error.format()
    assert error.message.startswith("invalid YAML"), error.message


def test_mapping_value_error_points_at_its_line(tmp_path):
    path = write(tmp_path, "title: T\nauthor: A: B\n")
    with pytest.raises(BuildError) as raised:
        load_yaml(path)
    assert raised.value.format() == f"{path}:2: invalid YAML: mapping values are not " \
                                    "allowed in this context"


def test_duplicate_key_is_an_error_with_its_line(tmp_path):
    path = write(tmp_path, "title: T\nauthor: A\ntitle: U\n")
    with pytest.raises(BuildError) as raised:
        load_yaml(path)
    assert (raised.value.path, raised.value.line) == (path, 3)
    assert "duplicate key 'title'" in raised.value.message


def test_missing_file_has_a_path_and_no_line(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(BuildError) as raised:
        load_yaml(path)
    assert raised.value.format() == f"{path}: file not found"


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Tr\xf6tsky\n".encode("latin-1"))
    with pytest.raises(BuildError, match="not UTF-8"):
        load_yaml(path)


def test_empty_file_is_none(tmp_path):
    assert load_yaml(write(tmp_path, "# nothing\n")) is None


def test_error_format_relative_to_a_folder(tmp_path):
    error = BuildError("something is wrong", tmp_path / "book" / "book.yaml", 7)
    assert error.format(relative_to=tmp_path) == "book/book.yaml:7: something is wrong"
    assert BuildError("no place").format() == "no place"
    assert BuildError("no line", tmp_path / "x.md").format(tmp_path) == "x.md: no line"
