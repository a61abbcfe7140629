"""The message catalogues (folio/i18n/catalogues): complete, consistent with English,
plural forms of each language's CLDR rules; tags resolved by BCP 47 fallback; the
book's own strings in book.yaml validated; one warning for what stays English."""

from __future__ import annotations

import re

import pytest
from babel import Locale
from helpers import write_book

from folio.check import check_manuscript
from folio.errors import BuildError
from folio.i18n import Strings, available, load_catalogue, placeholders, resolve
from folio.i18n.catalogue import ENGLISH, NUMBERED_WORDS, PLURAL_CATEGORIES
from folio.read.config import load_config

REQUIRED = ["en", "ar", "ca", "cs", "da", "de", "el", "es", "fa", "fi", "fr", "he", "hi", "hu",
            "it", "ja", "ko", "nl", "no", "pl", "pt", "ru", "sv", "tr", "uk", "zh-Hans",
            "zh-Hant"]
ENGLISH_MESSAGES = load_catalogue(ENGLISH)[1]
OTHERS = [tag for tag in available() if tag != ENGLISH]


def test_every_language_asked_for_has_a_catalogue():
    assert set(REQUIRED) <= set(available()), sorted(set(REQUIRED) - set(available()))


@pytest.mark.parametrize("tag", OTHERS)
def test_a_catalogue_has_every_message_of_english_and_no_other(tag):
    locale, messages = load_catalogue(tag)
    assert sorted(messages) == sorted(ENGLISH_MESSAGES)
    Locale.parse(locale)  # a CLDR locale Babel knows


@pytest.mark.parametrize("tag", OTHERS)
def test_a_message_has_the_placeholders_of_english(tag):
    """The same placeholders as English; a word of cross-references may also hold
    {n}, the number, where its language puts it inside or before the word."""
    messages = load_catalogue(tag)[1]
    wrong = {key: (sorted(placeholders(messages[key])), sorted(placeholders(english)))
             for key, english in ENGLISH_MESSAGES.items()
             if placeholders(messages[key]) - ({"n"} if key in NUMBERED_WORDS else set())
             != placeholders(english)}
    assert not wrong


def test_numbers_go_where_the_language_puts_them():
    from folio.transforms.crossref_words import words_for

    assert words_for(Strings("en")).label("Figure", "3.2") == "Figure\u00a03.2"
    japanese = words_for(Strings("ja"))
    assert japanese.label(japanese.chapter[0], "3") == "第3章"
    hungarian = words_for(Strings("hu"))
    assert hungarian.label(hungarian.figure[0], "3.2") == "3.2. ábra"


@pytest.mark.parametrize("tag", available())
def test_plural_messages_have_the_forms_of_their_language(tag):
    """A message that shows a count is a mapping of plural forms: only categories the
    language's CLDR rules use, and always 'other'; every category the language uses
    (one, few, many…) given, so that no count falls back to a wrong form."""
    locale, messages = load_catalogue(tag)
    categories = set(Locale.parse(locale).plural_form.tags) | {"other"}
    for key, english in ENGLISH_MESSAGES.items():
        message = messages[key]
        if not isinstance(english, dict):
            assert isinstance(message, str), key
            continue
        assert isinstance(message, dict), key
        assert set(message) <= categories and set(message) <= set(PLURAL_CATEGORIES), \
            (key, sorted(set(message) - categories))
        # "many" in French, Italian, Spanish, Portuguese and Catalan is for a million
        # and more: optional (other serves it).
        needed = categories - ({"many"} if tag in ("fr", "it", "es", "pt", "ca") else set())
        assert needed <= set(message), (key, sorted(needed - set(message)))


@pytest.mark.parametrize("tag", OTHERS)
def test_a_catalogue_translates(tag):
    """A catalogue is a translation: most messages differ from English."""
    messages = load_catalogue(tag)[1]
    same = [k for k, v in messages.items() if v == ENGLISH_MESSAGES[k]]
    assert len(same) < len(messages) // 4, same


@pytest.mark.parametrize("tag, catalogue", [
    ("fr", "fr"), ("fr-CA", "fr"), ("pt-BR", "pt"), ("pt-PT", "pt"), ("de-AT", "de"),
    ("zh", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh-Hans-SG", "zh-Hans"), ("zh-TW", "zh-Hant"),
    ("zh-HK", "zh-Hant"), ("zh-Hant-TW", "zh-Hant"), ("zh-Hant", "zh-Hant"), ("nb", "no"),
    ("nn-NO", "no"), ("no", "no"), ("EN-gb", "en"), ("eo", None), ("tlh", None),
])
def test_language_tags_resolve_by_bcp47_fallback(tag, catalogue):
    assert resolve(tag) == catalogue


def test_plural_forms_follow_cldr_rules():
    assert Strings("en").text("used_on_pages", 1, pages="4") == "Used on page 4."
    assert Strings("en").text("used_on_pages", 2, pages="4, 9") == "Used on pages 4, 9."
    russian = Strings("ru")
    forms = [russian.message("search_found", n) for n in (1, 3, 5, 21)]
    assert forms[0] != forms[1] != forms[2] and forms[3] == forms[0]  # one, few, many, one
    assert Strings("ja").message("search_found", 1) == Strings("ja").message("search_found", 7)


@pytest.mark.parametrize("tag, day, month, year", [
    ("fr", "7 novembre 1917", "novembre 1917", "1917"),
    ("de", "7. November 1917", "November 1917", "1917"),
    ("ja", "1917年11月7日", "1917年11月", "1917年"),
    ("zh-Hant", "1917年11月7日", "1917年11月", "1917年"),
    ("en", "7 November 1917", "November 1917", "1917"),
    ("en-US", "November 7, 1917", "November 1917", "1917"),
    ("pt-BR", "7 de novembro de 1917", "novembro de 1917", "1917"),
])
def test_dates_as_each_locale_writes_them(tag, day, month, year):
    from folio.dates import PartialDate

    strings = Strings(tag)
    assert strings.date(PartialDate(1917, 11, 7)) == day
    assert strings.date(PartialDate(1917, 11)) == month
    assert strings.date(PartialDate(1917)) == year


def test_numbers_as_each_locale_writes_them():
    assert Strings("en").number(12345) == "12,345"
    assert Strings("de").number(12345) == "12.345"
    assert Strings("fr").number(12345) == "12\u202f345"


# --- book.yaml: strings, and the warning for what stays English -------------------------

def _book(tmp_path, extra: str, language: str = "fr"):
    config = (f"title: Un livre\nauthor: Une autrice\nlanguage: {language}\n"
              f"contents:\n  chapters: [chapters/one.md]\n{extra}")
    return write_book(tmp_path, config=config)


def test_a_book_overrides_any_string(tmp_path):
    root = _book(tmp_path, "strings:\n  index: Index des noms\n  used_on_pages:\n"
                           "    one: Page {pages}.\n    other: Pages {pages}.\n")
    config = load_config(root)
    strings = Strings(config.language, config.strings)
    assert strings.text("index") == "Index des noms"
    assert strings.text("used_on_pages", 2, pages="3, 4") == "Pages 3, 4."
    assert strings.text("glossary") == "Glossaire"  # the rest from the catalogue


@pytest.mark.parametrize("extra, line, message", [
    ("strings:\n  indx: Index des noms\n", 7, "unknown string 'indx' (did you mean 'index'?)"),
    ("strings:\n  index: [a, b]\n", 7, "'strings.index' must be text"),
    ("strings:\n  back_to_note: Retour {note}\n", 7,
     "'strings.back_to_note' may use only the placeholders {n}"),
    ("strings:\n  used_on_pages:\n    single: Page {pages}.\n", 7,
     "'strings.used_on_pages' is a mapping of plural forms"),
    ("strings: Index\n", 6, "'strings' must be a mapping"),
])
def test_a_wrong_string_is_an_error_at_its_line(tmp_path, extra, line, message):
    root = _book(tmp_path, extra)
    with pytest.raises(BuildError) as raised:
        load_config(root)
    assert f"book.yaml:{line}: {message}" in str(raised.value)


def test_a_language_without_catalogue_gets_english_and_one_warning(tmp_path):
    root = _book(tmp_path, "", language="eo")
    checked = check_manuscript(root)
    warnings = [f for f in checked.findings if f.code == "M003"]
    assert len(warnings) == 1 and warnings[0].line == 3 and "'eo'" in warnings[0].message
    assert checked.book is not None
    assert Strings("eo").text("contents") == "Contents"


def test_a_catalogue_missing_messages_gets_english_for_them_and_one_warning(
        tmp_path, monkeypatch):
    import folio.i18n.catalogue as catalogue
    import folio.i18n.strings as strings_module

    french_locale, french = load_catalogue("fr")
    partial = {k: v for k, v in french.items() if k not in ("index", "see_also")}

    def loaded(tag):
        return (french_locale, partial) if tag == "fr" else load_catalogue(tag)

    monkeypatch.setattr(strings_module, "load_catalogue", loaded)
    monkeypatch.setattr(strings_module, "_CACHE", {})
    strings = Strings("fr")
    assert strings.missing == ["index", "see_also"]
    assert strings.text("index") == "Index" and strings.text("glossary") == "Glossaire"
    assert Strings("fr", {"index": "Index des noms"}).missing == ["see_also"]
    root = _book(tmp_path, "")
    warnings = [f for f in check_manuscript(root).findings if f.code == "M003"]
    assert len(warnings) == 1
    assert "'fr'" in warnings[0].message and "index, see_also" in warnings[0].message
    assert catalogue.resolve("fr") == "fr"


def test_a_french_book_has_no_warning(tmp_path):
    root = _book(tmp_path, "")
    assert not [f for f in check_manuscript(root).findings if f.code == "M003"]


@pytest.mark.parametrize("tag", available())
def test_every_message_formats_with_its_values(tag):
    """Each message (each plural form) fills its placeholders and keeps no brace of
    its own, and the CSS of the handouts' page numbers is one declaration value."""
    strings = Strings(tag)
    for key, english in ENGLISH_MESSAGES.items():
        values = {name: f"<{name}>" for name in placeholders(english) | {"n"}}
        for count in (0, 1, 2, 3, 5, 11, 21, 100, 1_000_000):
            text = strings.text(key, count, **values)
            assert "{" not in text and "}" not in text, (key, text)
    content = strings.css_content("page_of_pages", page="counter(page)",
                                  pages="counter(pages)")
    assert "counter(page)" in content and "counter(pages)" in content and ";" not in content


def test_the_print_page_of_a_reference_goes_where_the_language_puts_it():
    """"Figure 1.1 on p. 4"; in Korean the number comes before its word: "그림 1.1 4쪽"."""
    from folio.htmltree import fragment
    from folio.transforms.crossref_words import words_for
    from folio.typeset.typesetter import PageNumbers
    from folio.typeset.xrefpages import with_xref_pages

    def marked(tag: str) -> str:
        body = fragment('<p>As <span class="xref"><a class="xref" href="#fig:a">F</a></span>'
                        ' shows.</p>')
        numbers = PageNumbers()
        numbers.number_of["fig:a"] = 4
        return with_xref_pages(body, numbers, set(), words_for(Strings(tag)).on_page) \
            .text_content()

    assert marked("en") == "As F on p.\u00a04 shows."
    assert marked("ko") == "As F 4쪽 shows."
    assert marked("zh-Hans") == "As F 见第4页 shows."


def test_french_messages_keep_french_spacing():
    """Before : ; ! ? and inside « », French sets a no-break space, never a plain one
    (which a line may break at) and never none."""
    for key, message in load_catalogue("fr")[1].items():
        for text in message.values() if isinstance(message, dict) else [message]:
            assert not re.search(r"(?<=[^\s\u00a0\u202f])[;:!?»]|[;:!?»](?<= [;:!?»])|« ",
                                 text.replace("{", "").replace("}", "")), (key, text)


def test_a_list_of_references_is_joined_as_the_language_joins_it():
    from folio.transforms.crossref_words import words_for
    from folio.transforms.crossrefs import _listed

    def joined(tag: str) -> str:
        return "".join(_listed(["1.1", "1.2", "1.3"], words_for(Strings(tag))))

    assert joined("en") == "1.1, 1.2 and 1.3"
    assert joined("de") == "1.1, 1.2 und 1.3"
    assert joined("zh-Hans") == "1.1、1.2和1.3"
    assert joined("ja") == "1.1、1.2と1.3"
