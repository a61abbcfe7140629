"""YAML loading that remembers the line of every mapping and list item.

Dates stay strings (the chronology has partial dates such as ``1917-10``) and
every error points at the line it comes from. The file is read by the rule of
``folio.files`` (a regular file inside the book, at most 5 MB), and before any
value is built its events are counted in one pass: nesting deeper than
:data:`MAX_DEPTH` or aliases (``*name``) standing for more than
:data:`MAX_ALIASED` values in all (the "billion laughs") are refused at the
line where the limit is passed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import BuildError
from ..files import read_text
from ..memo import Table

MAX_DEPTH = 50  # nested lists and mappings (a book's files nest three or four deep)
MAX_ALIASED = 10_000  # values that aliases may stand for, in the whole file


class LineDict(dict):
    """A mapping that knows its own line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that knows its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


# libyaml's parser (PyYAML's wheels carry it) reads a long glossary ten times faster
# than the pure-Python one, with the same events, marks and errors.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


# Keep dates and times as the strings the author wrote.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool):
            raise BuildError("mapping keys must be plain words", line=key_node.start_mark.line + 1)
        key = str(key)
        if key in result:
            raise BuildError(f"duplicate key '{key}'", line=key_node.start_mark.line + 1)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


_PARSED = Table(64)  # serve: each YAML text's data, by text (folio.memo)


def load_yaml(path: Path, root: Path | None = None) -> Any:
    """Load a YAML file of the book in *root* (default: the file's folder); any problem
    becomes a BuildError with the file and line."""
    text = read_text(path, [root or path.parent], what="YAML file")
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Load the YAML *text*, which begins at line *first_line* of the file *path*
    (a Markdown file's metadata block, say), with the same limits as a YAML file;
    any problem becomes a BuildError at its line of *path*."""
    key = (text, str(path), first_line)
    kept = _PARSED.get(key)
    if kept is not None:
        return kept
    try:
        _check_size(text)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        _PARSED.put(key, data)
        return data
    except BuildError as error:
        error.path = path
        if error.line:
            error.line += first_line - 1
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise BuildError(f"invalid YAML: {problem}", path, line) from None
    except yaml.YAMLError as error:
        raise BuildError(f"invalid YAML: {error}", path) from None


def _events(text: str) -> Iterator[yaml.Event]:
    """The parser's events of *text*. libyaml's scanner reads ahead and stops at its own
    nesting limit (1,000 deep) before the events reach this module's (MAX_DEPTH): that
    refusal is this module's, at its line."""
    try:
        yield from yaml.parse(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        if "maximum nesting depth" not in (error.problem or ""):
            raise
        mark = error.problem_mark or error.context_mark
        raise BuildError(f"lists and mappings nested more than {MAX_DEPTH} deep",
                         line=mark.line + 1 if mark else None) from None


def _check_size(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH and aliases standing for more than
    MAX_ALIASED values, from the parser's events (no value is built, nothing
    recurses): each anchored node's size is counted once, each alias adds it."""
    depth = 0
    aliased = 0
    sizes: dict[str, int] = {}
    open_nodes: list[tuple[str | None, int]] = []  # (anchor, values counted when it began)
    counted = 0
    for event in _events(text):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor, 1)
            aliased += size
            counted += size
            if aliased > MAX_ALIASED:
                raise BuildError(f"the aliases (*{event.anchor} …) stand for more than "
                                 f"{MAX_ALIASED:,} values: write the values out instead",
                                 line=line)
        elif isinstance(event, yaml.ScalarEvent):
            counted += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise BuildError(f"lists and mappings nested more than {MAX_DEPTH} deep",
                                 line=line)
            counted += 1
            open_nodes.append((event.anchor, counted))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            anchor, began = open_nodes.pop()
            if anchor:
                sizes[anchor] = counted - began + 1
