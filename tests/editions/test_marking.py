"""Marking confidential material (sections, divs, paragraphs, figures, spans, notes,
registry entries) and listing protected people: what the parser and the source readers
make of it, and the located errors for what cannot be read."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from report import model as m
from report.cli import main
from report.parse.markdown import parse_section
from report.sources.people import read_people
from report.sources.registry import read_registry
from report.sources.sections import section_from_text
from tests.editions.support import PEOPLE, SOURCES


def parse(text: str):
    return parse_section(section_from_text("sections/01-x.md", text))


def marked(nodes):
    return [n for n in m.descendants(nodes) if isinstance(n, m.Span) and "confidential" in n.classes]


def test_every_kind_of_mark_reaches_the_model():
    section, problems = parse("""\
---
title: Notes
confidential: true
---

Held [in Ganja]{.confidential public="in a western city"}.^[Told by his brother.]{.confidential} Seen[^a]
and heard[^b], then [released ^[by the guard]]{.confidential}.[^c]

[^a]: A marked definition. {.confidential}

::: {.confidential}
A whole block.

[^b]: Defined in a confidential div.
:::

[^c]: An ordinary note.

![A cell](images/cell.png){#fig-cell .confidential fig-alt="A cell"}

Not this one. {.confidential}
""")
    assert problems == []
    assert section.confidential is True
    paragraph, div, figure, last = section.blocks
    spans = marked(paragraph.children)
    assert [m.plain_text(s.children) for s in spans] == ["in Ganja", "", "", "", "released "]
    assert dict(spans[0].attributes) == {"public": "in a western city"}
    # A marked note is a confidential span around the note, as a note inside a marked span is.
    notes = [s.children[0] for s in spans[1:4]]
    assert [m.plain_text(n.children) for n in notes] == ["Told by his brother.", "A marked definition.",
                                                         "Defined in a confidential div."]
    assert isinstance(spans[4].children[1], m.Note)
    ordinary = [n for n in paragraph.children if isinstance(n, m.Note)]
    assert [m.plain_text(n.children) for n in ordinary] == ["An ordinary note."]
    assert div.classes == ("confidential",) and m.plain_text(div.children[0].children) == "A whole block."
    assert figure.classes == ("confidential",) and figure.id == "fig-cell"
    assert last.classes == ("confidential",)


def test_a_section_is_public_unless_its_front_matter_says_otherwise():
    section, _ = parse("---\ntitle: Open\n---\n\nText.\n")
    assert section.confidential is False


@pytest.mark.parametrize("text, expected", [
    ("## Held in Ganja {.confidential}\n", "sections/01-x.md:1:1: error[EDN004]: a heading cannot be marked "
     "confidential on its own (put it in a ::: {.confidential} div, or mark its section 'confidential: true' "
     "in the front matter)"),
    ("| a |\n|---|\n| 1 |\n\n: Held {#tbl-x .confidential}\n", "sections/01-x.md:5:1: error[EDN004]: a table "
     "cannot be marked confidential on its own (put it in a ::: {.confidential} div, or mark its section "
     "'confidential: true' in the front matter)"),
    ("Taken [in Ganja]{public=\"in a city\"}.\n", "sections/01-x.md:1:7: error[EDN005]: a span with public "
     "wording that is not marked confidential (write [words]{.confidential public=\"…\"})"),
    ("A note.^[Text.]{.aside}\n", "sections/01-x.md:1:8: error[MD021]: attributes after a note other than "
     "{.confidential} (a note takes {.confidential} (and public=\"…\", its public wording) only)"),
])
def test_a_mark_that_would_not_hide_anything_is_an_error(text, expected):
    _, problems = parse(text)
    assert [p.format() for p in problems] == [expected]


def test_a_confidential_source_keeps_its_marks_out_of_the_citation_data(tmp_path):
    (tmp_path / "sources.yaml").write_text(SOURCES, encoding="utf-8")
    registry = read_registry(tmp_path, "sources.yaml", None)
    farid, guard = registry.get("interview-farid"), registry.get("interview-guard")
    assert farid.confidential and guard.confidential and not registry.get("un-2020").confidential
    assert farid.public_note_in("en") == "Interview with a former detainee, March 2024"
    assert farid.public_note_in("ru-RU") == "Интервью с бывшим задержанным, март 2024 г."
    assert farid.public_note_in("fr") == "Interview with a former detainee, March 2024"  # English, as a fallback
    assert guard.public_note_in("en") is None
    for ref in registry.entries:
        assert "confidential" not in ref.csl and "public-note" not in ref.csl


def test_the_people_are_read_with_their_variants_and_pseudonyms(tmp_path):
    (tmp_path / "references").mkdir()
    assert not read_people(tmp_path)  # no file, no people
    (tmp_path / "references" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
    farid, leyla = read_people(tmp_path).persons
    assert farid.name == "Farid Mammadov" and farid.pseudonym("en") == "Witness A"
    assert farid.pseudonym("ru") == "Свидетель А" and farid.pseudonym("az") == "Witness A"
    assert [v.text for v in farid.variants_for("en")] == ["Farid Mammadov", "F. Mammadov", "Mr Mammadov", "Mammadov"]
    assert [v.text for v in farid.variants_for("ru")] == ["Farid Mammadov", "Фарид Мамедов", "Фарида Мамедова",
                                                          "Мамедова", "Мамедов"]
    assert str(farid.variants[0].location) == "references/people.yaml:1:9"
    assert str(farid.variants[4].location) == "references/people.yaml:4:10"
    assert leyla.pseudonym("ru") == "Lawyer B" and [v.text for v in leyla.variants] == ["Leyla Aliyeva"]


BAD_PEOPLE = {
    "not a list": ("name: X\n", ["references/people.yaml:1:1: error[PPL001]: people.yaml must be a list of people "
                                 "(- name: …, pseudonym: …)"]),
    "malformed": ("- name: [X\n", ["references/people.yaml:2:1: error[PPL001]: malformed YAML: expected ',' or ']', "
                                   "but got '<stream end>'"]),
    "an entry that is text": ("- Farid Mammadov\n", ["references/people.yaml:1:3: error[PPL001]: each person must "
                                                     "be a mapping with 'name' and 'pseudonym'"]),
    "no name, no pseudonym": ("- variants: [A]\n", [
        "references/people.yaml:1:3: error[PPL002]: a person needs a 'name' (non-empty text)",
        "references/people.yaml:1:3: error[PPL004]: a person needs a 'pseudonym': a text, or a mapping from a "
        "language to a text (e.g. pseudonym: {en: Witness A, ru: Свидетель А})"]),
    "bad variants": ("- name: A B\n  pseudonym: W\n  variants:\n    ru: [1]\n    english!: [C]\n", [
        "references/people.yaml:4:10: error[PPL003]: a variant must be a name (non-empty text), not 1",
        "references/people.yaml:5:5: error[PPL003]: 'english!' is not a language tag (e.g. en, ru, az)"]),
    "unknown key": ("- name: A B\n  pseudonym: W\n  pseudonyme: X\n", [
        "references/people.yaml:3:3: error[PPL005]: unknown key 'pseudonyme' (allowed: name, variants, pseudonym)"]),
    "one variant, two people": ("- name: A B\n  pseudonym: W\n- name: C D\n  variants: [a b]\n  pseudonym: V\n", [
        "references/people.yaml:4:14: error[PPL006]: 'a b' is a variant of 'A B' too (first listed at "
        "references/people.yaml:1:9)"]),
    "a pseudonym that names": ("- name: Farid\n  pseudonym: Witness Farid\n", [
        "references/people.yaml:1:3: error[PPL007]: the pseudonym 'Witness Farid' holds the protected name 'Farid' "
        "(a pseudonym must not reveal a name)"]),
}


@pytest.mark.parametrize("case", sorted(BAD_PEOPLE))
def test_a_bad_people_file_is_one_located_line_per_problem(make_project, case):
    text, expected = BAD_PEOPLE[case]
    root = make_project({"references/people.yaml": text})
    for command in ("check", "build"):
        result = CliRunner().invoke(main, [command, "--project", str(root)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert result.stderr.strip().splitlines() == expected


@pytest.mark.parametrize("entry, expected", [
    ("  confidential: yes please\n", "references/sources.yaml:{line}:3: error[REG017]: 'confidential' of 'extra' "
                                     "must be true or false"),
    ("  public-note: An interview\n", "references/sources.yaml:{line}:3: error[REG017]: 'extra' has a "
                                      "'public-note' but is not confidential (add confidential: true, or remove "
                                      "the public-note)"),
    ("  confidential: true\n  public-note: ''\n", "references/sources.yaml:{line}:3: error[REG017]: 'public-note' "
                                                  "of 'extra' must be non-empty text, or a mapping from a language "
                                                  "to a text"),
])
def test_a_bad_confidential_entry_is_located(make_project, entry, expected):
    from tests.conftest import MINIMAL

    sources = MINIMAL["references/sources.yaml"].rstrip(" ") + "        - id: extra\n          type: report\n          title: X\n" + \
        "".join(f"        {line}\n" for line in entry.splitlines())
    root = make_project({"references/sources.yaml": sources})
    line = len((root / "references/sources.yaml").read_text().splitlines())
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 1
    assert expected.format(line=line) in result.stderr.splitlines()


def test_the_registry_marks_are_no_unknown_csl_fields(make_project):
    from tests.conftest import MINIMAL

    sources = MINIMAL["references/sources.yaml"].rstrip(" ") + ("        - id: talk\n          type: interview\n"
                                                    "          title: A talk\n          issued: 2024\n"
                                                    "          confidential: true\n          public-note: A talk\n")
    root = make_project({"references/sources.yaml": sources, "sections/01-intro.md": """\
        ---
        title: Introduction
        ---

        A claim[@un-2020, p. 3] and another[@talk].^[See also [@ngo-2021, para. 12].]
        """})
    result = CliRunner().invoke(main, ["check", "--project", str(root)])
    assert result.exit_code == 0, result.output
    assert "REG014" not in result.stderr
    assert result.stderr.strip() == ("sections/01-intro.md:5:37: info[EDN001]: 'talk' is confidential: the public "
                                     "edition cites it as its public note")
