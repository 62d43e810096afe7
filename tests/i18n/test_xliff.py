"""XLIFF 2.1 for CAT tools: `report i18n export LANG --format xliff` and `report i18n import FILE`."""

from __future__ import annotations

import copy
import re
import shutil

import pytest
from click.testing import CliRunner
from lxml import etree

from report.cli import main
from report.i18n import inline
from tests.conftest import REPO, copy_shipped_project
from tests.i18n.xliff_core import problems

NS = "urn:oasis:names:tc:xliff:document:2.0"
X = f"{{{NS}}}"

SECTION = """\
---
title: Introduction
---

The first claim cites a source[@un-2020, p. 3] and counts 1,275 people.

Holding a person without telling them why breaches [Article 9]{.provision ref=udhr:9} of
the Declaration, which *protects* everyone.^[Adopted in 1948; see [@ngo-2021, para. 12].]

Read **the method** at https://example.org/method and the `--strict` flag \\* today.
"""

RICH = ("Holding a person without telling them why breaches [Article 9]{.provision ref=udhr:9} of\n"
        "the Declaration, which *protects* everyone.^[Adopted in 1948; see [@ngo-2021, para. 12].]")


INSTRUMENTS = (REPO / "references" / "instruments.yaml").read_text(encoding="utf-8")


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def project(make_project):
    root = make_project({"sections/01-intro.md": SECTION, "references/instruments.yaml": INSTRUMENTS})
    assert cli("i18n", "update", "ru", "-p", root).exit_code == 0
    return root


def export(root, language="ru"):
    result = cli("i18n", "export", language, "--format", "xliff", "-p", root)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote locales/{language}.xlf"
    return root / "locales" / f"{language}.xlf"


def unit_for(tree, context, starts=""):
    for unit in tree.iter(X + "unit"):
        if unit.findtext(f"{X}notes/{X}note[@category='context']") == context and \
                "".join(unit.find(f"{X}segment/{X}source").itertext()).startswith(starts):
            return unit
    raise AssertionError(f"no unit {context} {starts}")


def set_target(unit, build, state="final"):
    """As a CAT tool: a target made from copies of the source's codes, and a state."""
    segment = unit.find(X + "segment")
    source = segment.find(X + "source")
    codes = {e.get("id"): e for e in source.iter(X + "ph", X + "pc")}
    old = segment.find(X + "target")
    if old is not None:
        segment.remove(old)
    target = etree.SubElement(segment, X + "target")
    last = None
    for item in build:
        if isinstance(item, str):
            if last is None:
                target.text = (target.text or "") + item
            else:
                last.tail = (last.tail or "") + item
            continue
        cid, *inner = item
        element = copy.deepcopy(codes[cid])
        element.tail = None
        if element.tag == X + "pc":
            for child in list(element):
                element.remove(child)
            element.text = inner[0] if inner else None
            for extra in inner[1:]:  # (text, (code...), tail) inside the pc
                sub = copy.deepcopy(codes[extra[0]])
                sub.tail = extra[1]
                element.append(sub)
        target.append(element)
        last = element
    segment.set("state", state)
    return target


def save(tree, path):
    path.write_bytes(etree.tostring(tree, xml_declaration=True, encoding="UTF-8"))


# --- round trip -------------------------------------------------------------------------


@pytest.fixture
def shipped_copy(tmp_path):
    root = copy_shipped_project(tmp_path / "shipped")
    shutil.copytree(REPO / "locales", root / "locales")
    return root


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    root = copy_shipped_project(tmp_path_factory.mktemp("xliff"))
    shutil.copytree(REPO / "locales", root / "locales")
    return root


@pytest.mark.parametrize("language", ["az", "ru"])
def test_export_then_import_gives_the_po_file_back_byte_for_byte(shipped, language):
    po = shipped / "locales" / f"{language}.po"
    before = po.read_bytes()
    assert before == (REPO / "locales" / f"{language}.po").read_bytes()
    xlf = export(shipped, language)
    assert problems(xlf.read_bytes()) == []
    tree = etree.parse(str(xlf))
    units = list(tree.iter(X + "unit"))
    assert len(units) == before.decode().count("\nmsgctxt ")
    result = cli("i18n", "import", xlf, "-p", shipped)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"kept locales/{language}.po: 0 changed, {len(units)} unchanged, 0 untranslated"
    assert po.read_bytes() == before
    # every code of the shipped translations is one of its source's (none became text)
    for unit in units:
        source_ids = [e.get("id") for e in unit.find(f"{X}segment/{X}source").iter(X + "ph", X + "pc")]
        target_ids = [e.get("id") for e in unit.find(f"{X}segment/{X}target").iter(X + "ph", X + "pc")]
        assert sorted(source_ids) == sorted(target_ids), unit.get("id")
    # exporting again writes the same bytes
    first = xlf.read_bytes()
    assert export(shipped, language).read_bytes() == first


def test_inline_split_is_lossless_and_finds_the_codes():
    items = inline.pieces(RICH)
    assert inline.markdown(items) == RICH
    found = [(c.id, c.kind, c.start, c.end) for c in inline.codes(items)]
    assert found == [("c1", "span", "[", "]{.provision ref=udhr:9}"), ("c2", "em", "*", "*"),
                     ("c3", "note", "^[", "]"), ("c4", "cite", "[@ngo-2021, para. 12]", "")]
    for text in ("a *b [c* d]", "`x` `` y", "[@a; @b] @fig-x -@k \\[x\\]", "<https://a.b> <!-- c --> {#id .x}",
                 "^[unclosed", "**a *b* c**", "snake_case and _em_", "x" * 10 + "\x0b\x00"):
        assert inline.markdown(inline.pieces(text)) == text


def test_states_and_notes_travel_both_ways(project):
    po = project / "locales" / "ru.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('msgid "Introduction"\nmsgstr ""', 'msgid "Introduction"\nmsgstr "Введение"')
    text = text.replace('msgctxt "report:title"', '#, fuzzy\n#| msgid "A Report"\nmsgctxt "report:title"')
    text = text.replace('msgid "A Minimal Report"\nmsgstr ""', 'msgid "A Minimal Report"\nmsgstr "Краткий доклад"')
    po.write_text(text, encoding="utf-8")
    tree = etree.parse(str(export(project)))
    title, heading = unit_for(tree, "report:title"), unit_for(tree, "intro:title")
    claim = unit_for(tree, "intro", "The first claim")
    assert title.find(X + "segment").get("state") == "translated"  # fuzzy
    assert title.findtext(f"{X}notes/{X}note[@category='previous-source']") == "A Report"
    assert heading.find(X + "segment").get("state") == "reviewed"  # translated
    assert claim.find(X + "segment").get("state") == "initial" and claim.find(f"{X}segment/{X}target") is None
    assert claim.findtext(f"{X}notes/{X}note[@category='location']") == "sections/01-intro.md:5"
    assert "Keep citations" in claim.findtext(f"{X}notes/{X}note[@category='instructions']")
    # the reviewer confirms the title in the CAT tool: final → translated, the #| line goes
    title.find(X + "segment").set("state", "final")
    # a pre-translation nobody confirmed ("initial" with a target) comes back fuzzy
    set_target(claim, ["Первое утверждение ссылается на источник", ("c1",), " и насчитывает 1 275 человек."],
               state="initial")
    save(tree, project / "locales" / "ru.xlf")
    result = cli("i18n", "import", project / "locales" / "ru.xlf", "-p", project)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "updated locales/ru.po: 2 changed, 1 unchanged, 3 untranslated"
    after = po.read_text(encoding="utf-8")
    assert '#| msgid "A Report"' not in after
    assert 'msgctxt "report:title"\nmsgid "A Minimal Report"\nmsgstr "Краткий доклад"' in after
    assert ('#, fuzzy\nmsgctxt "intro"\nmsgid "The first claim cites a source[@un-2020, p. 3] and counts 1,275 '
            'people."\nmsgstr "Первое утверждение ссылается на источник[@un-2020, p. 3] и насчитывает 1 275 '
            'человек."') in after


def test_a_cat_tool_translation_comes_back_as_markdown_and_reaches_the_outputs(project):
    tree = etree.parse(str(export(project)))
    unit = unit_for(tree, "intro", "Holding")
    source = unit.find(f"{X}segment/{X}source")
    assert [(e.tag[len(X):], e.get("id"), e.get("canDelete")) for e in source.iter(X + "ph", X + "pc")] == [
        ("pc", "c1", "no"), ("pc", "c2", None), ("pc", "c3", "no"), ("ph", "c4", "no")]
    assert source.find(X + "pc").get("dispEnd") == "]{.provision ref=udhr:9}"
    # Words reordered, the emphasis moved, the note's own text translated around its citation.
    set_target(unit, ["Задержание человека без объяснения причин ", ("c2", "всегда"), " нарушает ",
                      ("c1", "статью 9"), " Декларации.",
                      ("c3", "Принята в 1948 году; см. ", ("c4", ".")), ""])
    save(tree, project / "locales" / "ru.xlf")
    result = cli("i18n", "import", project / "locales" / "ru.xlf", "-p", project)
    assert result.exit_code == 0, result.output
    po = (project / "locales" / "ru.po").read_text(encoding="utf-8")
    expected = ("Задержание человека без объяснения причин *всегда* нарушает [статью 9]{.provision ref=udhr:9} "
                "Декларации.^[Принята в 1948 году; см. [@ngo-2021, para. 12].]")
    assert f'msgstr "{expected}"' in po
    entry = po.split('msgstr "Задержание')[0].rsplit("\n\n", 1)[1]
    assert "fuzzy" not in entry  # state="final"
    from report.checks.translations import compare

    assert compare(RICH, expected) == []  # what `report check` asks of a translation


def test_an_imported_translation_reaches_the_built_report(shipped_copy):
    """The shipped report, its Azerbaijani draft through a CAT tool: one paragraph reviewed
    with its incident span and citation kept, then built."""
    tree = etree.parse(str(export(shipped_copy, "az")))
    unit = unit_for(tree, "first-karabakh-war", "During the First Karabakh War")
    assert [e.get("id") for e in unit.find(f"{X}segment/{X}source").iter(X + "ph", X + "pc")] == ["c1", "c2"]
    set_target(unit, ["Human Rights Watch 1992-ci ildə əsirlərə işgəncə verildiyini yazmışdır. ",
                      ("c1", "Ağ bayraqla təslim olmağa çalışan üç əsgər güllələnmişdir", ("c2", "")), "."],
               state="final")
    save(tree, shipped_copy / "locales" / "az.xlf")
    result = cli("i18n", "import", shipped_copy / "locales" / "az.xlf", "-p", shipped_copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("updated locales/az.po: 1 changed, ") and "[TRN" not in result.stderr
    po = (shipped_copy / "locales" / "az.po").read_text(encoding="utf-8")
    assert ('msgstr "Human Rights Watch 1992-ci ildə əsirlərə işgəncə verildiyini yazmışdır. [Ağ bayraqla təslim olmağa '
            'çalışan üç əsgər güllələnmişdir[@hrw-1992-bloodshed, pp. 25–26]]{#surrendering-soldiers-shot .incident}."'
            ) in po
    built = cli("build", "-p", shipped_copy, "--locale", "az", "--format", "html")
    assert built.exit_code == 0, built.output
    page = (shipped_copy / "build" / "az" / "public" / "report.html").read_text(encoding="utf-8")
    assert "Human Rights Watch 1992-ci ildə əsirlərə işgəncə verildiyini yazmışdır." in page
    assert "güllələnmişdir" in page and 'id="surrendering-soldiers-shot"' in page


# --- code problems, located in the XLIFF file ----------------------------------------------


def _translate_rich(project, build):
    tree = etree.parse(str(export(project)))
    target = set_target(unit_for(tree, "intro", "Holding"), build)
    save(tree, project / "locales" / "ru.xlf")
    text = (project / "locales" / "ru.xlf").read_text(encoding="utf-8")
    return tree, target, text


def _located(project, code):
    before = (project / "locales" / "ru.po").read_bytes()
    result = cli("i18n", "import", project / "locales" / "ru.xlf", "-p", project)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if f"error[{code}]" in line]
    assert len(lines) == 1, result.stderr
    assert result.stderr.strip().endswith("locales/ru.po not written: the file has errors")
    assert (project / "locales" / "ru.po").read_bytes() == before  # nothing written
    match = re.match(r"locales/ru\.xlf:(\d+):(\d+): error\[" + code + r"\]: ", lines[0])
    assert match, lines[0]
    return lines[0], int(match.group(1)), int(match.group(2))


def _at(text, line, col):
    return text.split("\n")[line - 1][col - 1:]


def test_a_lost_code_is_trn010_at_the_target(project):
    _, _, text = _translate_rich(project, ["Задержание нарушает ", ("c1", "статью 9"), ".",
                                           ("c3", "Принята в 1948 году.")])
    message, line, col = _located(project, "TRN010")
    assert "'[@ngo-2021, para. 12]'" in message
    assert _at(text, line, col).startswith("<target>")


def test_a_duplicated_code_is_trn011_at_the_copy(project):
    _, _, text = _translate_rich(project, ["Задержание нарушает ", ("c1", "статью 9"), ".",
                                           ("c3", "Принята в 1948 году; см. ", ("c4", ".")), ("c4",)])
    message, line, col = _located(project, "TRN011")
    assert "used twice" in message
    assert _at(text, line, col).startswith('<ph id="c4"')
    assert text.split("\n")[line - 1][:col - 1].count('<ph id="c4"') == 1  # the second one


def test_citations_in_another_order_are_trn012(make_project):
    section = SECTION.replace("counts 1,275 people.", "counts 1,275 people[@ngo-2021, para. 4].")
    root = make_project({"sections/01-intro.md": section})
    assert cli("i18n", "update", "ru", "-p", root).exit_code == 0
    tree = etree.parse(str(export(root)))
    set_target(unit_for(tree, "intro", "The first claim"), ["Насчитывает 1 275 человек", ("c2",), " и источник",
                                                              ("c1",), "."])
    save(tree, root / "locales" / "ru.xlf")
    text = (root / "locales" / "ru.xlf").read_text(encoding="utf-8")
    message, line, col = _located(root, "TRN012")
    assert "order" in message and _at(text, line, col).startswith('<ph id="c2"')


def test_a_citation_moved_out_of_its_note_is_trn012(project):
    _translate_rich(project, ["Задержание нарушает ", ("c1", "статью 9"), ".", ("c3", "Принята в 1948 году."),
                              ("c4",)])
    message, _, _ = _located(project, "TRN012")
    assert "moved into or out of a note or span" in message


def test_an_unknown_code_is_trn013(project):
    tree, target, text = _translate_rich(project, ["Задержание нарушает ", ("c1", "статью 9"), ".",
                                                   ("c3", "Принята в 1948 году; см. ", ("c4", "."))])
    extra = etree.SubElement(target, X + "ph", id="c99")
    extra.tail = "!"
    save(tree, project / "locales" / "ru.xlf")
    message, _, _ = _located(project, "TRN013")
    assert "'c99'" in message


# --- refused files ---------------------------------------------------------------------------


def _refused(project, data, code, name="ru.xlf"):
    path = project / "locales" / name
    if data is not None:
        path.write_bytes(data)
    before = (project / "locales" / "ru.po").read_bytes()
    result = cli("i18n", "import", path, "-p", project)
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert re.match(rf"locales/{re.escape(name)}:\d+:\d+: error\[{code}\]: ", result.stderr), result.stderr
    assert (project / "locales" / "ru.po").read_bytes() == before
    return result.stderr


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="ru"><file id="f"><unit id="u">
<segment><source>&lol3;</source></segment></unit></file></xliff>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="ru"/>"""


@pytest.mark.parametrize("data", [LAUGHS, EXTERNAL], ids=["billion-laughs", "external-entity"])
def test_entities_and_dtds_are_refused(project, data):
    said = _refused(project, data, "XLF002")
    assert "DOCTYPE" in said


def test_huge_and_broken_files_are_refused(project):
    xlf = export(project)
    with open(xlf, "r+b") as handle:  # 51 MB, sparse: refused before it is read
        handle.truncate(51 * 1024 * 1024)
    assert "more than the 50 MB" in _refused(project, None, "XLF001")
    good = export(project).read_bytes()
    huge = good.replace(b"<source>Introduction</source>", b"<source>Introduction</source><target>" +
                        b"x" * (11 * 1024 * 1024) + b"</target>")
    assert "not well-formed XML" in _refused(project, huge, "XLF001")  # lxml's limit on one text node
    deep = good.replace(b"<source>Introduction</source>", b"<source>Introduction</source><target>" +
                        b'<pc id="c1">' * 5000 + b"x" + b"</pc>" * 5000 + b"</target>")
    assert "not well-formed XML" in _refused(project, deep, "XLF001")
    assert "not well-formed XML" in _refused(project, good[:-40], "XLF001")
    old = b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2"><file/></xliff>'
    assert "not an XLIFF 2 file" in _refused(project, old, "XLF001")


def test_another_project_or_language_is_refused(project, make_project):
    good = export(project).read_bytes()
    said = _refused(project, good.replace(b"A Minimal Report</mda:meta>", b"Another Report</mda:meta>"), "XLF003")
    assert "names the project 'Another Report', not this one ('A Minimal Report')" in said
    assert "XLF003" in _refused(project, re.sub(rb"<mda:metadata>.*?</mda:metadata>", b"", good, flags=re.S), "XLF003")
    said = _refused(project, good.replace(b'trgLang="ru"', b'trgLang="de"'), "XLF004")
    assert "no locales/de.po" in said
    assert "XLF004" in _refused(project, good.replace(b'srcLang="en"', b'srcLang="fr"'), "XLF004")
    (project / "locales" / "ru.xlf").write_bytes(good)
    result = cli("i18n", "import", project / "locales" / "ru.xlf", "--locale", "az", "-p", project)
    assert result.exit_code == 1 and "error[XLF004]: the file is a translation into 'ru', not 'az'" in result.stderr


def test_a_unit_whose_source_changed_since_the_export_is_skipped_with_a_warning(project):
    tree = etree.parse(str(export(project)))
    set_target(unit_for(tree, "intro:title"), ["Введение"])
    save(tree, project / "locales" / "ru.xlf")
    section = project / "sections" / "01-intro.md"
    section.write_text(SECTION.replace("title: Introduction", "title: Preface"), encoding="utf-8")
    assert cli("i18n", "update", "ru", "-p", project).exit_code == 0
    result = cli("i18n", "import", project / "locales" / "ru.xlf", "-p", project)
    assert result.exit_code == 0, result.output
    assert re.search(r"locales/ru\.xlf:\d+:5: warning\[XLF005\]: unit 'u\d+' \(intro:title\): its source is not in "
                     r"locales/ru\.po: skipped", result.stderr)


def test_an_import_changes_only_its_entries_and_keeps_previous_sources(project):
    import difflib

    po = project / "locales" / "ru.po"
    po.write_text(po.read_text(encoding="utf-8").replace('msgid "Introduction"\nmsgstr ""',
                                                         'msgid "Introduction"\nmsgstr "Введение"'), encoding="utf-8")
    section = project / "sections" / "01-intro.md"
    section.write_text(SECTION.replace("title: Introduction", "title: The Introduction"), encoding="utf-8")
    assert cli("i18n", "update", "ru", "-p", project).exit_code == 0
    before = po.read_text(encoding="utf-8")
    assert '#| msgid "Introduction"' in before  # the changed title: fuzzy, with its previous source
    tree = etree.parse(str(export(project)))
    set_target(unit_for(tree, "report:title"), ["Краткий доклад"], state="reviewed")
    save(tree, project / "locales" / "ru.xlf")
    result = cli("i18n", "import", project / "locales" / "ru.xlf", "-p", project)
    assert result.exit_code == 0, result.output
    after = po.read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.split("\n"), after.split("\n"), n=0, lineterm="")
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ['-msgstr ""', '+msgstr "Краткий доклад"']
    assert '#| msgid "Introduction"' in after


def test_the_project_id_names_the_file_whatever_the_title_becomes(project):
    """``id:`` in report.yaml is the name an XLIFF file carries: the report's title can
    change while the agency translates (a file naming the old title is refused, one
    naming the id is not); a file exported before the id was set still imports."""
    config = project / "report.yaml"
    before_id = export(project).read_bytes()  # names the title
    config.write_text("id: water-2024\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    xlf = export(project)
    assert b'<mda:meta type="project">water-2024</mda:meta>' in xlf.read_bytes()
    result = cli("i18n", "import", xlf, "-p", project)
    assert result.exit_code == 0, result.output
    (project / "locales" / "old.xlf").write_bytes(before_id)
    result = cli("i18n", "import", project / "locales" / "old.xlf", "-p", project)
    assert result.exit_code == 0, result.output

    with_id = xlf.read_bytes()
    config.write_text(config.read_text(encoding="utf-8").replace("title: A Minimal Report", "title: A Renamed Report"),
                      encoding="utf-8")
    assert cli("i18n", "import", xlf, "-p", project).exit_code == 0  # the id still names the project
    said = _refused(project, before_id, "XLF003", name="old.xlf")  # the old title does not
    assert "names the project 'A Minimal Report', not this one ('water-2024')" in said
    said = _refused(project, with_id.replace(b">water-2024<", b">water-2023<"), "XLF003")
    assert "names the project 'water-2023'" in said
