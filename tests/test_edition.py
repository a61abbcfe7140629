"""The first book's apparatus is consistent and sourced (issue-level checks on manuscript/).

The apparatus is everything the editors wrote: the introduction, headings, notes, glossary,
chronology, index headings and discussion questions; never the author's text. What can be
checked mechanically is pinned here: one spelling convention (British, with -ize: the
introduction says so), one form of each name and event, one date for each work, every
glossary headword in the index, every person named in a note in the index at that note, a
source (author, title, year) in every note, chronology events linked to the chapters whose
notes discuss them, no glossary definition that explains a term by itself, and the
CHANGELOG counting the apparatus as it is."""

from __future__ import annotations

import copy
import re
from collections import defaultdict

from folio.htmltree import text_of
from folio.model import FRONT

OPEN, CLOSE = "⟦", "⟧"  # around a title (an <em>) in the text of an apparatus element


def _marked(element) -> str:
    """The text of *element* (an lxml element) with each <em> between ⟦ and ⟧."""
    element = copy.deepcopy(element)
    for em in list(element.iter("em")):
        em.text = OPEN + (em.text or "")
        if len(em):
            em[-1].tail = (em[-1].tail or "") + CLOSE
        else:
            em.text += CLOSE
    return re.sub(r"\s+", " ", element.text_content()).strip()


def _headings(entries, prefix=""):
    for entry in entries:
        yield prefix + entry.heading
        yield from _headings(entry.subentries, prefix + entry.heading + " / ")


def apparatus(book) -> list[tuple[str, str]]:
    """[(where, text)] of everything the editors wrote, titles marked ⟦…⟧."""
    pieces = [(f"note {n.number}", _marked(n.body)) for n in book.notes]
    pieces += [(f"glossary '{e.term}'", f"{e.term}: {_marked(e.definition)}")
               for e in book.glossary]
    pieces += [(f"chronology {e.date.iso()}", _marked(e.text)) for e in book.chronology]
    pieces += [(f"questions of {chapter} {i}", _marked(item))
               for chapter, questions in book.questions.items()
               for i, item in enumerate(questions.items, 1)]
    pieces += [(s.id, _marked(s.body)) for s in book.of_kind(FRONT) if s.body is not None]
    pieces += [(f"heading in {s.id}", text) for s in book.chapters
               for text in [s.title, *(h[2] for h in s.headings)]]
    pieces += [("index", heading) for heading in _headings(book.index)]
    return pieces


def _prose(text: str) -> str:
    """The editors' own words: titles and quotations (which keep their sources' spelling
    and names) left out."""
    text = re.sub(rf"{OPEN}[^{CLOSE}]*{CLOSE}", " ", text)
    return re.sub(r"“[^”]*”", " ", text)


def _without_titles(text: str) -> str:
    return re.sub(rf"{OPEN}[^{CLOSE}]*{CLOSE}", " ", text)


def _titles(book) -> set[str]:
    return {m.group(1) for _, text in apparatus(book)
            for m in re.finditer(rf"{OPEN}([^{CLOSE}]+){CLOSE}", text)}


def _index_title(heading: str) -> str:
    """An index heading as the work's title reads: "Revolution Betrayed, The (Trotsky)" ->
    "The Revolution Betrayed"."""
    heading = re.sub(r"\s*\([^()]*\)$", "", heading.split(" / ")[-1])
    match = re.match(r"^(.*), (The|A|An)$", heading)
    return f"{match.group(2)} {match.group(1)}" if match else heading


# --- one spelling convention -------------------------------------------------------------

# American forms, and British forms in -ise, that the editors' British (Oxford) spelling
# does not use. Titles and quotations are left out: they keep their sources' spelling.
NOT_OXFORD = [
    r"\blabor(s|ed|ing|ers?)?\b", r"\bcenter(s|ed)?\b", r"\bprograms?\b", r"\bdefense\b",
    r"\boffense\b", r"\btravel(ed|ing|er)\b", r"\bfavor(s|ed|ing|able|ite)?\b",
    r"\bhonor(s|ed|ing|able)?\b", r"\bcolor(s|ed)?\b", r"\barmor(ed)?\b",
    r"\bbehavior(s|al)?\b", r"\bpractic(ed|ing)\b", r"\banalyz(e|ed|es|ing)\b",
    r"\bpercent\b", r"\btoward\b", r"\bcatalog\b", r"\bfulfill(s|ment)?\b", r"\bjudgment\b",
    r"\bskeptic", r"\bgray\b", r"\bmold\b",
    r"\b(organ|recogn|real|critic|character|collectiv|industrial|national|privat|popular"
    r"|summar|apolog|central|civil|colon|democrat|legal|minim|maxim|mobil|modern|neutral"
    r"|normal|polar|radical|rational|special|stabil|standard|symbol|util|militar|bureaucrat"
    r"|capital|theor|emphas|author|legitim|ideal|general|social|liberal|global|margin"
    r"|memor|prior|categor|sympath|final|crystall|formal|moral|synthes|agon|ostrac)"
    r"is(e|ed|es|ing|ation|ations)\b",
]


def test_the_apparatus_has_one_spelling_convention_and_says_which(book):
    introduction = text_of(book.section("editors-introduction").body)
    assert "British spelling with the endings in -ize (Oxford spelling)" in introduction
    titles = _titles(book)
    found = []
    for where, text in apparatus(book):
        if where == "index" and _index_title(text) in titles:
            continue  # a work's title keeps its own spelling
        for pattern in NOT_OXFORD:
            found += [f"{where}: {m.group(0)}" for m in re.finditer(pattern, _prose(text))]
    assert not found, found


def test_the_introduction_says_the_authors_text_is_unchanged(book):
    introduction = text_of(book.section("editors-introduction").body)
    assert "Only the typography has been changed" not in introduction
    assert "Not even its typography has been changed" in introduction


# --- one form of each name, event and date -----------------------------------------------

# The form the apparatus uses, and the forms it must not use beside it.
VARIANTS = {
    "Leon Sedov": [r"\bLev Sedov\b", r"\bLyova\b"],
    "Nikolayev": [r"\bNikolaev\b"],
    "Georgy (Plekhanov, Pyatakov, Khrustalev-Nosar)": [r"\bGeorgi(j|y)?\b(?!y)"],
    "Grigory Zinoviev": [r"\bGrigori\b"],
    "Evgeny Preobrazhensky": [r"\bYevgeny\b"],
    "Alexei Rykov": [r"\bAleksei\b"],
    "Andreu Nin": [r"\bAndrés Nin\b"],
    "Coyoacán": [r"\bCoyoacan\b"],
    "St Petersburg": [r"\bSt\. Petersburg\b"],
    "Yanovka": [r"\bIanovka\b"],
    "Chiang Kai-shek": [r"\bJiang Jieshi\b"],
    "Kuomintang": [r"\bGuomindang\b"],
    "Parvus (Alexander Helphand)": [r"\bHelphand \(Parvus\)"],
    "Ramón Mercader (1913–1978)": [r"\b1913–78\b", r"\bRamon\b"],
    "Trotskyite-Zinovievite Terrorist Centre": [r"Trotskyist-Zinovievite",
                                                r"Zinovievite [Tt]errorist [Cc]enter"],
    "Anti-Soviet Trotskyite Centre": [r"Parallel Anti-Soviet", r"Trotskyist Centre"],
    "Communist International": [r"Third \(Communist\)", r"Communist \(Third\)"],
    "First World War": [r"\bWorld War I\b", r"\bGreat War\b"],
    "Second World War": [r"\bWorld War II\b"],
    "Nazi–Soviet Pact": [r"Molotov.Ribbentrop"],
    "Great Terror": [r"\bGreat Purge\b"],
    "1905 Revolution": [r"\bRevolution of 1905\b"],
    "Spartacist rising": [r"Spartacist uprising", r"“Spartacist”"],
    "Kronstadt rising": [r"Kronstadt (revolt|rebellion|uprising|mutiny)"],
    "May Days (Barcelona, 1937)": [r"Barcelona fighting"],
    "Godesberg Programme": [r"Bad Godesberg Program\b"],
    "Manifesto of the Communist Party": [r"\bCommunist Manifesto\b"],
    "Address of the Central Committee to the Communist League": [
        r"Address to the Communist League"],
    "Copenhagen interpretation (no collapse postulate)": [r"Copenhagen\)? account"],
}


def test_one_form_of_each_name_and_event(book):
    found = [f"{where}: {m.group(0)!r} (the edition writes {form})"
             for where, text in apparatus(book)
             for form, patterns in VARIANTS.items() for pattern in patterns
             for m in re.finditer(pattern, _without_titles(text))]
    assert not found, found


LIFE_DATES = {"Mercader": "1913–1978", "Stalin": "1878–1953", "Ulyanov": "1870–1924",
              "Marx": "1818–1883", "Engels": "1820–1895", "Franco": "1892–1975",
              "Trotsky": "1879–1940"}


def test_one_form_of_each_persons_life_dates(book):
    wrong = []
    for where, text in apparatus(book):
        for name, dates in LIFE_DATES.items():
            for m in re.finditer(rf"\b{name}\b[^()⟦]{{0,40}}\((\d{{4}}–\d{{2,4}})\)", text):
                if m.group(1) != dates:
                    wrong.append(f"{where}: {m.group(0)!r} (the edition gives {dates})")
    for entry in book.glossary:  # a person's entry opens with the life dates
        name = entry.term.split(",")[0]
        m = re.search(r"\((\d{4}–\d{2,4})\)", text_of(entry.definition))
        if name in LIFE_DATES and (m is None or m.group(1) != LIFE_DATES[name]):
            wrong.append(f"glossary '{entry.term}': {m and m.group(1)}")
    assert not wrong, wrong


# A work's date as the apparatus gives it after the title: "(1938)", "(written 1930–32)",
# "(written 1936; published in English 1937)", or ", 1938".
_DATE = re.compile(rf"{OPEN}([^{CLOSE}]+){CLOSE}(?:\s*\(((?:written |first published |"
                   r"published (?:in English )?)?\d{4}[^)]*)\)|,\s(\d{4})\b)")


def test_one_date_form_for_each_work(book):
    forms: dict[str, set[str]] = defaultdict(set)
    where_of: dict[str, list[str]] = defaultdict(list)
    for where, text in apparatus(book):
        for m in _DATE.finditer(text):
            forms[m.group(1)].add(m.group(2) or m.group(3))
            where_of[m.group(1)].append(where)
    mixed = {title: sorted(dates) for title, dates in forms.items() if len(dates) > 1}
    assert not mixed, mixed
    assert forms["The Revolution Betrayed"] == {"written 1936; published in English 1937"}
    assert forms["The History of the Russian Revolution"] == {"written 1930–32"}


# --- glossary and index ----------------------------------------------------------------

def _normal(heading: str) -> str:
    """A heading for comparison: case, apostrophe style and a final "(qualifier)" aside."""
    heading = re.sub(r"\s*\([^()]*\)$", "", heading)
    return heading.replace("’", "'").casefold().strip()


def test_every_glossary_headword_is_an_index_heading(book):
    headings = {_normal(entry.heading) for entry in book.index}
    missing = [entry.term for entry in book.glossary if _normal(entry.term) not in headings]
    assert not missing, f"glossary headwords with no index heading of that form: {missing}"


def test_no_glossary_definition_explains_a_term_by_itself(book):
    """The defining sentence (the first) must not be made of the headword's own words."""
    # A doctrine named after its founder is defined through the founder's name.
    eponyms = {"Marxism", "Stalinism", "Trotskyism"}

    def stems(text):
        words = re.findall(r"[a-zà-ÿ]{3,}", text.casefold())
        return {re.sub(r"(ism|ist|ese|ian|ies|es|s|a|y)$", "", w) for w in words} - {
            "the", "and", "of"}

    circular = []
    for entry in book.glossary:
        if entry.term in eponyms or "," in entry.term:  # a person: "Stalin, Joseph"
            continue
        first = re.split(r"(?<=[.;:])\s", _without_titles(_marked(entry.definition)))[0]
        own = stems(_normal(entry.term))
        if own and own <= stems(first):
            circular.append(f"{entry.term}: {first}")
    assert not circular, circular


# --- people in the notes ------------------------------------------------------------------

# Everyone the notes name, by index heading; a heading's mentions are its surname unless
# given here. Trotsky (also as Bronstein) is the book's subject: his entry gathers what the
# notes say of him under sub-headings, not every note that names him.
PERSON_MENTIONS = {
    "Alexander, Robert J.": r"\bAlexander\b(?! (?:Rabinowitch|Erlich|Helphand))",
    "Nicholas II, Tsar": r"\bNicholas II\b",
    "Parvus (Alexander Helphand)": r"\bParvus\b|\bHelphand\b",
    "Chiang Kai-shek": r"\bChiang\b",
    "Chandran KC": r"\bChandran KC\b",
    "Khrustalev-Nosar, Georgy": r"\bKhrustalev-Nosar\b",
    "von Neumann, John": r"\bvon Neumann\b",
}
SUBJECT = {"Trotsky, Leon", "Bronstein, Lev Davidovich"}
# Index headings in the "Heading, Qualifier" form that are not people.
NOT_PEOPLE = {"Five-Year Plan, First (1928–1932)", "Pulacayo, Thesis of (1946)",
              "Thermidor, Soviet"}
# Authors who are institutions, as the notes cite them.
INSTITUTIONS = ["IPCC", "World Health Organization and World Bank",
                "People’s Commissariat of Justice of the USSR"]


def _people(book) -> dict[str, str]:
    """{index heading: pattern of its mentions} for every person in the index."""
    people = {}
    for entry in book.index:
        heading = entry.heading
        if heading in PERSON_MENTIONS:
            people[heading] = PERSON_MENTIONS[heading]
        elif re.match(r"^[A-Z][^,()]*, (?!The\b|A\b|An\b)[A-Z]", heading) and \
                heading not in NOT_PEOPLE:
            people[heading] = rf"\b{re.escape(heading.split(',')[0])}\b"
    return people


def _notes_indexed(book) -> dict[str, set[int]]:
    """{top-level index heading: numbers of the notes holding one of its places}."""
    def places(entry):
        yield from entry.places
        for sub in entry.subentries:
            yield from places(sub)

    return {e.heading: {p.note for p in places(e) if p.note is not None} for e in book.index}


def test_every_person_named_in_a_note_is_indexed_at_that_note(book):
    people = _people(book)
    assert set(PERSON_MENTIONS) <= set(people), set(PERSON_MENTIONS) - set(people)
    indexed = _notes_indexed(book)
    missing = [f"note {note.number}: {heading}"
               for note in book.notes
               for heading, pattern in people.items()
               if heading not in SUBJECT
               and re.search(pattern, _without_titles(_marked(note.body)))
               and note.number not in indexed[heading]]
    assert not missing, missing


# --- sources -----------------------------------------------------------------------------

def test_every_note_names_its_source_by_author_title_and_year(book):
    surnames = {re.escape(h.split(",")[0].split(" (")[0]) for h in _people(book)}
    authors = "|".join(sorted(surnames | {re.escape(i) for i in INSTITUTIONS}, key=len,
                              reverse=True))
    title = rf"(?:{OPEN}[^{CLOSE}]+{CLOSE}|“[^”]+”)"
    citation = re.compile(
        rf"(?:{authors})(?: et al\.)?(?:’s|,)\s(?:in\s)?{title}"
        rf"(?:,\s(?:{title}|vol\. \d+))*\s*\([^)]*\b(1[5-9]\d\d|20[0-2]\d)\b[^)]*\)")
    # A citation ([@key]) names its work in full the first time and in short after;
    # then its link reaches the Works Cited entry, which gives author, title and year.
    entries = {entry.id: _marked(entry.body) for entry in book.bibliography.entries}
    full_entry = re.compile(rf"^[^{OPEN}“]+\. (?:{OPEN}[^{CLOSE}]+{CLOSE}|“[^”]+”).*"
                            rf"\b(1[5-9]\d\d|20[0-2]\d)\b")

    def cited(note) -> bool:
        hrefs = [a.get("href", "").rpartition("#")[2] for a in note.body.iter("a")]
        return any(h in entries and full_entry.search(entries[h]) for h in hrefs)

    unsourced = [f"note {note.number}: {_marked(note.body)[:80]}" for note in book.notes
                 if not citation.search(_marked(note.body)) and not cited(note)]
    assert not unsourced, unsourced


# --- chronology links -------------------------------------------------------------------

# Each event of the chronology (its date, and a word of it where two share a date) with
# what a chapter's text or notes say when they discuss it. The event must link every
# chapter that does, and only those; an event no chapter discusses is in UNLINKED.
EVENTS = [
    ("1879-11-07", None, r"\bborn\b (on 7 November 1879|Lev Davidovich)"),
    ("1897", None, r"South Russian Workers"),
    ("1898", None, r"Arrested in January 1898"),
    ("1900", None, r"exile in eastern Siberia"),
    ("1902", None, r"escaped? from Siberia|he escaped in 1902"),
    ("1902-10", None, r"⟦Iskra⟧"),
    ("1903-07", None, r"sided with the Mensheviks"),
    ("1905-01-22", None, r"1905 Revolution|Bloody Sunday"),
    ("1905-10", None, r"St Petersburg Soviet"),
    ("1905-12-16", None, r"December 1905"),
    ("1906", None, r"Results and Prospects"),
    ("1907", None, r"early in 1907"),
    ("1914-07-28", None, r"World War I(?!I)|First World War"),
    ("1915-09", None, None),
    ("1917-01", None, r"from New York"),
    ("1917-03-08", None, r"February Revolution"),
    ("1917-05-17", None, r"back to Petrograd"),
    ("1917-08", None, r"joined the Bolsheviks only in the summer of 1917"),
    ("1917-10", None, r"chairman of the ⟦?Petrograd Soviet"),
    ("1917-11-07", None, r"October Revolution|1917 Revolution|insurrection took place"),
    ("1918", None, r"Russian Civil War|Red Terror of the Civil War"),
    ("1918-01-28", None, r"Red Army, created by decree"),
    ("1918-02-14", None, r"Julian[^.]*calendar"),
    ("1918-03-03", None, r"Commissar for Military and Naval Affairs in March 1918"),
    ("1918-11-09", None, r"German [Rr]evolution|Germany \(1918–1923\)"),
    ("1918-11-11", None, r"after World War I(?!I)"),
    ("1918-12-30", None, r"Communist Party of Germany|German Communist Party"),
    ("1919-01-05", None, r"Spartacist"),
    ("1919-03", None, r"founded in Moscow in March 1919"),
    ("1920", None, r"Terrorism and Communism|militarization of labour"),
    ("1921-03", None, r"March Action"),
    ("1921-03-01", None, r"Kronstadt"),
    ("1921-03-08", None, r"Tenth Party Congress|New Economic Policy"),
    ("1922-04-03", None, r"General Secretary"),
    ("1922-12", None, r"Letter to the Congress"),
    ("1922-12-30", None, r"founded only on 30 December 1922"),
    ("1923-10", "Left Opposition", r"Declaration of the Forty-Six"),
    ("1923-10", "German October", r"German October"),
    ("1924-01-21", None, r"Lenin’s death"),
    ("1924-12", None, r"(?i)socialism in one country"),
    ("1925-01", None, r"until January 1925"),
    ("1926", "United Opposition", r"United Opposition"),
    ("1926-03-20", None, r"coup in Canton"),
    ("1926-10", None, r"1926–27 Trotsky joined"),
    ("1927-04-12", None, r"Shanghai"),
    ("1927-10", None, r"[Ee]xpelled from the (party|Communist Party)"),
    ("1927-11-14", None, r"[Ee]xpelled from the (party|Communist Party)"),
    ("1927-12", None, r"Fifteenth Party Congress"),
    ("1927-12-11", None, r"Canton Commune"),
    ("1928-01", None, r"Alma-Ata"),
    ("1928-10", None, r"First Five-Year Plan"),
    ("1929-02", None, r"expelled from the USSR to"),
    ("1929-11", None, r"forced collectivization|mass collectivization"),
    ("1930", "The Permanent Revolution", r"restated it"),
    ("1930", "My Life", r"⟦My Life⟧"),
    ("1930", "History of the Russian Revolution",
     r"opening chapter of ⟦The History|combined and uneven development"),
    ("1932", None, r"famine"),
    ("1933-01-30", None, r"Hitler"),
    ("1933-07", None, r"Fourth International[^.]*(historically constrained|laid an)"),
    ("1934-12-01", None, r"Kirov"),
    ("1935-06", None, r"Norway"),
    ("1936-07-17", None, r"Spanish Civil War|Spain \(1936–1939\)"),
    ("1936-08", None, r"⟦The Revolution Betrayed⟧"),
    ("1936-08-19", None, r"August 1936|Trotskyist-Zinovievite terrorist center"),
    ("1937-01-09", None, r"January 1937, to ⟦?Mexico|assassinate him in ⟦?Mexico"),
    ("1937-01-23", None, r"January 1937⟧?; and the third|second trial"),
    ("1937-04-10", None, r"Dewey"),
    ("1937-05-03", None, r"May Days"),
    ("1937-06-11", None, r"Tukhachevsky"),
    ("1937-06-16", None, r"POUM was outlawed|suppressed Trotskyist"),
    ("1937-07", None, r"mass purges|Great Terror|purges"),
    ("1938-02-16", None, r"Sedov⟧? died"),
    ("1938-03-02", None, r"March 1938|third trial"),
    # (the programme's title, "… the Tasks of the Fourth International", is no founding)
    ("1938-09-03", None, r"(?<!Tasks of the )Fourth International"),
    ("1939-04-01", None, r"Spain \(1936–1939\)|failing to defeat"),
    ("1939-08-23", None, r"Nazi–Soviet Pact"),
    ("1939-09-01", None, r"coming world war|wartime allies"),
    ("1940-05-24", None, r"Siqueiros"),
    ("1940-08-20", None, r"ice axe|assassinated in 1940|assassinate him|attacked by an agent"),
    ("1940-08-21", None, r"died (in hospital )?[^.]{0,30}the next day|assassinat(ed|ion) in 1940"),
    ("1941-06-22", None, None),
    ("1943-05", None, r"in May 1943"),
    ("1953-03-05", None, None),
    ("1956-02-25", None, None),
    ("1985-03-11", None, None),
    ("1986", None, None),
    ("1988", None, r"annulled the verdicts"),
    ("1989-11-09", None, None),
    ("1991-08-19", None, r"coup of August 1991"),
    ("1991-12-08", None, None),
    ("1991-12-25", None, r"Gorbachev⟧? resigned"),
    ("1991-12-26", None, r"in 1991|dissolved on 26 December 1991|failure of ⟦?Soviet-style"),
]
# Events given for context, which no chapter or note of this essay discusses.
UNLINKED = {
    "1915-09": "the Zimmerwald Conference: Trotsky's internationalism in the First World War",
    "1941-06-22": "the German invasion: the war Trotsky expected to decide the USSR's fate",
    "1953-03-05": "Stalin's death: the end of the regime Trotsky fought",
    "1956-02-25": "the Secret Speech: Stalin's crimes acknowledged, the trials not",
    "1985-03-11": "Gorbachev in office: the start of the end of the USSR",
    "1986": "perestroika and glasnost: the reforms the introduction names among causes of 1991",
    "1989-11-09": "the fall of the Berlin Wall: the end of communist rule in Eastern Europe",
    "1991-12-08": "the Belovezha Accords: the dissolution agreed",
}


def test_chronology_events_link_the_chapters_that_discuss_them(book):
    chapter_of = {}
    for chapter in book.chapters:
        chapter_of[chapter.id] = chapter.id
        chapter_of.update({heading[1]: chapter.id for heading in chapter.headings})
    texts = {c.id: " ".join([_marked(c.body), *(_marked(n.body) for n in book.notes_of(c.id))])
             for c in book.chapters}
    wrong = []
    for event in book.chronology:
        text = text_of(event.text)
        rows = [row for row in EVENTS
                if row[0] == event.date.iso() and (row[1] is None or row[1] in text)]
        assert len(rows) == 1, f"{event.date.iso()} {text[:40]}: {len(rows)} rows in EVENTS"
        pattern = rows[0][2]
        linked = {chapter_of[target] for target in event.chapters}
        discussed = {cid for cid, words in texts.items() if pattern and re.search(pattern, words)}
        if linked != discussed:
            wrong.append(f"{event.date.iso()} links {sorted(linked)}, discussed in "
                         f"{sorted(discussed)}")
        if not discussed and event.date.iso() not in UNLINKED:
            wrong.append(f"{event.date.iso()} is discussed nowhere and not in UNLINKED")
        if discussed and event.date.iso() in UNLINKED:
            wrong.append(f"{event.date.iso()} is in UNLINKED but discussed in {sorted(discussed)}")
    assert not wrong, wrong
    assert len(EVENTS) == len(book.chronology)


# --- the changelog's account of the apparatus ---------------------------------------------

def test_the_changelog_counts_the_apparatus_as_it_is(book):
    text = (book.config.root / "CHANGELOG.md").read_text(encoding="utf-8")
    # the newest version (changes not yet released are listed above it, uncounted)
    section = next(s for s in re.split(r"^## ", text, flags=re.M)[1:]
                   if not s.startswith("Unreleased"))
    claims = " ".join(section.split())
    linked = sum(bool(event.chapters) for event in book.chronology)
    questions = sum(len(q.items) for q in book.questions.values())
    first, last = book.chronology[0].date.year, book.chronology[-1].date.year
    for claim in (f"{len(book.notes)} endnotes, each naming its sources by author, title and year",
                  f"A glossary of {len(book.glossary)} terms, each also an index heading",
                  f"a chronology of {len(book.chronology)} events from {first} to {last}, "
                  f"{linked} of them linked to the chapters that discuss them",
                  f"index of {len(book.index)} headings, among them every person the notes name",
                  f"{questions} discussion questions",
                  "the editors' own text follows British spelling with -ize endings"):
        assert claim in claims, claim
