"""folio.links: every ``#id`` link is pointed at the file that holds the id."""

from folio.links import anchors_by_file, rewrite_links

FILES = {
    "one.html": '<main id="main"><h1 id="one">One</h1><p>See <a href="#two">two</a>, '
                '<a href="#one">here</a>, <a href="#main">skip</a>, <a href="#nowhere">x</a>, '
                '<a href="https://example.org/#two">web</a> and <a href="two.html#two">t</a>.</p>'
                "</main>",
    "two.html": '<main id="main"><h1 id="two">Two</h1><p data-id="three" id="p1">'
                '<a href="#one">back</a></p></main>',
    "three.html": '<h1 id="two">A second "two" (later files lose)</h1>',
}


def test_anchors_by_file():
    anchors = anchors_by_file(FILES)
    assert anchors["one"] == "one.html"
    assert anchors["two"] == "two.html", "the first file holding an id owns it"
    assert anchors["p1"] == "two.html"
    assert "three" not in anchors, "data-id is not an id"


def test_rewrite_links():
    rewritten = rewrite_links(FILES)
    one = rewritten["one.html"]
    assert 'href="two.html#two"' in one
    assert 'href="#one"' in one, "an id in the same file stays a local link"
    assert 'href="#main"' in one, "each page's own #main stays local"
    assert 'href="#nowhere"' in one, "unknown ids are left for the link checks to report"
    assert 'href="https://example.org/#two"' in one
    assert one.count('href="two.html#two"') == 2
    assert 'href="one.html#one"' in rewritten["two.html"]
    assert rewritten["three.html"] == FILES["three.html"]


def test_text_that_looks_like_markup_is_left_alone():
    # A book may show HTML in a code span: the text (escaped "<", literal quotes) must
    # not be taken for an anchor or rewritten as a link.
    files = {"a.html": '<p id="a"><code>&lt;a href="#b"&gt;</code> <a href="#a">a</a></p>',
             "b.html": '<p><code>&lt;p id="a"&gt;</code></p><h1 id="b">B</h1>'}
    assert anchors_by_file(files)["a"] == "a.html"
    assert rewrite_links(files)["a.html"] == files["a.html"]
