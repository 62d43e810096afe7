"""`report review` of a translation's build, continued: a section's title and a heading,
the words right after a cross-reference the build wrote ("Tableau 1", "par. 1"), in a
paragraph and in a note, go to their PO entries' msgstr; a title or year corrected in a
note the citation style wrote goes to the registry, as in the source language (no PO
entry translates a registry field); in a note the style wrote, each citation is found in
the msgstr: words typed around one are its prefix or suffix there, a changed locator is
listed at it (every language cites the same pages, TRN001). A small French translation,
made with `report i18n update fr` and filled in as a translator's tool saves it."""

from __future__ import annotations

import io
import re
import shutil
import textwrap
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from report.build import Locale, build
from report.cli import main
from report.i18n.catalog import read_catalog_file, read_translations, write_catalog
from report.i18n.workflow import update
from tests.conftest import MINIMAL, write_project
from tests.review import word_edits as we
from tests.review.conftest import note, po_at, reviewed_in, run_review
from tests.review.test_review_shipped import accepted_texts

PO = "locales/fr.po"
REGISTRY = "references/sources.yaml"
S1, S2 = "sections/01-context.md", "sections/02-method.md"

FILES = {
    "report.yaml": """\
        title: Conditions of Detention
        language: en
        date: 2024-05-01
        sections: [01-context.md, 02-method.md]
        citation-style: templates/notes.csl
        paragraphs: numbered
        outputs: [docx]
        """,
    S1: """\
        ---
        title: Context of the visits
        id: sec-context
        ---

        Monitors visited two prisons in 2023 and recorded the conditions they found there[@un-2020, p. 3].
        {#para-visits}

        | Prison | Detainees |
        | --- | --: |
        | North | 120 |
        | South | 85 |

        : Detainees by prison {#tbl-prisons}

        As @tbl-prisons shows, the northern prison held most of them.^[The figures in @tbl-prisons come
        from the prison registers [@un-2020, p. 4; @ngo-2021].]
        """,
    S2: """\
        ---
        title: Method
        id: sec-method
        ---

        ## Interviews with former detainees

        The findings in @para-visits rest on interviews held in private[@icrc-2019, p. 7].
        """,
    REGISTRY: MINIMAL[REGISTRY].rstrip(" ") + """\
        - id: icrc-2019
          type: report
          author:
            - literal: International Committee of the Red Cross
          title: Visiting Detainees
          issued: 2019
          language: en
        """,
}

FRENCH = {
    "Conditions of Detention": "Conditions de détention",
    "Context of the visits": "Contexte des visites",
    "Monitors visited two prisons in 2023 and recorded the conditions they found there[@un-2020, p. 3].\n"
    "{#para-visits}":
        "Les observateurs ont visité deux prisons en 2023 et relevé les conditions qu’ils y ont trouvées"
        "[@un-2020, p. 3].\n{#para-visits}",
    "Prison": "Prison", "Detainees": "Détenus", "North": "Nord", "South": "Sud", "120": "120", "85": "85",
    ": Detainees by prison {#tbl-prisons}": ": Détenus par prison {#tbl-prisons}",
    "As @tbl-prisons shows, the northern prison held most of them.^[The figures in @tbl-prisons come\n"
    "from the prison registers [@un-2020, p. 4; @ngo-2021].]":
        "Comme le montre le @tbl-prisons, la prison du nord en détenait la plupart.^[Les chiffres du "
        "@tbl-prisons proviennent des registres des prisons [@un-2020, p. 4; @ngo-2021].]",
    "Method": "Méthode",
    "Interviews with former detainees": "Entretiens avec d’anciens détenus",
    "The findings in @para-visits rest on interviews held in private[@icrc-2019, p. 7].":
        "Les constats du @para-visits reposent sur des entretiens menés en privé[@icrc-2019, p. 7].",
}


def _translate(root: Path, files: dict[str, str], french: dict[str, str]) -> Path:
    """The project of ``files``, its PO file made with `report i18n update fr` and filled
    in from ``french``, built in French."""
    root = write_project(root, files)
    update(root, ["fr"])
    catalog = read_catalog_file(root, PO)
    for message in catalog:
        if message.id:
            message.string = french[message.id]
    write_catalog(catalog, root / PO)
    build(root, ("docx",), locale=Locale("fr"))
    return root


@pytest.fixture(scope="module")
def translated(tmp_path_factory) -> Path:
    return _translate(tmp_path_factory.mktemp("review-fr") / "project", FILES, FRENCH)


@pytest.fixture
def project(translated, tmp_path) -> Path:
    return Path(shutil.copytree(translated, tmp_path / "project"))


def _reviewed(root: Path, edit) -> Path:
    return reviewed_in(root, edit, "fr")


def _po_at(root: Path, needle: str) -> str:
    return po_at(root, PO, needle)


def _in_registry(root: Path, needle: str, after: str) -> str:
    text = (root / REGISTRY).read_text(encoding="utf-8")
    offset = text.index(needle, text.index(after))
    line = text.count("\n", 0, offset) + 1
    return f"{REGISTRY}:{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def _headings(docx: bytes) -> list[str]:
    """The text of each heading paragraph (Heading1, Heading2…) of word/document.xml."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    out = []
    for p in body.iter(we.wa("p")):
        style = p.find(f"{we.wa('pPr')}/{we.wa('pStyle')}")
        if style is not None and re.fullmatch(r"Heading\d", style.get(we.wa("val"))):
            out.append("".join(t.text or "" for t in p.iter(we.wa("t"))))
    return out


def _edits(package: we.WordPackage) -> None:
    d = package.document
    # the contents list the sections' titles first: the title's own words are the second occurrence
    we.insert_after(we.delete(d, "visites", "Reviewer A", nth=1), "missions", "Reviewer A")  # a section's title
    we.replace(d, "Entretiens", "Échanges", "Reviewer A")  # a ## heading
    we.insert_before_text(d, ", la prison du nord", " ci-dessus", "Reviewer B")  # right after "Tableau 1"
    we.replace(d, " reposent sur", " s’appuient sur", "Reviewer B")  # right after "par. 1"
    we.replace(package.footnotes, " proviennent", " sont tirés", "Reviewer B")  # after "Tableau 1", in a note
    we.replace(note(package, 2), "Web Page", "Web Archive", "Reviewer C")  # a title, in a note of two citations
    we.replace(note(package, 3), "2019", "2018", "Reviewer C")  # a year


def test_titles_headings_and_words_after_cross_references_go_to_their_msgstr(project):
    english = {rel: (project / rel).read_bytes() for rel in (S1, S2)}
    registry = (project / REGISTRY).read_text(encoding="utf-8")
    # the build wrote the cross-references in French ("Tableau 1", "par. 1") and the notes from the registry
    body, notes = accepted_texts((project / "build" / "fr" / "public" / "report.docx").read_bytes())
    assert "Comme le montre le Tableau\u00a01, la prison du nord en détenait la plupart." in body
    assert "Les constats du par.\u00a01 reposent sur des entretiens menés en privé." in body
    assert notes[1].startswith(" Les chiffres du Tableau\u00a01 proviennent des registres des prisons ibid., p. 4")
    assert "A Web Page" in notes[1] and "(2019), p. 7." in notes[2]
    expected = [
        f'{_po_at(project, "visites")}: change[Reviewer A]: "visites" → "missions"',
        f'{_po_at(project, ", la prison du nord")}: change[Reviewer B]: "Tableau\u00a01" → "Tableau\u00a01 ci-dessus"',
        f'{_po_at(project, " proviennent des")}: change[Reviewer B]: "1 proviennent" → "1 sont tirés" in note 2',
        f'{_po_at(project, "Entretiens avec")}: change[Reviewer A]: "Entretiens" → "Échanges"',
        f'{_po_at(project, " reposent sur")}: change[Reviewer B]: "1 reposent sur" → "1 s’appuient sur"',
        f'{_in_registry(project, "A Web Page", "id: ngo-2021")}: change[Reviewer C]: "Web Page" → "Web Archive" '
        "in note 2",
        f'{_in_registry(project, "2019", "title: Visiting Detainees")}: change[Reviewer C]: "2019" → "2018" in note 3',
    ]
    review = _reviewed(project, _edits)
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-3] == expected, lines
    assert lines[-3] == "7 change(s): 7 placed in the sources, 0 not applied; 0 comment(s)"
    assert lines[-1] == f"applied 7 change(s) to {PO}, {REGISTRY}"
    # the English sections as they were; the PO file's msgstrs and the registry's two values changed
    assert {rel: (project / rel).read_bytes() for rel in english} == english
    entries = read_translations(project, "fr").entries
    assert entries[("sec-context:title", "Context of the visits")].text == "Contexte des missions"
    assert entries[("sec-method", "Interviews with former detainees")].text == "Échanges avec d’anciens détenus"
    context = {e.text for (ctx, _), e in entries.items() if ctx == "sec-context"}
    assert "Comme le montre le @tbl-prisons ci-dessus, la prison du nord en détenait la plupart.^[Les chiffres du " \
           "@tbl-prisons sont tirés des registres des prisons [@un-2020, p. 4; @ngo-2021].]" in context
    method = {e.text for (ctx, _), e in entries.items() if ctx == "sec-method"}
    assert "Les constats du @para-visits s’appuient sur des entretiens menés en privé[@icrc-2019, p. 7]." in method
    assert not any(e.fuzzy for e in entries.values())
    assert (project / REGISTRY).read_text(encoding="utf-8") == registry.replace(
        "title: A Web Page", "title: A Web Archive").replace("issued: 2019", "issued: 2018")
    # rebuilt in French, the report reads as the reviewed file with its changes accepted
    rebuilt = CliRunner().invoke(main, ["build", "--locale", "fr", "--format", "docx", "--project", str(project)])
    assert rebuilt.exit_code == 0, rebuilt.output
    docx = (project / "build" / "fr" / "public" / "report.docx").read_bytes()
    assert _headings(docx) == ["Contexte des missions", "Méthode", "Échanges avec d’anciens détenus"]
    assert accepted_texts(docx) == accepted_texts(review.read_bytes())


def test_a_title_the_build_showed_in_english_is_not_applied(project):
    """A section's title whose entry is fuzzy: the build showed the English title, and a
    change in it names the entry; neither the section nor the PO file changes."""
    text = (project / PO).read_text(encoding="utf-8")
    text = text.replace('msgctxt "sec-method:title"', '#, fuzzy\nmsgctxt "sec-method:title"')
    (project / PO).write_text(text, encoding="utf-8")
    build(project, ("docx",), locale=Locale("fr"))
    before = {rel: (project / rel).read_bytes() for rel in (S2, PO)}
    review = _reviewed(project, lambda package: we.insert_after(we.delete(package.document, "Method", "Reviewer A",
                                                                          nth=1), "Methods", "Reviewer A"))
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    line = text.split("\n").index('msgctxt "sec-method:title"') + 3  # the msgid's line + 1, as the build says
    assert result.output.splitlines()[0] == (
        f'{S2}:2:8: change[Reviewer A]: "Method" → "Methods" (not applied: the build showed the source text here: '
        f"its entry at {PO}:{line} is fuzzy; the English source is not changed (translate the entry, rebuild, "
        "and review again))")
    assert {rel: (project / rel).read_bytes() for rel in before} == before


def test_a_contents_entry_of_a_translated_title_goes_to_its_msgstr(project):
    """The contents show each section's translated title: a change there is the title's
    (report.review.titlepage), made in its ``<id>:title`` entry's msgstr."""
    line, col = _po_at(project, '"Méthode"').rsplit(":", 2)[1:]
    where = f"{PO}:{line}:{int(col) + 1}"  # the title's first letter, after the quote
    review = _reviewed(project, lambda package: we.replace(package.document, "Méthode", "Méthodes", "Reviewer A"))
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f'{where}: change[Reviewer A]: "Méthode" → "Méthodes"'
    assert read_translations(project, "fr").entries[("sec-method:title", "Method")].text == "Méthodes"
    assert (project / S2).read_text(encoding="utf-8") == textwrap.dedent(FILES[S2])


# The note of two citations, with a locator on its second citation too.
GROUP, PAGED = "[@un-2020, p. 4; @ngo-2021]", "[@un-2020, p. 4; @ngo-2021, para. 12]"


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> Path:
    files = {rel: text.replace(GROUP, PAGED) for rel, text in FILES.items()}
    french = {source.replace(GROUP, PAGED): text.replace(GROUP, PAGED) for source, text in FRENCH.items()}
    return _translate(tmp_path_factory.mktemp("review-fr-paged") / "project", files, french)


def _line_of(root: Path, rel: str, needle: str) -> str:
    text = (root / rel).read_text(encoding="utf-8")
    return f"{rel}:{text.count(chr(10), 0, text.index(needle)) + 1}"


def _locators(package: we.WordPackage) -> None:
    we.replace(note(package, 2), "p. 4", "p. 5", "Reviewer D")  # the first of the note's two citations
    we.replace(note(package, 2), "12", "13", "Reviewer D")  # its second
    we.replace(note(package, 3), "p. 7", "p. 8", "Reviewer D")  # a note of one citation


def test_a_locator_changed_in_a_translated_note_is_listed_at_its_citation(paged, tmp_path):
    """Each citation of a translated note is found in its msgstr: a changed locator is
    printed at that citation's locator, and not applied (every language cites the same
    pages: a msgstr whose locator differs from the source's stops the build, TRN001)."""
    project = Path(shutil.copytree(paged, tmp_path / "project"))
    before = {rel: (project / rel).read_bytes() for rel in (S1, S2, PO)}
    built = accepted_texts((project / "build" / "fr" / "public" / "report.docx").read_bytes())
    assert " prisons ibid., p. 4\u202f; An NGO, «\u202fA Web Page\u202f» (2021), paragr. 12, https:" in built[1][1]
    review = _reviewed(project, _locators)

    def why(rel: str, needle: str) -> str:
        return (f"(not applied: a citation's locator is the same in every language (TRN001): correct it in the "
                f"English source ({_line_of(project, rel, needle)}), then in this entry)")

    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:4] == [
        f'{_po_at(project, "p. 4; @ngo-2021")}: change[Reviewer D]: "p. 4" → "p. 5" in note 2 '
        + why(S1, "As @tbl-prisons"),
        f'{_po_at(project, "12].]")}: change[Reviewer D]: "12" → "13" in note 2 ' + why(S1, "As @tbl-prisons"),
        f'{_po_at(project, "p. 7].")}: change[Reviewer D]: "p. 7" → "p. 8" in note 3 ' + why(S2, "The findings"),
        "3 change(s): 0 placed in the sources, 3 not applied; 0 comment(s)",
    ]
    assert {rel: (project / rel).read_bytes() for rel in before} == before
    rebuilt = CliRunner().invoke(main, ["build", "--locale", "fr", "--format", "docx", "--project", str(project)])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert accepted_texts((project / "build" / "fr" / "public" / "report.docx").read_bytes()) == built


def _affixes(package: we.WordPackage) -> None:
    we.insert_after(we.isolate(note(package, 2), "p. 4"), ", tableau 2", "Reviewer E")  # after the first citation
    we.insert_before_text(note(package, 2), "An NGO", "voir ", "Reviewer E")  # before the second
    we.insert_after(we.isolate(note(package, 3), "p. 7"), ", annexe", "Reviewer E")  # a note of one citation


def test_words_typed_around_a_citation_of_a_translated_note_go_to_its_msgstr(project):
    """Words typed right after one of a translated note's two citations are its suffix in
    the msgstr, words before the other its prefix; the English sections stay as they were."""
    english = {rel: (project / rel).read_bytes() for rel in (S1, S2)}
    review = _reviewed(project, _affixes)
    _, line, col = _po_at(project, "p. 7].").split(":")
    expected = [
        f'{_po_at(project, "; @ngo-2021")}: change[Reviewer E]: "p. 4" → "p. 4, tableau 2" in note 2',
        f'{_po_at(project, "@ngo-2021")}: change[Reviewer E]: "4\u202f; An" → "4\u202f; voir An" in note 2',
        f'{PO}:{line}:{int(col) + 4}: change[Reviewer E]: "p. 7" → "p. 7, annexe" in note 3',  # after "p. 7"
        "3 change(s): 3 placed in the sources, 0 not applied; 0 comment(s)",
    ]
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-2] == expected
    assert {rel: (project / rel).read_bytes() for rel in english} == english
    entries = read_translations(project, "fr").entries
    texts = {e.text for e in entries.values()}
    assert "Comme le montre le @tbl-prisons, la prison du nord en détenait la plupart.^[Les chiffres du " \
           "@tbl-prisons proviennent des registres des prisons [@un-2020, p. 4, tableau 2; voir @ngo-2021].]" \
           in texts
    assert "Les constats du @para-visits reposent sur des entretiens menés en privé[@icrc-2019, p. 7, annexe]." \
        in texts
    assert not any(e.fuzzy for e in entries.values())
    # rebuilt in French (the translation's citations still the source's: keys, locators, order),
    # the notes read as the reviewed file's with its changes accepted
    rebuilt = CliRunner().invoke(main, ["build", "--locale", "fr", "--format", "docx", "--project", str(project)])
    assert rebuilt.exit_code == 0, rebuilt.output
    notes = accepted_texts((project / "build" / "fr" / "public" / "report.docx").read_bytes())[1]
    assert notes == accepted_texts(review.read_bytes())[1]
    assert " prisons ibid., p. 4, tableau 2\u202f; voir An NGO" in notes[1]
    assert notes[2].endswith("(2019), p. 7, annexe.")
