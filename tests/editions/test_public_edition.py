"""The public edition as a model: what it leaves out, what it writes instead, how its
notes and numbers come out, and the confidential edition beside it."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from report import model as m
from report.build import Locale, load
from report.cli import main
from report.transforms.editions import public_edition
from report.transforms.protected import pieces, protected_strings
from tests.conftest import REPO
from tests.editions.support import RUSSIAN, WITHHELD, fold, make_edition_project


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return make_edition_project(tmp_path_factory.mktemp("editions") / "project", russian=True)


@pytest.fixture(scope="module")
def public(root):
    return load(root, stop_on_error=False)


@pytest.fixture(scope="module")
def confidential(root):
    return load(root, stop_on_error=False, locale=Locale(edition="confidential"))


def every_text(document: m.Document) -> str:
    """Every word and id the model holds, notes, captions, alt texts and titles included."""
    parts = [document.metadata.title, document.metadata.organization or ""]
    for section in document.sections:
        parts += [section.id, section.title or ""]
        for block in m.walk_blocks(section.blocks):
            parts += [getattr(block, "id", None) or "", getattr(block, "alt", None) or ""]
            parts += [getattr(node, "text", "") if isinstance(node, (m.Text, m.Code)) else
                      node.text() if isinstance(node, m.Ref) else getattr(node, "id", None) or ""
                      for inlines in m.block_inlines(block) for node in m.descendants(inlines)]
    return fold(" ".join(parts))


def footnotes(document: m.Document) -> list[str]:
    return [m.plain_text(note.children) for note in document.footnotes()]


def test_the_public_edition_holds_nothing_marked_and_no_listed_name(public):
    text = every_text(public.document)
    for withheld in WITHHELD:
        assert fold(withheld) not in text, withheld
    assert [s.id for s in public.document.sections] == ["intro"]  # the confidential section is gone


def test_names_become_pseudonyms_and_marked_words_their_public_wording(public):
    paragraphs = [m.plain_text(b.children) for b in public.document.sections[0].blocks if isinstance(b, m.Paragraph)]
    assert paragraphs[:2] == [
        "Witness A was held for five days. He was taken in a western city by police. His lawyer, was not allowed in.",
        "The interview confirms it. Witness A said so again, and the cell of Witness A was cold.",
    ]
    blocks = public.document.sections[0].blocks
    heading = next(b for b in blocks if isinstance(b, m.Heading))
    assert (m.plain_text(heading.children), heading.id) == ("Where Witness A was held", "where-witness-a-was-held")
    table = next(b for b in blocks if isinstance(b, m.Table))
    assert m.plain_text(table.rows[0][0]) == "Witness A"
    box = next(b for b in blocks if isinstance(b, m.Div))
    assert m.plain_text(box.title) == "The case of Witness A" and box.id == "box-case"
    figure = next(b for b in blocks if isinstance(b, m.Figure))
    assert (figure.id, figure.number, figure.alt) == ("fig-chart", 1, "A chart of the detentions of Witness A and others")


def test_the_public_notes_are_numbered_without_gaps_and_their_ibid_chains_are_their_own(public):
    assert [note.number for note in public.document.footnotes()] == [1, 2, 3, 4, 5, 6, 7]
    assert footnotes(public.document) == [
        "United Nations, “Conditions of Detention”, A/75/123 (June 1, 2020), p. 3.",
        "Interview with a former detainee, March 2024.",  # the confidential source's public note
        # The public note stands for a source: no "Ibid." across it.
        "See United Nations, “Conditions of Detention”, p. 4.",
        "Ibid., p. 5.",  # the confidential source without a public note is left out of the group
        "Ibid.",
        "An NGO, “The Release of Witness A” (2021), https://example.org/page, accessed April 30, 2024.",
        "Ibid.",
    ]


def test_check_says_which_confidential_sources_are_described_and_which_left_out(root):
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert ("sections/01-intro.md:9:15: info[EDN001]: 'interview-farid' is confidential: the public edition cites "
            "it as its public note") in lines
    assert ("sections/01-intro.md:10:15: warning[EDN002]: 'interview-guard' is confidential and has no public-note: "
            "the public edition leaves this citation out (add public-note: \"…\" to its registry entry, e.g. "
            "\"Interview with a former detainee, March 2024\")") in lines


def test_the_confidential_edition_is_the_whole_document_marked_as_such(public, confidential):
    document = confidential.document
    assert document.metadata.edition == "confidential" and public.document.metadata.edition == "public"
    assert [s.id for s in document.sections] == ["intro", "sec-annex"]
    text = every_text(document)
    for marked in ("Farid Mammadov", "in Ganja", "Leyla Aliyeva", "Told by his brother Elnur", "cousin of the governor",
                   "Transcript of the interview at Ganja", "Interview with the guard on duty"):
        assert fold(marked) in text, marked
    assert len(document.footnotes()) == 11
    # The checks read the whole source in both editions: the same findings, but for what
    # only the public edition has to say.
    edn = [d for d in public.diagnostics if d.code.startswith("EDN")]
    assert sorted(map(str, confidential.diagnostics)) == sorted(map(str, set(public.diagnostics) - set(edn)))


def test_the_russian_public_edition_takes_the_russian_pseudonyms_and_public_notes(root):
    loaded = load(root, stop_on_error=False, locale=Locale("ru"))
    assert not [d for d in loaded.diagnostics if d.severity.label == "error"]
    text = every_text(loaded.document)
    for withheld in WITHHELD:
        assert fold(withheld) not in text, withheld
    paragraphs = [m.plain_text(b.children) for b in loaded.document.sections[0].blocks if isinstance(b, m.Paragraph)]
    assert paragraphs[0] == ("Свидетель А содержался под стражей пять дней. Его задержали в одном из западных "
                             "городов полицейские. Его адвоката, не пустили.")
    assert "Камера Свидетель А была холодной, как и сказал Свидетель А." in paragraphs[1]
    assert footnotes(loaded.document)[1] == "Интервью с бывшим задержанным, март 2024 г."
    assert [n.number for n in loaded.document.footnotes()] == list(range(1, 8))


def test_a_translation_that_drops_a_confidential_mark_is_refused(make_project):
    root = make_edition_project(make_project({}).parent / "dropped")
    from tests.editions.support import translate

    source = next(k for k in RUSSIAN if k.startswith("Farid Mammadov was held"))
    translate(root, {**RUSSIAN, source: RUSSIAN[source].replace("[Лейлу Алиеву]{.confidential}", "Лейлу Алиеву")})
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert any("error[TRN003]: incident, provision or confidential markers {…} differ from the source" in line
               for line in result.stderr.splitlines())


REFERENCES = """\
---
title: Introduction
---

{#para-open}
An open paragraph.

{#para-secret .confidential}
A paragraph only partners may read.

[The secret one is @para-secret.]{.confidential} Another open paragraph, after @para-open.

As @para-secret says, and @sec-annex, @fig-cell and [the cell](#fig-cell) show.
"""


def test_a_reference_to_what_the_public_edition_leaves_out_is_an_error_at_the_reference(make_project):
    root = make_edition_project(make_project({}).parent / "refs", files={
        "sections/01-intro.md": REFERENCES, "report.yaml": """\
            title: Detentions in 2024
            language: en
            sections: [01-intro.md, 02-annex.md, 03-figure.md]
            citation-style: templates/notes.csl
            paragraphs: numbered
            """,
        "sections/03-figure.md": "---\ntitle: Figure\n---\n\n![A cell](images/cell.png){#fig-cell .confidential "
                                 "fig-alt=\"A cell\"}\n\nThe last paragraph.\n"})
    loaded = load(root, stop_on_error=False)
    found = [d.format() for d in loaded.diagnostics if d.code == "EDN003"]
    hint = "mark the reference confidential too, or reword it; the target is at"
    assert found == [
        f"sections/01-intro.md:13:4: error[EDN003]: 'para-secret' is confidential: the public edition leaves it out, "
        f"and this reference would point to nothing ({hint} sections/01-intro.md:9:1)",
        f"sections/01-intro.md:13:27: error[EDN003]: 'sec-annex' is confidential: the public edition leaves it out, "
        f"and this reference would point to nothing ({hint} sections/02-annex.md:1:1)",
        f"sections/01-intro.md:13:39: error[EDN003]: 'fig-cell' is confidential: the public edition leaves it out, "
        f"and this reference would point to nothing ({hint} sections/03-figure.md:5:1)",
        f"sections/01-intro.md:13:53: error[EDN003]: 'fig-cell' is confidential: the public edition leaves it out, "
        f"and this reference would point to nothing ({hint} sections/03-figure.md:5:1)",
    ]
    # The public paragraphs are numbered 1, 2, 3… without the one left out.
    numbers = [(b.number, m.plain_text(b.children)[:20]) for s in loaded.document.sections for b in s.blocks
               if isinstance(b, m.Paragraph)]
    assert numbers == [(1, "An open paragraph."), (2, "Another open paragra"), (3, "As  says, and ,  and"),
                       (4, "The last paragraph.")]
    confidential = load(root, stop_on_error=False, locale=Locale(edition="confidential"))
    assert not [d for d in confidential.diagnostics if d.severity.label == "error"]


def test_a_labelled_note_defined_in_confidential_material_is_left_out(make_project):
    root = make_edition_project(make_project({}).parent / "labels", files={"sections/01-intro.md": """\
        ---
        title: Introduction
        ---

        Open[^a], marked[^b] and open again[^c].

        [^a]: An open note.

        [^b]: A note defined as confidential. {.confidential}

        ::: {.confidential}
        [^c]: A note defined in a confidential div.
        :::
        """, "sections/02-annex.md": "---\ntitle: Annex\n---\n\nText.\n"})
    assert footnotes(load(root, stop_on_error=False).document) == ["An open note."]
    assert len(load(root, locale=Locale(edition="confidential")).document.footnotes()) == 3


def test_the_shipped_report_is_the_same_in_both_editions():
    public = load(REPO)
    confidential = load(REPO, locale=Locale(edition="confidential"))
    assert public.people is not None and not public.people
    assert public_edition(public.source, public.project.registry, public.people, "en")[0] is public.source
    metadata = dataclasses.replace(confidential.document.metadata, edition="public")
    assert dataclasses.replace(confidential.document, metadata=metadata) == public.document
    assert public.diagnostics == confidential.diagnostics


def test_protected_strings_say_where_each_was_marked(public):
    found = protected_strings(public.source, public.project.registry, public.people, "en", public.document)
    by_text = {p.text: (str(p.location), p.kind) for p in found}
    assert by_text["Farid Mammadov"] == ("references/people.yaml:1:9", "name")
    assert by_text["Мамедова"] == ("references/people.yaml:4:42", "name")  # every language's variants
    assert by_text["Leyla Aliyeva"] == ("references/people.yaml:6:9", "name")
    assert by_text["in Ganja"] == ("sections/01-intro.md:6:1", "span")
    assert by_text["Told by his brother Elnur on the phone."] == ("sections/01-intro.md:7:52", "note")
    assert by_text["Transcript of the interview at Ganja"] == ("references/sources.yaml:23:3", "source")
    assert by_text["Interview with the guard on duty"] == ("references/sources.yaml:32:3", "source")
    assert by_text["cell.png"] == ("sections/01-intro.md:29:1", "figure")
    assert by_text["A bare cell with a bench"] == ("sections/01-intro.md:29:1", "figure")
    assert by_text["Annex on the prison director"] == ("sections/02-annex.md:1:1", "section")
    # A long marked paragraph is cut into runs a search of PDF text can find.
    runs = [p.text for p in found if p.kind == "block"]
    assert runs == ["The guard admitted the beatings to", "our researcher in a long conversation",
                    "recorded at the station"]
    assert by_text["spoke to us under a promise of anonymity"] == ("sections/01-intro.md:11:39", "note")
    # No piece of it is something the public edition itself says.
    assert "Mammadov was released without charge" not in by_text


def test_pieces_keep_short_texts_whole_and_cut_long_ones():
    assert pieces("in  Ganja") == [("in Ganja", True)]
    long = "One two three four five six seven eight nine ten eleven twelve thirteen. Short one. Four words are here."
    assert pieces(long) == [("One two three four five six", False), ("seven eight nine ten eleven twelve thirteen", False),
                            ("Four words are here.", False)]
    assert pieces("天安门广场上有许多人在那天被警察带走了然后再也没有回来过这是真的") == [
        ("天安门广场上有许多人", False), ("在那天被警察带走了然", False), ("后再也没有回来过这是真的", False)]


def test_a_heading_id_made_from_withheld_words_is_made_again_from_the_public_ones(make_project):
    root = make_edition_project(make_project({}).parent / "heading", files={"sections/01-intro.md": """\
        ---
        title: Introduction
        ---

        ## Met [in Ganja]{.confidential public="in a city"}

        ## Held [in Ganja]{.confidential} {#sec-held}

        See [the meeting](#met-in-ganja) and @sec-held.
        """})
    loaded = load(root, stop_on_error=False)
    met, held, paragraph = loaded.document.sections[0].blocks
    assert (met.id, m.plain_text(met.children)) == ("met-in-a-city", "Met in a city")
    assert (held.id, m.plain_text(held.children)) == ("sec-held", "Held")  # the author's own id stays
    link = next(n for n in paragraph.children if isinstance(n, m.Link))
    assert link.href == "#met-in-a-city"
    assert not [d for d in loaded.diagnostics if d.severity.label == "error"]


def test_a_note_can_have_public_wording_and_incidents_take_the_pseudonyms(make_project):
    from report.sources.treaties import Incident, Treaties
    from report.transforms.pseudonyms import Pseudonyms

    root = make_edition_project(make_project({}).parent / "note", files={"sections/01-intro.md": """\
        ---
        title: Introduction
        ---

        Held.^[His brother Elnur saw it.]{.confidential public="A relative saw it."} `Mammadov` was in the log.
        """})
    loaded = load(root, stop_on_error=False)
    assert footnotes(loaded.document) == ["A relative saw it."]
    assert m.plain_text(loaded.document.sections[0].blocks[0].children) == "Held. Witness A was in the log."
    where = loaded.document.sections[0].location
    incident = Incident("farid-mammadov-held", "F. Mammadov held for five days.", "2024-03-01", "Near MAMMADOV's home",
                        (), (), (), None, where)
    public = Pseudonyms(loaded.people, "en").treaties(Treaties({}, {}, (incident,)))
    assert (public.incidents[0].id, public.incidents[0].summary, public.incidents[0].place) == (
        "witness-a-held", "Witness A held for five days.", "Near Witness A's home")
    # A Russian edition replaces the variants of every language and its own, and those of its
    # source language (English): an entry not translated yet is printed in the source's words.
    russian = Pseudonyms(loaded.people, "ru").treaties(Treaties({}, {}, (incident,))).incidents[0]
    assert (russian.id, russian.summary) == ("свидетель-а-held", "F. Mammadov held for five days.")
    russian = Pseudonyms(loaded.people, "ru", "en").treaties(Treaties({}, {}, (incident,))).incidents[0]
    assert (russian.id, russian.summary) == ("свидетель-а-held", "Свидетель А held for five days.")
