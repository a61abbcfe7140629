"""A finding: where (file, line, column), which rule, and what to do about it."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from .catalogue import ERROR, RULES


@dataclass(frozen=True)
class Finding:
    path: Path | None
    line: int | None
    column: int | None
    code: str
    message: str

    @property
    def severity(self) -> str:
        return RULES[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def sort_key(self) -> tuple:
        return (str(self.path or ""), self.line or 0, self.column or 0, self.code)

    def format(self, relative_to: Path | None = None) -> str:
        where = ""
        if self.path is not None:
            path = self.path
            if relative_to is not None:
                with contextlib.suppress(ValueError):
                    path = path.resolve().relative_to(relative_to.resolve())
            where = str(path)
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return f"{where}{self.code} {self.message}"
