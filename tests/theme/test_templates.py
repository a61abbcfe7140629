"""folio.theme.templates: a template is compiled once a process, and compiled again
as soon as its file changes (``serve`` makes a Theme at each save)."""

from __future__ import annotations

from folio.theme import templates
from folio.theme.templates import Theme


def test_an_edited_template_is_compiled_again_and_an_unchanged_one_is_not(tmp_path,
                                                                          monkeypatch):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "note.html"
    page.write_text("<p>{{ word }}</p>", encoding="utf-8")
    compiled: list[str] = []
    compile_template = templates._Sandbox.compile

    def counted(self, source, name=None, filename=None, *arguments, **options):
        compiled.append(name)
        return compile_template(self, source, name, filename, *arguments, **options)

    monkeypatch.setattr(templates._Sandbox, "compile", counted)
    assert Theme(tmp_path).env.get_template("note.html").render(word="one") == "<p>one</p>"
    assert Theme(tmp_path).env.get_template("note.html").render(word="two") == "<p>two</p>"
    assert compiled == ["note.html"], "the second Theme takes the compiled template"

    page.write_text("<div>{{ word }}</div>", encoding="utf-8")
    assert Theme(tmp_path).env.get_template("note.html").render(word="three") == \
        "<div>three</div>"
    assert compiled == ["note.html", "note.html"]
