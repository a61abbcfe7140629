"""The sample books in other languages (tests/data/languages/<tag>/), each built once
in every format per session: ``language_build("fr")`` gives
{"pdf": …, "epub": …, "html": …, "handouts": …} like the other build fixtures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from samples import LANGUAGE_BOOKS

from folio.build import build
from folio.errors import BuildError


@pytest.fixture(scope="session")
def language_build(tmp_path_factory) -> Callable[[str], dict[str, Path]]:
    built: dict[str, dict[str, Path]] = {}

    def get(tag: str) -> dict[str, Path]:
        if tag not in built:
            output = tmp_path_factory.mktemp(f"lang-{tag}") / "output"
            try:
                built[tag] = build(LANGUAGE_BOOKS / tag, output,
                                   ["pdf", "epub", "html", "handouts"])
            except BuildError as error:
                pytest.fail(f"the {tag} sample does not build: {error}", pytrace=False)
        return built[tag]

    return get
