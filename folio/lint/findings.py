"""A finding: where (file, line, column), which rule, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import shown_path
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
            where = str(shown_path(self.path, relative_to))
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            where += ": "
        return f"{where}{self.code} {self.message}"
