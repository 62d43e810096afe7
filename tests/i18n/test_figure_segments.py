"""Figures, table captions, boxes and cross-references in the translators' workflow:
what `report i18n extract` offers, what a translated build makes of it, and what
`report check` says about a translation that loses a cross-reference."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from PIL import Image

from report.checks.translations import citations, compare, crossrefs
from report.cli import main
from report.parse.markdown import parse_section
from report.parse.segments import ALT, BOX, FIGURE, section_segments
from report.sources.project import read_project

SECTION = """\
---
title: Introduction
---

As @fig-gate shows, the gate was closed; [@tbl-arrests] counts the arrests[@un-2020, p. 3].

![The *closed* gate](images/gate.png){#fig-gate width=60% fig-alt="A steel gate locked with a chain"}

| Month | Arrests |
|---|---|
| March | 12 |

: Arrests by month {#tbl-arrests}

::: {#box-case .box title="Case study: the *gate*"}
A box paragraph about [-@fig-gate].
:::

![A map of the district](images/gate.png){#fig-map}

[@fig-gate; @fig-map] show the same street, and @box-case tells its story.

Table: Releases by month {#tbl-releases}

| Month | Released |
|---|---|
| April | 3 |
"""

FIGURE_PARAGRAPH = ('![The *closed* gate](images/gate.png){#fig-gate width=60% '
                    'fig-alt="A steel gate locked with a chain"}')

RUSSIAN = {
    ("report:title", "A Minimal Report"): "Краткий доклад",
    ("report:organization", "Test Org"): "Тестовая организация",
    ("intro:title", "Introduction"): "Введение",
    ("intro", "As @fig-gate shows, the gate was closed; [@tbl-arrests] counts the arrests[@un-2020, p. 3]."):
        "Как показывает @fig-gate, ворота были закрыты; [@tbl-arrests] считает аресты[@un-2020, p. 3].",
    ("intro", "The *closed* gate"): "*Закрытые* ворота",
    ("intro", "A steel gate locked with a chain"): "Стальные ворота, запертые на цепь",
    ("intro", ": Arrests by month {#tbl-arrests}"): ": Аресты по месяцам {#tbl-arrests}",
    ("intro", "Case study: the *gate*"): "Пример: *ворота*",
    ("intro", "A box paragraph about [-@fig-gate]."): "Абзац врезки о [-@fig-gate].",
    ("intro", "A map of the district"): "Карта района",
    ("intro", "[@fig-gate; @fig-map] show the same street, and @box-case tells its story."):
        "[@fig-gate; @fig-map] показывают одну улицу, а @box-case рассказывает её историю.",
    ("intro", "Table: Releases by month {#tbl-releases}"): "Table: Освобождения по месяцам {#tbl-releases}",
    # table cells are segments too, and a translated build shows their translation
    ("intro", "Month"): "Месяц", ("intro", "Arrests"): "Аресты", ("intro", "March"): "Март",
    ("intro", "12"): "12", ("intro", "Released"): "Освобождено", ("intro", "April"): "Апрель", ("intro", "3"): "3",
}


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def po_file(translations: dict) -> str:
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', '"Language: ru\\n"', ""]
    for (context, source), text in translations.items():
        out += [f"msgctxt {_quote(context)}", f"msgid {_quote(source)}", f"msgstr {_quote(text)}", ""]
    return "\n".join(out)


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (120, 120, 120)).save(buffer, "PNG")
    return buffer.getvalue()


def cli(*args):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(make_project):
    return make_project({"sections/01-intro.md": SECTION, "images/gate.png": png(),
                         "locales/ru.po": po_file(RUSSIAN)})


def _entries(pot: str) -> dict[tuple[str, str], str]:
    from babel.messages.pofile import read_po

    catalog = read_po(io.StringIO(pot))
    return {(message.context, message.id): " ".join(message.auto_comments) for message in catalog if message.id}


def test_extract_offers_a_figures_caption_and_alt_text_and_a_box_title_as_entries(project):
    assert cli("i18n", "extract", "-p", str(project)).exit_code == 0
    entries = _entries((project / "locales" / "report.pot").read_text(encoding="utf-8"))
    assert entries[("intro", "The *closed* gate")] == FIGURE
    assert entries[("intro", "A steel gate locked with a chain")] == ALT
    assert entries[("intro", "A map of the district")] == FIGURE  # no fig-alt: the caption alone
    assert entries[("intro", "Case study: the *gate*")] == BOX
    # The figure's paragraph (its path, label and width) is no entry: nothing to translate there.
    assert ("intro", FIGURE_PARAGRAPH) not in entries
    assert not any("images/gate.png" in text or "{#fig-" in text for _, text in entries)
    # A table caption is one entry as written, with its ':' or 'Table:' and its label.
    assert ("intro", ": Arrests by month {#tbl-arrests}") in entries
    assert ("intro", "Table: Releases by month {#tbl-releases}") in entries
    # In reading order: the caption, then the alternative text, then what follows.
    order = [text for _, text in entries]
    assert order.index("The *closed* gate") + 1 == order.index("A steel gate locked with a chain")
    assert order.index("Case study: the *gate*") + 1 == order.index("A box paragraph about [-@fig-gate].")
    assert set(RUSSIAN) <= set(entries)


def _asked(source) -> list[tuple[str, str]]:
    asked = []

    def translate(context, text, where):
        asked.append((context, text))
        return None

    parse_section(source, translate)
    return asked


def test_the_segments_are_byte_for_byte_what_a_translated_build_asks_for(project):
    source = read_project(project).sections[0]
    offered = [(s.context, s.text) for s in section_segments(source) if s.context == "intro"]
    asked = _asked(source)
    assert set(asked) <= set(offered), set(asked) - set(offered)
    # Offered and never asked: only table cells (which the builder does not translate).
    assert set(offered) - set(asked) <= {("intro", cell) for cell in ("Month", "Arrests", "March", "12",
                                                                      "Released", "April", "3")}


def test_an_escaped_quote_in_the_alt_text_is_offered_without_its_backslash(make_project):
    section = SECTION.replace('fig-alt="A steel gate locked with a chain"',
                              'fig-alt="A steel gate, \\"locked\\", with a chain"')
    root = make_project({"sections/01-intro.md": section, "images/gate.png": png()})
    source = read_project(root).sections[0]
    offered = [s.text for s in section_segments(source)]
    assert set(_asked(source)) <= {("intro", text) for text in offered}
    assert 'A steel gate, "locked", with a chain' in offered
    assert "The *closed* gate" in offered


def _numbers(page: str) -> list[tuple[str, str]]:
    return re.findall(r'data-counter="(\w+)">(\d+)<', page)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace("\u00a0", " ")


def test_a_translated_build_uses_the_caption_alt_text_box_title_and_table_captions(project):
    english = cli("build", "-p", str(project), "--format", "html")
    assert english.exit_code == 0, english.stderr
    result = cli("build", "-p", str(project), "--locale", "ru", "--format", "html")
    assert result.exit_code == 0, result.stderr
    assert "I18N001" not in result.stderr, result.stderr  # every entry the build asked for is translated
    en_page = (project / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")
    page = (project / "build" / "ru" / "public" / "report.html").read_text(encoding="utf-8")

    captions = [_text(c) for c in re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)]
    assert captions == ["Рисунок 1: Закрытые ворота", "Рисунок 2: Карта района"]
    assert "<em>Закрытые</em> ворота</figcaption>" in page
    assert 'alt="Стальные ворота, запертые на цепь"' in page and "A steel gate" not in page
    titles = [_text(t) for t in re.findall(r'<p class="box-title">(.*?)</p>', page, re.S)]
    assert titles == ["Врезка 1: Пример: ворота"]
    tables = [_text(c) for c in re.findall(r"<caption>(.*?)</caption>", page, re.S)]
    assert tables == ["Таблица 1: Аресты по месяцам", "Таблица 2: Освобождения по месяцам"]
    # Cross-references resolve in the translation to the same targets and numbers.
    assert "Как показывает Рисунок" in _text(page) or "Как показывает рисунок" in _text(page)
    assert _numbers(page) == _numbers(en_page) and _numbers(page)
    assert re.findall(r'href="#([\w-]+)"', page) == re.findall(r'href="#([\w-]+)"', en_page)
    assert "English" not in page and "closed" not in _text(page)
    cells = [_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", page, re.S)]
    assert cells == ["Месяц", "Аресты", "Март", "12", "Месяц", "Освобождено", "Апрель", "3"]


def test_a_translation_that_drops_a_cross_reference_is_trn008_at_its_po_line(make_project):
    key = ("intro", "As @fig-gate shows, the gate was closed; [@tbl-arrests] counts the arrests[@un-2020, p. 3].")
    bad = dict(RUSSIAN)
    bad[key] = "Ворота были закрыты; [@tbl-arrests] считает аресты[@un-2020, p. 3]."
    text = po_file(bad)
    root = make_project({"sections/01-intro.md": SECTION, "images/gate.png": png(), "locales/ru.po": text})
    result = cli("check", "-p", str(root))
    assert result.exit_code == 1
    found = [line for line in result.stderr.splitlines() if "[TRN" in line]
    line = text.split("\n").index(f'msgstr "{bad[key]}"') + 1
    assert found == [f"locales/ru.po:{line}:1: error[TRN008]: cross-references differ from the source: "
                     "missing @fig-gate (intro)"], result.stderr


def test_the_translated_project_checks_clean(project):
    result = cli("check", "-p", str(project))
    assert "[TRN" not in result.stderr, result.stderr


@pytest.mark.parametrize("source, translated, codes", [
    # A cross-reference group is no citation: one finding, not TRN001 as well.
    ("See [@fig-a] and [@un-2020, p. 3].", "Смотрите [@un-2020, p. 3].", ["TRN008"]),
    ("See [-@fig-a; @fig-b].", "Смотрите [-@fig-a].", ["TRN008"]),
    ("As @fig-2 shows.", "Как показано.", ["TRN008"]),  # its label's digits are no number (TRN005)
    ("Shown in [Map @fig-c].", "Показано на [Карта @fig-c] и @fig-d.", ["TRN008"]),
    ("A note.^[As @sec-method says.]", "Примечание.^[Как сказано.]", ["TRN008"]),
    # The same labels, written another way or in another order, capitalised: no finding.
    ("@Fig-gate shows it; see [@tbl-x].", "См. [@tbl-x]; это видно на @fig-gate.", []),
    ("[@fig-a; @fig-b]", "[@fig-b; @fig-a]", []),
    # A citation dropped is TRN001, and only that.
    ("See @fig-a[@un-2020, p. 3].", "См. @fig-a.", ["TRN001"]),
    # An e-mail address and an escaped "@" are no cross-references.
    ("Write to info@fig-x.org or \\@fig-y.", "Пишите на info@fig-x.org.", []),
    # A changed figure or table label is a changed marker (TRN003).
    (": Arrests {#tbl-arrests}", ": Аресты {#tbl-arests}", ["TRN003"]),
    ("Table: Arrests {#tbl-arrests}", "Table: Аресты", ["TRN003"]),
    ('![Gate](images/gate.png){#fig-gate fig-alt="A gate"}', '![Ворота](images/gate.png){#fig-gates fig-alt="Ворота"}',
     ["TRN003"]),
])
def test_compare_cross_references(source, translated, codes):
    assert [code for code, _ in compare(source, translated)] == codes


def test_citations_leave_cross_references_to_crossrefs():
    text = "As @fig-a shows [@fig-b; @Fig-c], see [-@tbl-x] and [@un-2020, p. 3]."
    assert citations(text) == [("un-2020", "page", "3")]
    assert crossrefs(text) == {"fig-a": 1, "fig-b": 1, "fig-c": 1, "tbl-x": 1}
