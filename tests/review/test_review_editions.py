"""`report review` of a reviewed PUBLIC edition (issue 21): the reviewer saw "Witness A"
where the sources name Farid Mammadov, and did not see what is marked confidential.
Changes around and in text holding a pseudonym land where the name stands; a pseudonym
the reviewer typed is written as the person's name; a change to a pseudonym itself is
reported, not applied; and nothing the public edition left out is ever deleted. Each
test applies the review, builds the public edition again and compares its text with
the reviewed file's, every applied change accepted."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from report.build import build
from report.diff.load import from_data
from report.review.located import body_units, note_units
from report.review.public import NameSpan, PublicEdition
from report.review.sourcefile import SourceFile
from report.review.trace import trace
from report.review.wordfile import NOTE
from report.sources.people import read_people
from report.transforms.pseudonyms import fold
from tests.conftest import write_project
from tests.review import word_edits as we
from tests.review.conftest import at, run_review
from tests.review.test_review_shipped import accepted_texts

PATH = "sections/01-findings.md"
FINDINGS = """\
---
title: Findings
---

Farid Mammadov was held for five days in a cold cell.[@un-2020, p. 3] He was taken
[in Ganja]{.confidential public="in a western city"} by police. His lawyer,
[Leyla Aliyeva]{.confidential}, was not allowed in.

The guards beat Mr Mammadov twice.^[Mammadov told us so in March 2024.] The
doctor who saw F. Mammadov wrote a report[@interview-guard; @ngo-2021].

::: {.confidential}
The guard admitted the beatings to our researcher.
:::

The release came in June.^[Elnur, his brother, told us on the phone.]{.confidential}

## What happened to Farid Mammadov

He now lives abroad.
"""
FILES = {
    "report.yaml": """\
        title: Detentions in 2024
        language: en
        date: 2024-05-01
        sections: [01-findings.md]
        citation-style: templates/notes.csl
        """,
    PATH: FINDINGS,
    "references/people.yaml": """\
        - name: Farid Mammadov
          variants: [Mr Mammadov, F. Mammadov, Mammadov]
          pseudonym: Witness A
        - name: Leyla Aliyeva
          pseudonym: Lawyer B
        """,
}
GUARD = """\
- id: interview-guard
  type: interview
  title: Interview with the guard on duty
  issued: 2024-03-03
  language: en
  confidential: true
"""
# What the public edition leaves out: each must still be in the source after any review.
WITHHELD = ('[in Ganja]{.confidential public="in a western city"}', "[Leyla Aliyeva]{.confidential}",
            "::: {.confidential}\nThe guard admitted the beatings to our researcher.\n:::",
            "^[Elnur, his brother, told us on the phone.]{.confidential}", "@interview-guard")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from tests.conftest import MINIMAL

    root = write_project(tmp_path_factory.mktemp("public-review") / "project", FILES)
    sources = root / "references" / "sources.yaml"
    sources.write_text(MINIMAL["references/sources.yaml"].replace("\n        ", "\n").strip() + "\n" + GUARD,
                       encoding="utf-8")
    build(root, ("docx",))
    return root


@pytest.fixture
def project(built, tmp_path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "project"))


def _reviewed(root: Path, edit, name: str = "reviewed.docx") -> Path:
    package = we.WordPackage((root / "build" / "en" / "public" / "report.docx").read_bytes())
    edit(package)
    path = root / name
    path.write_bytes(package.save())
    return path


def _note(package: we.WordPackage, words: str):
    return next(n for n in package.footnotes.iter(we.wa("footnote")) if words in "".join(n.itertext()))


def _source(root: Path) -> str:
    return (root / PATH).read_text(encoding="utf-8")


def _rebuilt(root: Path) -> tuple[list[str], list[str]]:
    return accepted_texts((build(root, ("docx",)).out_dir / "report.docx").read_bytes())


def test_the_public_text_is_traced_to_the_names_it_hides(built):
    """Every traced character of the public DOCX's text is the same character in the
    source, or a pseudonym's, traced to a variant of the name it stands for; the text
    after a confidential span left out is traced too."""
    document = from_data(json.loads((built / "build/en/public/model.json").read_text(encoding="utf-8"))["document"])
    people = read_people(built)
    source = SourceFile(PATH, _source(built), PublicEdition(people, "en"))
    variants = {fold(v.text)[0] for p in people.persons for v in p.variants}
    names = traced = 0
    for unit in body_units(document) + list(note_units(document).values()):
        for char, span in zip(unit.text, trace(unit, source)):
            if isinstance(span, NameSpan):
                names += span == span.whole
                assert fold(" ".join(source.text[slice(*span.whole)].split()))[0] in variants, span
                assert span.pseudonym == "Witness A"
            elif span is not None:
                traced += 1
                shown = source.text[span[0]:span[1]]
                assert shown.startswith(("[", "^[")) if char == NOTE else shown in (char, "\\" + char) or \
                    not char.strip(), (char, span)
    assert names == 5  # held, beat, saw, the note, the heading
    assert traced >= 250  # all the rest of the text (and the note calls) but the public wording "in a western city"
    body = "".join(u.text for u in body_units(document))
    assert "was not allowed in." in body
    at_ = source.text.index("was not allowed in.")
    unit = next(u for u in body_units(document) if "was not allowed in." in u.text)
    spans = trace(unit, source)
    assert spans[unit.text.index("was not allowed in.")] == (at_, at_ + 1)


def _edits(package: we.WordPackage) -> None:
    d = package.document
    we.insert_before_text(d, "Witness A was held", "The detainee ", "Reviewer A")  # next to a pseudonym
    we.replace(d, "five", "six", "Reviewer A")  # in a sentence that holds one
    we.replace(d, "allowed", "let", "Reviewer A")  # after the lawyer's name, left out
    we.insert_footnote(package, " by police.", "Witness A named the officers.", "Reviewer B")
    we.untracked(d, "beat Witness A twice.", "beat Witness A twice; Witness A fainted.")  # untracked, typed
    we.delete(d, " who saw Witness A", "Reviewer B")  # a pseudonym deleted
    we.replace(_note(package, "told us so"), "Witness A", "He", "Reviewer B")  # one replaced by a pronoun
    we.insert_after(we.isolate(d, "The release came in June."), " Witness A left in July.", "Reviewer C")
    we.insert_paragraph_after(d, "He now lives abroad.", "Lawyer B still visits Witness A.", "Reviewer C")


def test_changes_around_pseudonyms_land_where_the_names_stand(project):
    review = _reviewed(project, _edits)
    lines = FINDINGS.split("\n")
    expected_lines = [
        f'{PATH}:5:1: change[Reviewer A]: "Witness" → "The detainee Witness"',
        f'{at(project, PATH, "five", 5)}: change[Reviewer A]: "five" → "six"',
        f'{at(project, PATH, " His lawyer", 6)}: change[Reviewer B]: "police." → "police.^[Witness A named the '
        'officers.]"',
        f'{at(project, PATH, "allowed", 7)}: change[Reviewer A]: "allowed" → "let"',
        f'{at(project, PATH, ".^[Mammadov", 9)}: untracked: "A twice" → "A twice; Witness A fainted"',
        f'{at(project, PATH, "Mammadov told", 9)}: change[Reviewer B]: "Witness A" → "He" in note 2',
        f'{at(project, PATH, " who saw", 10)}: change[Reviewer B]: "The doctor who saw Witness A" → "The doctor"',
        f'{PATH}:16:{len(lines[15]) + 1}: change[Reviewer C]: "June." → "June. Witness A left in July."',
        f'{PATH}:20:{len(lines[19]) + 1}: change[Reviewer C]: "abroad." → "abroad.¶Lawyer B still visits Witness A."',
        "9 change(s): 9 placed in the sources, 0 not applied; 0 comment(s)",
    ]
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-2] == expected_lines  # the printed lines show what the reviewer saw
    expected = FINDINGS.replace("Farid Mammadov was held for five", "The detainee Farid Mammadov was held for six") \
        .replace("by police.", "by police.^[Farid Mammadov named the officers.]") \
        .replace("was not allowed in.", "was not let in.") \
        .replace("beat Mr Mammadov twice.", "beat Mr Mammadov twice; Farid Mammadov fainted.") \
        .replace("^[Mammadov told us", "^[He told us") \
        .replace("doctor who saw F. Mammadov wrote", "doctor wrote") \
        .replace("The release came in June.^[Elnur, his brother, told us on the phone.]{.confidential}",
                 "The release came in June.^[Elnur, his brother, told us on the phone.]{.confidential} Farid "
                 "Mammadov left in July.") \
        .replace("He now lives abroad.", "He now lives abroad.\n\nLeyla Aliyeva still visits Farid Mammadov.")
    assert _source(project) == expected
    assert "Witness A" not in _source(project) and "Lawyer B" not in _source(project)
    assert _rebuilt(project) == accepted_texts(review.read_bytes())


def _only_damp(package: we.WordPackage) -> None:
    we.replace(package.document, "cold", "damp", "Reviewer A")


def test_a_changed_pseudonym_is_reported_at_the_name_and_not_applied(project):
    def edit(package):
        d = package.document
        _only_damp(package)
        we.replace(d, "Witness A twice", "Witness B twice", "Reviewer B")  # renamed
        we.untracked(d, "Witness A was held", "Witness C was held")  # a letter of it changed
        we.insert_before_text(_note(package, "told us so"), " A told us", " Z.", "Reviewer B")  # typed inside it

    review = _reviewed(project, edit)
    damp = accepted_texts(_reviewed(project, _only_damp, "damp.docx").read_bytes())  # the changes applied, accepted
    why = ("(not applied: it changes the pseudonym \"Witness A\", which the public edition writes for a protected "
           "person's name (references/people.yaml gives pseudonyms; change the source by hand))")
    expected = [
        f'{PATH}:5:1: untracked: "A" → "C" {why}',
        f'{at(project, PATH, "cold", 5)}: change[Reviewer A]: "cold" → "damp"',
        f'{at(project, PATH, "Mr Mammadov", 9)}: change[Reviewer B]: "Witness A twice" → "Witness B twice" {why}',
        f'{at(project, PATH, "Mammadov told", 9)}: change[Reviewer B]: " Witness" → " Witness Z." in note 2 {why}',
    ]
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:len(expected)] == expected
    assert _source(project) == FINDINGS.replace("cold", "damp")
    assert _rebuilt(project) == damp


def test_a_public_review_never_deletes_what_the_public_edition_left_out(project):
    def edit(package):
        d = package.document
        _only_damp(package)
        we.delete(d, "in a western city", "Reviewer A")  # the public wording of a confidential span
        we.delete(d, " His lawyer,", "Reviewer A")  # around the lawyer's name, which it left out
        we.delete(d, " was not allowed in.", "Reviewer A")
        ngo = next(n for n in package.footnotes.iter(we.wa("footnote")) if "An NGO" in "".join(n.itertext()))
        call = next(r for r in d.iter(we.wa("footnoteReference")) if r.get(we.wa("id")) == ngo.get(we.wa("id")))
        we._as_deleted(call.getparent())  # its group cites a confidential interview too
        we._wrap([call.getparent()], "del", "Reviewer B")
        we.join_paragraph(d, "The guards beat", "Reviewer B")  # the confidential block stands between

    review = _reviewed(project, edit)
    damp = accepted_texts(_reviewed(project, _only_damp, "damp.docx").read_bytes())  # the changes applied, accepted
    cold = at(project, PATH, "cold", 5)
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f'{cold}: change[Reviewer A]: "cold" → "damp"'
    assert lines[1] == (f'{at(project, PATH, " by police", 6)}: change[Reviewer A]: "taken in a western city" → '
                        '"taken " (not applied: its text could not be traced to the source (apply it by hand))')
    assert lines[2] == (f'{at(project, PATH, " His lawyer", 6)}: change[Reviewer A]: "police. His lawyer, was not '
                        'allowed in." → "police." (not applied: it reaches over confidential text, which the public '
                        "edition leaves out and the reviewed file does not show (apply it by hand))")
    assert lines[3] == (f'{at(project, PATH, "[@interview-guard", 10)}: change[Reviewer B]: "a report[note]" → '
                        '"a report" (not applied: it deletes a note or citation that holds confidential text or cites '
                        "a confidential source, which the public edition does not show (change it in the source by "
                        "hand))")
    assert lines[4] == (f'{PATH}:10:{len(FINDINGS.split(chr(10))[9]) + 1}: change[Reviewer B]: "report.¶The" → '
                        '"report.The" (not applied: something stands between the two paragraphs in the source '
                        "(apply it by hand))")
    assert lines[5].startswith("5 change(s): 1 placed in the sources, 4 not applied")
    text = _source(project)
    assert text == FINDINGS.replace("cold", "damp")
    for withheld in WITHHELD:
        assert withheld in text, withheld
    assert _rebuilt(project) == damp


def test_people_changed_since_the_build_is_refused(project):
    review = _reviewed(project, _only_damp)
    people = project / "references" / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("Witness A", "Witness Q"), encoding="utf-8")
    result = run_review(project, review)
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[0] == (
        "references/people.yaml:1:1: error[REV010]: references/people.yaml changed since the build the reviewed "
        "file came from (the public edition's pseudonyms are traced back to the names it lists: review against "
        "the people.yaml of that build)")
    assert not (project / "build" / "review").exists()


def test_the_confidential_edition_is_reviewed_as_written(project):
    """The confidential edition shows the names and everything marked: its review edits
    them where they are, with no pseudonym in between."""
    from report.build import Locale

    build(project, ("docx",), locale=Locale(edition="confidential"))
    package = we.WordPackage((project / "build/en/confidential/report.docx").read_bytes())
    we.replace(package.document, "Aliyeva", "Aliyeva-Karimova", "Reviewer A")
    we.replace(package.document, "Farid Mammadov was held", "Farid Mammadov was detained", "Reviewer A")
    review = project / "confidential.docx"
    review.write_bytes(package.save())
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (f'{PATH}:5:1: change[Reviewer A]: "Farid Mammadov was held" → '
                                             '"Farid Mammadov was detained"')
    assert _source(project) == FINDINGS.replace("[Leyla Aliyeva]", "[Leyla Aliyeva-Karimova]").replace(
        "Mammadov was held", "Mammadov was detained")


TITLED = """\
---
title: The case of Farid Mammadov
---

Farid Mammadov was held for five days.

## What happened to Mr Mammadov in custody

::: {#box-release .box title="The release of F. Mammadov"}
He was released in June.
:::

::: {.callout-note}
## Where Mammadov went

He went abroad.
:::

::: {.callout-tip title='Mammadov today'}
He works.
:::
"""


@pytest.fixture(scope="module")
def titled(tmp_path_factory) -> Path:
    from tests.conftest import MINIMAL

    root = write_project(tmp_path_factory.mktemp("public-titles") / "project", {**FILES, PATH: TITLED})
    sources = root / "references" / "sources.yaml"
    sources.write_text(MINIMAL["references/sources.yaml"].replace("\n        ", "\n").strip() + "\n", encoding="utf-8")
    build(root, ("docx",))
    return root


def _typed_over(d, old: str, new: str, author: str, nth: int = 0) -> None:
    we.insert_after(we.delete(d, old, author, nth=nth), new, author)


def _title_edits(package: we.WordPackage, renamed: bool = True) -> None:
    d = package.document
    _typed_over(d, "The case of", "The story of", "Reviewer A", nth=1)  # the section's title (the contents: nth 0)
    if renamed:
        _typed_over(d, "Witness A in custody", "Witness B in custody", "Reviewer B")  # a heading's pseudonym
    _typed_over(d, "The release of", "The freeing of", "Reviewer A")  # a box's title="…"
    box = next(p for p in d.iter(we.wa("p")) if "The freeing of" in "".join(p.itertext()))
    we.insert_after(we.isolate(box, "Witness A"), " and Lawyer B", "Reviewer C")  # a pseudonym typed
    _typed_over(d, "went", "moved", "Reviewer A")  # a callout's first heading, its title
    we.insert_after(we.isolate(d, " today"), ' "now" *too*', "Reviewer C")  # title='…', quotes and a star typed


def test_titles_and_headings_are_traced_to_the_names(titled, tmp_path):
    """A section's title, a heading, a box's and a callout's title holding a pseudonym:
    a change elsewhere in them applies, a pseudonym typed is written as the name (with
    the attribute's escapes in title="…"), a change to the pseudonym is listed only."""
    project = Path(shutil.copytree(titled, tmp_path / "project"))
    BOX_END, TIP_END = '"}', "'}"  # the end of each title's value
    review = _reviewed(project, _title_edits)
    applied = accepted_texts(_reviewed(project, lambda p: _title_edits(p, renamed=False), "applied.docx").read_bytes())
    why = ("(not applied: it changes the pseudonym \"Witness A\", which the public edition writes for a protected "
           "person's name (references/people.yaml gives pseudonyms; change the source by hand))")
    expected = [
        f'{at(project, PATH, "The case of", 2)}: change[Reviewer A]: "The case of" → "The story of"',
        f'{at(project, PATH, "Mr Mammadov", 7)}: change[Reviewer B]: "Witness A in custody" → "Witness B in '
        f'custody" {why}',
        f'{at(project, PATH, "The release", 9)}: change[Reviewer A]: "The release of" → "The freeing of"',
        f'{at(project, PATH, BOX_END, 9)}: change[Reviewer C]: "Witness A" → "Witness A and Lawyer B"',
        f'{at(project, PATH, "went", 14)}: change[Reviewer A]: "went" → "moved"',
        f'{at(project, PATH, TIP_END, 19)}: change[Reviewer C]: "A today" → "A today "now" *too*"',
        "6 change(s): 5 placed in the sources, 1 not applied; 0 comment(s)",
    ]
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:len(expected)] == expected
    assert _source(project) == TITLED.replace("The case of", "The story of") \
        .replace('title="The release of F. Mammadov"', 'title="The freeing of F. Mammadov and Leyla Aliyeva"') \
        .replace("Mammadov went", "Mammadov moved") \
        .replace("title='Mammadov today'", "title='Mammadov today \"now\" \\\\*too\\\\*'")
    assert _rebuilt(project) == applied
