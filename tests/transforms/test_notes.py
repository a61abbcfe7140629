"""folio.transforms.notes: the back-link follows a note's last words, whatever the
note's last block is."""

import pytest

from folio.htmltree import fragment
from folio.model import Note
from folio.transforms.notes import _add_backlink


@pytest.mark.parametrize(("body", "holder"), [
    ("<p>A.</p>", "p"),
    ("<p>A.</p><blockquote><p>Quoted words.</p></blockquote>", "p"),
    ("<p>A.</p><ul><li>one</li><li>two</li></ul>", "li"),
    ("<blockquote><p>q</p><ul><li><p>deep</p></li></ul></blockquote>", "p"),
    ("<dl><dt>term</dt><dd>its meaning</dd></dl>", "dd"),
    ("<table><tbody><tr><td>a</td><td>last cell</td></tr></tbody></table>", "td"),
])
def test_the_back_link_follows_the_last_words(body, holder):
    note = Note(1, "note-1", "noteref-1", "chapter", fragment(body))
    _add_backlink(note)
    link = note.body.find(".//a[@class='backlink']")
    assert link.getparent().tag == holder
    assert link.getparent() is list(note.body.iter(holder))[-1]
    assert link.getprevious() is None or link.getprevious().tail is not None \
        or link.getparent().text


def test_a_note_ending_in_code_gets_the_link_after_it():
    note = Note(1, "note-1", "noteref-1", "chapter",
                fragment("<p>x</p><pre><code>code</code></pre>"))
    _add_backlink(note)
    assert note.body.find(".//pre//a") is None
    assert note.body.find(".//a[@class='backlink']") is not None
