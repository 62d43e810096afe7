"""Property tests: arbitrary text in a section, the registry or front matter gives
diagnostics, never an exception; every location lies inside its file."""

from __future__ import annotations

import shutil
import string
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from report.build import check
from report.errors import ReportError
from tests.conftest import write_project

# Text that exercises our syntax: brackets, @, carets, braces, quotes, YAML and Markdown markers.
ALPHABET = st.sampled_from(list(string.ascii_letters + string.digits + " \n\t[]@^{}#.:;,-–\"'“”*_`<>!/\\|&%$~=+()")
                           + ["\x00", "\x07", "\u202e", "ə", "Ж", "\r"])
TEXT = st.text(ALPHABET, max_size=300)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(files: dict) -> list:
    folder = Path(tempfile.mkdtemp(prefix="report-prop-"))
    try:
        root = write_project(folder, files)
        try:
            _, found = check(root)
        except ReportError as exc:
            found = exc.diagnostics
        for d in found:
            assert d.location.line >= 1 and d.location.col >= 1
            path = root / d.location.path
            if path.is_file():
                text = path.read_bytes().decode("utf-8", errors="replace")
                lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # as editors count lines
                assert d.location.line <= len(lines) + 1, d
        return found
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(TEXT)
def test_any_section_body(body):
    run({"sections/01-intro.md": "---\ntitle: X\n---\n\n" + body})


@SETTINGS
@given(TEXT)
def test_any_front_matter(front):
    run({"sections/01-intro.md": "---\n" + front + "\n---\n\nText[@un-2020][@ngo-2021].\n"})


@SETTINGS
@given(TEXT)
def test_any_registry(registry):
    run({"references/sources.yaml": registry})


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(["title", "author", "issued", "URL", "number", "type", "id", "accessed"]), TEXT),
                max_size=6))
def test_any_registry_fields(fields):
    lines = ["- id: un-2020", "  type: report"]
    for key, value in fields:
        lines.append(f"  {key}: {value!r}")
    run({"references/sources.yaml": "\n".join(lines) + "\n"})


@settings(max_examples=25, deadline=None)
@given(TEXT)
def test_any_section_body_renders_to_valid_html_and_docx(body):
    """Whatever an author writes either stops with diagnostics or renders files that parse."""
    import zipfile

    import html5lib
    from lxml import etree

    from report.build import build

    folder = Path(tempfile.mkdtemp(prefix="report-prop-"))
    try:
        root = write_project(folder, {"sections/01-intro.md": "---\ntitle: X\n---\n\nText[@un-2020][@ngo-2021].\n\n" + body})
        try:
            out = build(root, ("html", "docx")).out_dir
        except ReportError:
            return
        html5lib.HTMLParser(strict=True).parse((out / "report.html").read_bytes())
        with zipfile.ZipFile(out / "report.docx") as archive:
            for name in ("word/document.xml", "word/footnotes.xml"):
                etree.fromstring(archive.read(name))
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(st.text(st.sampled_from(list("@[]-;,.: pP0123456789–§¶abcxyz")), max_size=80))
def test_any_citation_group(content):
    """The citation grammar never raises; every parsed key and offset lies in the text."""
    from report.parse.citations import parse_group

    items = parse_group(content, 0)
    for item in items or ():
        assert item.key and 0 <= item.offset < len(content)
        assert content[item.offset] == "@"


PO_TEXT = st.lists(st.sampled_from(list('msgidtrcx "\\\n#,:|~[]@^{}<>') +
                                   ["#, fuzzy\n", "msgid ", "msgstr ", "msgctxt ", '"\n', "\x00", "ə", "Ж"]),
                   max_size=80).map("".join)


@SETTINGS
@given(PO_TEXT)
def test_any_po_file(po):
    """A translator's PO file, however broken, gives diagnostics, never an exception."""
    run({"locales/ru.po": po})
    folder = Path(tempfile.mkdtemp(prefix="report-prop-"))
    try:
        root = write_project(folder, {"locales/ru.po": po})
        from report.build import Locale, load

        try:
            load(root, locale=Locale("ru", allow_fuzzy=True))
        except ReportError:
            pass
    finally:
        shutil.rmtree(folder)


@SETTINGS
@given(TEXT)
def test_any_translation_text(text):
    """Arbitrary translated text (escaped into a valid PO string) never crashes a load."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    po = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
          f'msgctxt "intro"\nmsgid "The first claim cites a source[@un-2020, p. 3]."\nmsgstr "{quoted}"\n')
    section = "---\ntitle: Introduction\n---\n\nThe first claim cites a source[@un-2020, p. 3].\n\nMore[@ngo-2021].\n"
    folder = Path(tempfile.mkdtemp(prefix="report-prop-"))
    try:
        root = write_project(folder, {"locales/ru.po": po, "sections/01-intro.md": section})
        from report.build import Locale, check

        try:
            check(root, locale=Locale("ru"))
        except ReportError:
            pass
    finally:
        shutil.rmtree(folder)
