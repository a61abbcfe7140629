"""Sorting and letter groups by language (folio/collation.py), and the author's sort
key in the index and the glossary."""

from __future__ import annotations

import pytest
from helpers import write_book

from folio import collation
from folio.errors import BuildError
from folio.read.book import read_book


def order(words: list[str], language: str) -> list[str]:
    return collation.sort(words, str, language)


def grouped(words: list[str], language: str) -> list[tuple[str, list[str]]]:
    return [(group.label, group.items) for group in collation.groups(words, str, language)]


def test_spanish_n_tilde_is_a_letter_after_n():
    words = ["ñandú", "nube", "oso", "nieve", "Ñuñoa"]
    assert order(words, "es") == ["nieve", "nube", "ñandú", "Ñuñoa", "oso"]
    assert grouped(words, "es") == [("N", ["nieve", "nube"]), ("Ñ", ["ñandú", "Ñuñoa"]),
                                    ("O", ["oso"])]
    # Elsewhere ñ is an n with an accent.
    assert order(words, "en") == ["ñandú", "nieve", "nube", "Ñuñoa", "oso"]


def test_french_accents_only_break_ties():
    words = ["été", "étage", "cote", "côte", "coté", "côté", "élan", "Eiffel", "ecu"]
    # At the first level the letters alone count: é is e; accents then decide, from the
    # word's start in France and from its end in Canada (CLDR's "backwards" French).
    assert order(words, "fr") == ["cote", "coté", "côte", "côté", "ecu", "Eiffel", "élan",
                                  "étage", "été"]
    assert order(words, "fr-CA")[:4] == ["cote", "côte", "coté", "côté"]
    assert grouped(words, "fr") == [("C", ["cote", "coté", "côte", "côté"]),
                                    ("E", ["ecu", "Eiffel", "élan", "étage", "été"])]


def test_german_umlauts_sort_and_group_with_their_vowel():
    words = ["Zucker", "Öl", "Ober", "Äpfel", "Apfel", "Übung", "Ulme", "Ost"]
    assert grouped(words, "de") == [("A", ["Apfel", "Äpfel"]), ("O", ["Ober", "Öl", "Ost"]),
                                    ("U", ["Übung", "Ulme"]), ("Z", ["Zucker"])]


def test_swedish_and_danish_tailor_the_letters_after_z():
    words = ["Åsa", "Ärlig", "Örn", "Zebra", "Apelsin", "Øre", "Ægir", "Aarhus", "Yxa", "Über"]
    assert grouped(words, "sv") == [
        ("A", ["Aarhus", "Apelsin"]), ("Y", ["Über", "Yxa"]), ("Z", ["Zebra"]),
        ("Å", ["Åsa"]), ("Ä", ["Ægir", "Ärlig"]), ("Ö", ["Øre", "Örn"])]
    # Danish: Æ, Ø, Å, and "aa" is the old spelling of å.
    assert grouped(words, "da") == [
        ("A", ["Apelsin"]), ("Y", ["Über", "Yxa"]), ("Z", ["Zebra"]),
        ("Æ", ["Ægir", "Ärlig"]), ("Ø", ["Øre", "Örn"]), ("Å", ["Aarhus", "Åsa"])]


def test_turkish_dotless_i_and_its_own_letters():
    words = ["ılık", "ince", "Çay", "Cam", "Şeker", "Su", "Öğle", "Ozan"]
    assert grouped(words, "tr") == [
        ("C", ["Cam"]), ("Ç", ["Çay"]), ("I", ["ılık"]), ("İ", ["ince"]),
        ("O", ["Ozan"]), ("Ö", ["Öğle"]), ("S", ["Su"]), ("Ş", ["Şeker"])]


def test_english_word_by_word_without_articles_case_or_punctuation():
    words = ["Marxism", "Marx, Karl", "The Soviet Union", "Soviets", "an apple",
             "Anarchism", "“Quoted”", "St Petersburg", "Stalinism", "Trotskyism",
             "Trotsky, Leon", "as theorist", "assassination"]
    assert order(words, "en") == [
        "Anarchism", "an apple", "as theorist", "assassination", "Marx, Karl", "Marxism",
        "“Quoted”", "The Soviet Union", "Soviets", "St Petersburg", "Stalinism",
        "Trotsky, Leon", "Trotskyism"]


def test_symbols_then_numbers_by_value_then_letters_then_other_scripts():
    words = ["Zucker", "10 Tage", "2 Tage", "1848", "+ Plus", "Привет", "Apfel"]
    groups = collation.groups(words, str, "de")
    assert [(g.kind, g.label, g.items) for g in groups] == [
        ("symbols", "Zeichen", ["+ Plus"]), ("digits", "0–9", ["2 Tage", "10 Tage", "1848"]),
        ("letter", "A", ["Apfel"]), ("letter", "Z", ["Zucker"]),
        ("other", "Andere", ["Привет"])]
    assert [g.slug for g in groups] == ["symbols", "digits", "a", "z", "other"]
    # The numbers' heading is written in the language's own digits.
    assert collation.groups(["1848"], str, "ar")[0].label == "٠–٩"


def test_the_authors_sort_key_wins(tmp_path):
    chapter = ("# One {#one}\n\n[St. Gallen]{.index sort=\"Sankt Gallen\"} and "
               "[Sachsen]{.index}, [Saale]{.index}, [Stade]{.index} and "
               "[Äpfel]{.index term=\"Obst!Äpfel\"}, [Birnen]{.index term=\"Obst!Birnen\"}, "
               "[Quitten]{.index term=\"Obst!Quitten\" sort=\"Apfelquitten\"}.\n")
    config = ("title: T\nauthor: A\nlanguage: de\ncontents:\n  chapters: [chapters/one.md]\n"
              "  glossary: glossary.yaml\n")
    root = write_book(tmp_path / "book", config, chapter)
    (root / "glossary.yaml").write_text(
        "- term: Sachsen\n  definition: Ein Land.\n"
        "- term: St. Gallen\n  sort: Sankt Gallen\n  definition: Eine Stadt.\n"
        "- term: Saale\n  definition: Ein Fluss.\n", encoding="utf-8")
    book = read_book(root, warn=lambda message: None)
    assert [(g.label, [e.heading for e in g.entries]) for g in book.index_groups] == [
        ("O", ["Obst"]), ("S", ["Saale", "Sachsen", "St. Gallen", "Stade"])]
    # A sub-entry's key: Quitten as "Apfelquitten", between Äpfel and Birnen.
    assert [e.heading for e in book.index[0].subentries] == ["Äpfel", "Quitten", "Birnen"]
    assert [e.term for e in book.glossary] == ["Saale", "Sachsen", "St. Gallen"]
    assert all(m.get("data-sort") is None for s in book.sections if s.body is not None
               for m in s.body.xpath(".//span[@class='index-mark']"))


def test_a_glossary_sort_key_must_be_words(tmp_path):
    config = ("title: T\nauthor: A\ncontents:\n  chapters: [chapters/one.md]\n"
              "  glossary: glossary.yaml\n")
    root = write_book(tmp_path / "book", config, "# One {#one}\n\nText.\n")
    (root / "glossary.yaml").write_text(
        "- term: Saale\n  definition: Ein Fluss.\n- term: Elbe\n  sort: [1]\n"
        "  definition: Ein Fluss.\n", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        read_book(root, warn=lambda message: None)
    assert "glossary.yaml:4:" in str(caught.value) and "'sort'" in str(caught.value)
