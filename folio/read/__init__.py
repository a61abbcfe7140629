"""The read stage: book.yaml into the configuration, and the manuscript (Markdown
through pandoc, glossary, chronology, discussion questions) into one Book model,
transformed once. Every format and every check starts from what this yields."""

from .book import read_book
from .config import CONFIG_NAME, BookConfig, load_config

__all__ = ["BookConfig", "CONFIG_NAME", "load_config", "read_book"]
