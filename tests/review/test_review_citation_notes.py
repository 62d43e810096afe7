"""`report review` of a note the citation style wrote: words a reviewer types before a
citation's text become its prefix (``[See @key, p. 3]``), words typed after it its
suffix (``[@key, p. 3, emphasis added]``); applied and rebuilt, the notes read as the
reviewed file's with every change accepted."""

from __future__ import annotations

from report.build import build
from tests.review import word_edits as we
from tests.review.conftest import S2, S3, at, note, reviewed, run_review
from tests.review.test_review_shipped import accepted_texts


def _affixes(package: we.WordPackage) -> None:
    we.insert_before_text(note(package, 1), "Human Rights Watch", "See ", "Reviewer G")
    we.insert_after(we.isolate(note(package, 3), "88–98"), ", emphasis added", "Reviewer G")
    we.insert_after(we.isolate(note(package, 8), "2016), p. 3"), ", as annexed", "Reviewer G")  # the first of two
    we.insert_before_text(note(package, 2), "Ibid.", "See ", "Reviewer G")  # "See ibid." once rebuilt: not guessed
    we.insert_after(we.isolate(note(package, 7), "2015), p. 4"), " (annex)", "Reviewer G")  # would end the locator


def test_words_around_a_citation_become_its_prefix_and_suffix(project):
    review = reviewed(project, _affixes)
    s2, s3 = ((project / rel).read_text(encoding="utf-8") for rel in (S2, S3))
    expected = [
        f'{at(project, S2, "@hrw-1992-bloodshed, pp. 25–26]", 5)}: change[Reviewer G]: " Human" → " See Human" '
        "in note 1",
        f'{at(project, S2, "[@hrw-1992-bloodshed, pp. 42–43]", 7)}: change[Reviewer G]: " Ibid" → " See Ibid" in '
        "note 2 (not applied: it changes the text of note 2, which the citation style writes from the registry "
        "(edit the citation or references/ by hand))",
        f'{at(project, S2, "]]{#civilians-abused", 9)}: change[Reviewer G]: "88–98" → "88–98, emphasis added" '
        "in note 3",
        f'{at(project, S3, "[@pace-2015-doc-13930", 13)}: change[Reviewer G]: "p. 4" → "p. 4 (annex)" in note 7 '
        "(not applied: it changes the text of note 7, which the citation style writes from the registry (edit the "
        "citation or references/ by hand))",
        f'{at(project, S3, "; @az-un-2017", 16)}: change[Reviewer G]: "p. 3" → "p. 3, as annexed" in note 8',
    ]
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:-3] == expected
    assert (project / S2).read_text(encoding="utf-8") == s2.replace(
        "[@hrw-1992-bloodshed, pp. 25–26]", "[See @hrw-1992-bloodshed, pp. 25–26]").replace(
        "[@hrw-1994-seven-years, pp. 32–49, 50–62, 88–98]",
        "[@hrw-1994-seven-years, pp. 32–49, 50–62, 88–98, emphasis added]")
    assert (project / S3).read_text(encoding="utf-8") == s3.replace(
        "[@az-mission-osce-2016-sec-del-585-16, p. 3; @az-un", "[@az-mission-osce-2016-sec-del-585-16, p. 3, as "
        "annexed; @az-un")
    rebuilt = accepted_texts((build(project, ("docx",)).out_dir / "report.docx").read_bytes())
    wanted = accepted_texts(review.read_bytes())
    assert rebuilt[0] == wanted[0]
    note7 = " Parliamentary Assembly of the Council of Europe, “Escalation of violence in Nagorno-Karabakh and " \
        "other occupied territories of Azerbaijan”, document No. 13930 (December 11, 2015), p. 4"
    assert rebuilt[1][0].startswith(" See Human Rights Watch/Helsinki, “Bloodshed")
    assert rebuilt[1][2].endswith("88–98, emphasis added.")
    assert [n for n in rebuilt[1] if n not in wanted[1]] == [" Ibid., pp. 42–43.", note7 + "."]  # not applied
    assert [n for n in wanted[1] if n not in rebuilt[1]] == [" See Ibid., pp. 42–43.", note7 + " (annex)."]


REGISTRY = "references/sources.yaml"


def _corrections(package: we.WordPackage) -> None:
    we.replace(note(package, 1), "Helsinki", "Helsinki Watch", "Reviewer H")  # the author, cited by note 2 too
    we.replace(note(package, 5), "mistreatment", "ill-treatment", "Reviewer H")  # the title
    we.replace(note(package, 5), "2020", "2021", "Reviewer H")  # the year of ``date-parts: [[2020, 12]]``
    we.replace(note(package, 7), "document No.", "doc. No.", "Reviewer H")  # the style's words: not guessed


def _in_registry(root, needle: str, after: str) -> str:
    """``path:line:col`` of ``needle``'s first occurrence after ``after`` in the registry."""
    text = (root / REGISTRY).read_text(encoding="utf-8")
    offset = text.index(needle, text.index(after))
    line = text.count("\n", 0, offset) + 1
    return f"{REGISTRY}:{line}:{offset - (text.rfind(chr(10), 0, offset) + 1) + 1}"


def test_a_corrected_title_author_or_year_goes_to_the_registry(project):
    review = reviewed(project, _corrections)
    registry = (project / REGISTRY).read_text(encoding="utf-8")
    places = [_in_registry(project, "Human Rights Watch/Helsinki", "id: hrw-1992-bloodshed"),
              _in_registry(project, "Preliminary report", "id: dscr-2020"),
              _in_registry(project, "2020, 12", "id: dscr-2020")]
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()[:-3]
    assert lines[0] == (f'{at(project, S3, "[@pace-2015-doc-13930", 13)}: change[Reviewer H]: "document No." → '
                        '"doc. No." in note 7 (not applied: it changes the text of note 7, which the citation style '
                        'writes from the registry (edit the citation or references/ by hand))')
    assert lines[1:] == [
        f'{places[0]}: change[Reviewer H]: '
        '"Helsinki" → "Helsinki Watch" in note 1 (note 2 cites it too and changes with it)',
        f'{places[1]}: change[Reviewer H]: "mistreatment" → '
        '"ill-treatment" in note 5',
        f'{places[2]}: change[Reviewer H]: "2020" → "2021" in note 5',
    ]
    first, second = registry.index("id: hrw-1992-bloodshed"), registry.index("id: dscr-2020")
    wanted = (registry[:first] + registry[first:].replace("literal: Human Rights Watch/Helsinki\n",
                                                         "literal: Human Rights Watch/Helsinki Watch\n", 1))
    wanted = wanted[:second + 6] + wanted[second + 6:].replace("report on mistreatment", "report on ill-treatment", 1) \
        .replace("[[2020, 12]]", "[[2021, 12]]", 1)
    assert (project / REGISTRY).read_text(encoding="utf-8") == wanted  # just those values, the rest byte for byte
    rebuilt = accepted_texts((build(project, ("docx",)).out_dir / "report.docx").read_bytes())
    reviewed_texts = accepted_texts(review.read_bytes())
    assert rebuilt[0] == reviewed_texts[0]
    assert [n for n in rebuilt[1] if n not in reviewed_texts[1]] == [" Parliamentary Assembly of the Council of "
                                                                     "Europe, “Escalation of violence in Nagorno-"
                                                                     "Karabakh and other occupied territories of "
                                                                     "Azerbaijan”, document No. 13930 (December 11, "
                                                                     "2015), p. 4."]
    assert "Human Rights Watch/Helsinki Watch, “Bloodshed" in rebuilt[1][0]
    assert "“Preliminary report on ill-treatment" in rebuilt[1][4] and "(December 2021)" in rebuilt[1][4]


def test_a_registry_value_is_quoted_as_yaml_needs():
    from report.review.registry import scalar

    assert scalar("Seven Years of Conflict", None) == "Seven Years of Conflict"
    assert scalar("Azerbaijan: Seven Years", None) == '"Azerbaijan: Seven Years"'  # ": " would be a mapping
    assert scalar("Azerbaijan: Seven Years", '"') == '"Azerbaijan: Seven Years"'
    assert scalar("Armenia's report", "'") == "'Armenia''s report'"
    assert scalar("1994", None) == '"1994"'  # a number unquoted
    assert scalar("# seven", None) == '"# seven"'  # a comment unquoted
    assert scalar("two\nlines", None) is None


def test_a_registry_changed_since_the_build_is_not_written(project):
    review = reviewed(project, lambda package: we.replace(note(package, 5), "mistreatment", "ill-treatment",
                                                          "Reviewer H"))
    registry = (project / REGISTRY).read_text(encoding="utf-8") + "\n# checked against the archive copies\n"
    (project / REGISTRY).write_text(registry, encoding="utf-8")
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f'{_in_registry(project, "Preliminary report", "id: dscr-2020")}: change[Reviewer H]: "mistreatment" → '
        f'"ill-treatment" in note 5 (not applied: {REGISTRY} changed since the build (correct the title there by '
        'hand))')
    assert (project / REGISTRY).read_text(encoding="utf-8") == registry
