"""The default note style (templates/notes.csl) on every CSL type the report's authors
cite: each in full (first citation), short (a later citation) and Ibid. form, with the
same and with another locator (issue 17).

The registry below is written as a Zotero export (CSL-YAML) or a careful author writes it:
institutions as literal names, document symbols in ``number`` and the kind of document in
``genre``, a court in ``authority``, a docket number as the court writes it ("No.
2-117/2023"). The expected notes are what an editor following the style's own pattern
(Author, “Title”, genre No. number, Publisher, Place (date), pp. 1–2, URL) would write:
books and cases in italics, statutes and treaties in roman, a chapter "in" its book, an
interview "interview by" its interviewer, short notes with the family name only.

Every note is read from the HTML of a real build (``report build --format html``), markup
included, so an italic title is checked as italic."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from report.cli import main
from tests.conftest import write_project

REGISTRY = """\
- id: hrw-2020
  type: report
  author:
    - literal: Human Rights Watch
  title: "Locked Up and Forgotten: Detention of Prisoners of War after the 2020 Conflict"
  title-short: Locked Up and Forgotten
  publisher: Human Rights Watch
  publisher-place: New York
  issued:
    date-parts: [[2020, 12, 2]]
  URL: https://www.hrw.org/report/2020/12/02/locked-up-and-forgotten
  accessed:
    date-parts: [[2024, 1, 15]]
  language: en
- id: un-a-75-123
  type: report
  author:
    - literal: UN General Assembly
  title: Report of the Special Rapporteur on torture and other cruel, inhuman or degrading treatment or punishment
  title-short: Report of the Special Rapporteur on torture
  genre: UN document
  number: A/75/123
  issued:
    date-parts: [[2020, 7, 16]]
  language: en
- id: osce-pc-del-1234-20
  type: report
  author:
    - literal: OSCE Permanent Council
  title: Statement on the treatment of prisoners of war
  genre: OSCE document
  number: PC.DEL/1234/20
  issued:
    date-parts: [[2020, 11, 12]]
  URL: https://www.osce.org/files/f/documents/pc-del-1234-20.pdf
  accessed:
    date-parts: [[2024, 2, 1]]
  language: en
- id: pace-resolution-2391
  type: report
  author:
    - literal: Parliamentary Assembly of the Council of Europe
  title: Humanitarian consequences of the conflict between Armenia and Azerbaijan
  title-short: Humanitarian consequences
  genre: Resolution
  number: "2391"
  issued:
    date-parts: [[2021, 9, 27]]
  language: en
- id: pace-doc-15358
  type: report
  author:
    - literal: Committee on Migration, Refugees and Displaced Persons
  title: "Humanitarian consequences of the conflict between Armenia and Azerbaijan: report"
  title-short: Humanitarian consequences (report)
  genre: document
  number: "15358"
  publisher: Parliamentary Assembly of the Council of Europe
  publisher-place: Strasbourg
  issued:
    date-parts: [[2021, 9, 13]]
  language: en
- id: broers-2019
  type: report
  author:
    - family: Broers
      given: Laurence
  title: Perspectives on Detention in Protracted Conflicts
  title-short: Perspectives on Detention
  genre: Working Paper
  number: "12"
  publisher: Centre for Conflict Studies
  publisher-place: London
  issued:
    date-parts: [[2019, 3]]
  language: en
- id: aliyev-2022
  type: report
  author:
    - family: Aliyev
      given: Rena
  title: Missing Persons after the Second Karabakh War
  title-short: Missing Persons
  number: Working Paper 7
  publisher: Centre for Conflict Studies
  publisher-place: London
  issued:
    date-parts: [[2022, 6]]
  language: en
- id: smith-2021
  type: article-newspaper
  author:
    - family: Smith
      given: Daniel
  title: Detainees Moved at Night
  container-title: The Guardian
  publisher-place: London
  issued:
    date-parts: [[2021, 3, 4]]
  URL: https://www.theguardian.com/world/2021/mar/04/detainees-moved-at-night
  accessed:
    date-parts: [[2024, 3, 5]]
  language: en
- id: amnesty-2020
  type: webpage
  author:
    - literal: Amnesty International
  title: "Armenia/Azerbaijan: Decapitation and war crimes in gruesome videos must be urgently investigated"
  title-short: Decapitation and war crimes
  container-title: Amnesty International
  genre: press release
  issued:
    date-parts: [[2020, 12, 10]]
  URL: https://www.amnesty.org/en/latest/news/2020/12/armenia-azerbaijan-decapitation/
  accessed:
    date-parts: [[2024, 1, 20]]
  language: en
- id: baku-court-2023
  type: legal_case
  title: Prosecutor v. Vardanyan
  authority: Baku Military Court
  number: No. 2-117/2023
  issued:
    date-parts: [[2023, 11, 20]]
  language: en
- id: chiragov-2015
  type: legal_case
  title: Chiragov and Others v. Armenia
  authority: European Court of Human Rights
  genre: Application
  number: "13216/05"
  issued:
    date-parts: [[2015, 6, 16]]
  URL: https://hudoc.echr.coe.int/eng?i=001-155353
  accessed:
    date-parts: [[2024, 4, 2]]
  language: en
- id: am-criminal-code
  type: legislation
  title: Criminal Code of the Republic of Armenia
  number: HO-199-N
  issued:
    date-parts: [[2021, 5, 5]]
  URL: https://www.arlis.am/DocumentView.aspx?DocID=153080
  accessed:
    date-parts: [[2024, 2, 10]]
  language: en
- id: cat-1984
  type: treaty
  title: Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment
  title-short: Convention against Torture
  container-title: United Nations Treaty Series
  container-title-short: UNTS
  volume: "1465"
  page: "85"
  issued:
    date-parts: [[1984, 12, 10]]
  language: en
- id: dewaal-2013
  type: book
  author:
    - family: de Waal
      given: Thomas
  title: "Black Garden: Armenia and Azerbaijan through Peace and War"
  title-short: Black Garden
  edition: "2"
  publisher: New York University Press
  publisher-place: New York
  issued:
    date-parts: [[2013]]
  language: en
- id: cornell-2011
  type: chapter
  author:
    - family: Cornell
      given: Svante E.
  title: The Nagorno-Karabakh Conflict and International Law
  title-short: International Law
  container-title: Azerbaijan since Independence
  editor:
    - family: Jones
      given: Jane
  page: 45-78
  publisher: M.E. Sharpe
  publisher-place: Armonk, NY
  issued:
    date-parts: [[2011]]
  language: en
- id: interview-w12
  type: interview
  author:
    - literal: Witness W-12
  interviewer:
    - literal: Strategic Communications Centre
  publisher-place: Baku
  issued:
    date-parts: [[2023, 3, 14]]
  language: en
- id: interview-w07
  type: interview
  author:
    - literal: Witness W-07
  interviewer:
    - family: Mammadova
      given: Leyla
  title: Conditions in Khankendi prison
  publisher-place: Baku
  issued:
    date-parts: [[2023, 4, 2]]
  language: en
- id: other
  type: report
  author:
    - literal: Another Institution
  title: Another Report
  issued:
    date-parts: [[2020]]
  language: en
"""

# Per entry: the locator label its citations use, and its notes in full (first citation,
# locator 5), short (after another source, locator 7), Ibid. (locator 7 again) and Ibid.
# with another locator (9).
EXPECTED = {
    # An institutional report (Zotero's "institution" is the publisher, here the author too).
    "hrw-2020": ("p.", (
        "Human Rights Watch, “Locked Up and Forgotten: Detention of Prisoners of War after the 2020 Conflict”, "
        "Human Rights Watch, New York (December 2, 2020), p. 5, "
        "https://www.hrw.org/report/2020/12/02/locked-up-and-forgotten, accessed January 15, 2024.",
        "Human Rights Watch, “Locked Up and Forgotten”, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
    # A UN document: its symbol after the genre.
    "un-a-75-123": ("para.", (
        "UN General Assembly, “Report of the Special Rapporteur on torture and other cruel, inhuman or degrading "
        "treatment or punishment”, UN document No. A/75/123 (July 16, 2020), para. 5.",
        "UN General Assembly, “Report of the Special Rapporteur on torture”, para. 7.",
        "Ibid.",
        "Ibid., para. 9.")),
    "osce-pc-del-1234-20": ("p.", (
        "OSCE Permanent Council, “Statement on the treatment of prisoners of war”, OSCE document No. PC.DEL/1234/20 "
        "(November 12, 2020), p. 5, https://www.osce.org/files/f/documents/pc-del-1234-20.pdf, "
        "accessed February 1, 2024.",
        "OSCE Permanent Council, “Statement on the treatment of prisoners of war”, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
    "pace-resolution-2391": ("para.", (
        "Parliamentary Assembly of the Council of Europe, “Humanitarian consequences of the conflict between Armenia "
        "and Azerbaijan”, Resolution No. 2391 (September 27, 2021), para. 5.",
        "Parliamentary Assembly of the Council of Europe, “Humanitarian consequences”, para. 7.",
        "Ibid.",
        "Ibid., para. 9.")),
    # A PACE document by a committee, the Assembly as publisher.
    "pace-doc-15358": ("p.", (
        "Committee on Migration, Refugees and Displaced Persons, “Humanitarian consequences of the conflict between "
        "Armenia and Azerbaijan: report”, document No. 15358, Parliamentary Assembly of the Council of Europe, "
        "Strasbourg (September 13, 2021), p. 5.",
        "Committee on Migration, Refugees and Displaced Persons, “Humanitarian consequences (report)”, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
    # A working paper: genre "Working Paper", number 12 (was right; see the next for the bug).
    "broers-2019": ("p.", (
        "Laurence Broers, “Perspectives on Detention in Protracted Conflicts”, Working Paper No. 12, "
        "Centre for Conflict Studies, London (March 2019), p. 5.",
        "Broers, “Perspectives on Detention”, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
    # A working paper whose number carries its own words: no "No." in front (was
    # "No. Working Paper 7").
    "aliyev-2022": ("p.", (
        "Rena Aliyev, “Missing Persons after the Second Karabakh War”, Working Paper 7, Centre for Conflict Studies, "
        "London (June 2022), p. 5.",
        "Aliyev, “Missing Persons”, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
    "smith-2021": ("p.", (
        "Daniel Smith, “Detainees Moved at Night”, <i>The Guardian</i>, London (March 4, 2021), p. 5, "
        "https://www.theguardian.com/world/2021/mar/04/detainees-moved-at-night, accessed March 5, 2024.",
        "Smith, “Detainees Moved at Night”, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
    # A web page: the kind of page (genre) and the site's name in roman.
    "amnesty-2020": ("para.", (
        "Amnesty International, “Armenia/Azerbaijan: Decapitation and war crimes in gruesome videos must be urgently "
        "investigated”, press release, Amnesty International (December 10, 2020), para. 5, "
        "https://www.amnesty.org/en/latest/news/2020/12/armenia-azerbaijan-decapitation/, accessed January 20, 2024.",
        "Amnesty International, “Decapitation and war crimes”, para. 7.",
        "Ibid.",
        "Ibid., para. 9.")),
    # A case: name in italics, the docket number as the court writes it (was "No. No.
    # 2-117/2023"), the court (was left out), the date of the decision.
    "baku-court-2023": ("para.", (
        "<i>Prosecutor v. Vardanyan</i>, No. 2-117/2023, Baku Military Court (November 20, 2023), para. 5.",
        "<i>Prosecutor v. Vardanyan</i>, para. 7.",
        "Ibid.",
        "Ibid., para. 9.")),
    "chiragov-2015": ("para.", (
        "<i>Chiragov and Others v. Armenia</i>, Application No. 13216/05, European Court of Human Rights "
        "(June 16, 2015), para. 5, https://hudoc.echr.coe.int/eng?i=001-155353, accessed April 2, 2024.",
        "<i>Chiragov and Others v. Armenia</i>, para. 7.",
        "Ibid.",
        "Ibid., para. 9.")),
    # A statute: its name in roman, its number as written (a symbol, not a plain number).
    "am-criminal-code": ("art.", (
        "Criminal Code of the Republic of Armenia, HO-199-N (May 5, 2021), art. 5, "
        "https://www.arlis.am/DocumentView.aspx?DocID=153080, accessed February 10, 2024.",
        "Criminal Code of the Republic of Armenia, art. 7.",
        "Ibid.",
        "Ibid., art. 9.")),
    # A treaty: its name in roman, the treaty series as volume, series, first page.
    "cat-1984": ("art.", (
        "Convention against Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment, 1465 UNTS 85 "
        "(December 10, 1984), art. 5.",
        "Convention against Torture, art. 7.",
        "Ibid.",
        "Ibid., art. 9.")),
    # A book: title in italics, the edition; a particle capitalised at the start of a note.
    "dewaal-2013": ("p.", (
        "Thomas de Waal, <i>Black Garden: Armenia and Azerbaijan through Peace and War</i>, 2nd ed., "
        "New York University Press, New York (2013), p. 5.",
        "De Waal, <i>Black Garden</i>, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
    # A chapter: in its book, with the book's editor; the pinpoint page, not the chapter's range.
    "cornell-2011": ("p.", (
        "Svante E. Cornell, “The Nagorno-Karabakh Conflict and International Law”, in "
        "<i>Azerbaijan since Independence</i>, ed. by Jane Jones, M.E. Sharpe, Armonk, NY (2011), p. 50.",
        "Cornell, “International Law”, p. 52.",
        "Ibid.",
        "Ibid., p. 54.")),
    # The NGO's own interview record: interviewee, interviewer, place, date; no title.
    "interview-w12": ("p.", (
        "Witness W-12, interview by Strategic Communications Centre, Baku (March 14, 2023), p. 5.",
        "Witness W-12, interview, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
    "interview-w07": ("p.", (
        "Witness W-07, “Conditions in Khankendi prison”, interview by Leyla Mammadova, Baku (April 2, 2023), p. 5.",
        "Witness W-07, “Conditions in Khankendi prison”, p. 7.",
        "Ibid.",
        "Ibid., p. 9.")),
}
# A chapter is cited at pages inside its range.
LOCATORS = {"cornell-2011": ("50", "52", "52", "54")}


def section() -> str:
    claims = []
    for key, (label, _) in EXPECTED.items():
        first, short, again, other = LOCATORS.get(key, ("5", "7", "7", "9"))
        claims += [f"[@{key}, {label} {first}]", "[@other]", f"[@{key}, {label} {short}]",
                   f"[@{key}, {label} {again}]", f"[@{key}, {label} {other}]"]
    return "---\ntitle: Sources\n---\n\n" + "\n\n".join(f"Claim {n}.{cite}" for n, cite in enumerate(claims, 1)) + "\n"


def note_markup(li) -> str:
    """A footnote's text with its italics as <i>…</i>, without the back link."""
    for link in li.xpath(".//a[contains(@class, 'footnote-back') or @role='doc-backlink']"):
        link.drop_tree()
    parts = []

    def walk(node):
        italic = node.tag in ("i", "em")
        parts.append("<i>" if italic else "")
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")
        parts.append("</i>" if italic else "")

    walk(li)
    return " ".join("".join(parts).replace("↩", "").split())


@pytest.fixture(scope="module")
def notes(tmp_path_factory) -> list[str]:
    root = write_project(tmp_path_factory.mktemp("default-style"), {
        "references/sources.yaml": REGISTRY, "sections/01-intro.md": section()})
    result = CliRunner().invoke(main, ["build", "-p", str(root), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = lxml_html.fromstring((root / "build" / "en" / "public" / "report.html").read_bytes())
    return [note_markup(li) for li in page.xpath("//ol[@class='footnotes']/li")]


@pytest.mark.parametrize("key", list(EXPECTED))
def test_each_type_in_full_short_and_ibid_form(notes, key):
    index = list(EXPECTED).index(key)
    found = notes[5 * index:5 * index + 5]
    del found[1]  # the other source's note between the first and the short citation
    assert tuple(found) == EXPECTED[key][1]


def test_the_other_source_alternates_full_then_short(notes):
    assert notes[1] == "Another Institution, “Another Report” (2020)."
    assert all(note == "Another Institution, “Another Report”." for note in notes[6::5])


def test_no_number_is_labelled_twice_and_no_court_is_left_out(notes):
    assert not [note for note in notes if re.search(r"\bNo\. (?:No\.|Working Paper)", note)]
    assert "Baku Military Court" in notes[5 * list(EXPECTED).index("baku-court-2023")]
