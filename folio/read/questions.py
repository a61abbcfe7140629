"""Discussion questions: ``questions/<chapter-id>.md`` beside book.yaml (or the folder
``contents.questions`` names), one Markdown list a chapter, an item a question."""

from __future__ import annotations

from ..errors import BuildError, find_line, raise_all
from ..files import why_refused
from ..htmltree import fragment
from ..model import Questions
from .config import BookConfig
from .pandoc import parse_files
from .removals import Removal

QUESTIONS_FOLDER = "questions"


def load_questions(config: BookConfig, chapter_ids: list[str],
                   removed: list[Removal] | None = None) -> dict[str, Questions]:
    """The discussion questions of each chapter that has them, from
    ``<book>/questions/<chapter-id>.md``: each file one Markdown list, an item a
    question. Returns {chapter id: Questions}; what the cleaning of their HTML removes
    is added to *removed*. Raises BuildErrors for every bad file at once."""
    root = config.root
    folder = config.contents.questions or root / QUESTIONS_FOLDER
    if not folder.is_dir():
        return {}
    ids = chapter_ids
    errors: list[BuildError] = []
    files = []
    for path in sorted(folder.glob("*.md")):
        if path.stem not in ids:
            errors.append(BuildError(f"no chapter has the id '{path.stem}': a questions file "
                                     f"is named after its chapter's id ({', '.join(ids)})",
                                     path))
        elif (reason := why_refused(path, [root])) is not None:
            errors.append(BuildError(reason, path))
        else:
            files.append(path)
    raise_all(errors)
    found: dict[str, Questions] = {}
    for parsed in parse_files(files, root=root):
        path = parsed.source
        if removed is not None:
            removed += parsed.removed
        body = fragment(parsed.body)
        blocks = [child for child in body if isinstance(child.tag, str)]
        stray = (body.text or "").strip() or any((b.tail or "").strip() for b in blocks)
        if parsed.notes:
            errors.append(BuildError("discussion questions take no footnotes", path,
                                     find_line(path, r"\[\^")))
        elif len(blocks) != 1 or blocks[0].tag not in ("ol", "ul") or stray:
            errors.append(BuildError(
                "a questions file holds one list of questions and nothing else "
                "('1. …' or '- …', one item a question)", path,
                find_line(path, r"^(?![ \t]*(\d+[.)]|[-*+])[ \t])[ \t]*\S") or 1))
        else:
            found[path.stem] = Questions(path, [li for li in blocks[0] if li.tag == "li"])
    raise_all(errors)
    return found
