"""Hostile content in sections and registry fields: nothing is fetched or embedded, no
markup slips into the outputs, and every output stays valid."""

from __future__ import annotations

import shutil
import subprocess
import zipfile

import html5lib
import pytest
from lxml import etree, html
from pypdf import PdfReader

from report.build import build

SECRET = "root:x:0:0"  # the first line of /etc/passwd

HOSTILE_TEXT = [
    "<script>alert('x')</script>",
    "[click](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD4=)",
    "<img src=\"file:///etc/passwd\">",
    "![image](file:///etc/passwd)",
    "<a href=\"javascript:alert(1)\" onclick=\"alert(2)\">raw link</a>",
    "<iframe src=\"https://example.org/\"></iframe>",
    "<style>body{background:url(file:///etc/passwd)}</style>",
    "<link rel=\"attachment\" href=\"file:///etc/passwd\">",
    "&lt;b&gt; &amp; ]]> <![CDATA[x]]> <?xml version=\"1.0\"?>",
    "Control \x01\x02\x07\x1b[31m characters",
    "Right-to-left \u202eoverride\u202c and \u2067isolate\u2069",
    "Word joiner\u2060, zero width\u200b, BOM\ufeff, noncharacter \ufdd0",
    "{{ title }} {% raw %} ${x} %(name)s",
]
HOSTILE_FIELDS = {
    "title": "<script>alert(1)</script> “Quoted” & <b>bold</b>",
    "container-title": "javascript:alert(1)",
    "publisher": "\u202eEvil Publisher\u202c",
    "note": "<img src=\"file:///etc/passwd\"> ]]>",
}


def as_text(text: str) -> str:
    """``text`` escaped so that Markdown shows it as written: raw HTML and images are
    refused (test_raw_markup_is_refused), their escaped forms are text like any other."""
    return text.replace("<", "\\<").replace("[", "\\[")


def test_raw_markup_is_refused_with_located_errors(make_project):
    from report.build import check

    body = "\n\n".join(f"Case {i}: {text}" for i, text in enumerate(HOSTILE_TEXT))
    root = make_project({"sections/01-intro.md": "---\ntitle: Hostile\n---\n\n" + body + "\n"})
    _, found = check(root)
    errors = sorted((d.location.line, d.code) for d in found if d.severity.label == "error")
    raw_lines = [5 + 2 * i for i, text in enumerate(HOSTILE_TEXT) if "<" in text.replace("&lt;", "") or "](" in text]
    assert sorted({line for line, _ in errors}) == raw_lines
    assert {code for _, code in errors} == {"MD020", "MD021"}  # raw HTML; a link or image markdown-it refused


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from tests.conftest import write_project

    root = tmp_path_factory.mktemp("hostile") / "p"
    body = "\n\n".join(f"Case {i}: {as_text(text)}[@un-2020, p. {i + 1}]" for i, text in enumerate(HOSTILE_TEXT))
    fields = "\n".join(f"  {key}: {value!r}" for key, value in HOSTILE_FIELDS.items())
    registry = ("- id: un-2020\n  type: report\n  genre: UN document\n  number: A/1\n  issued: 2020\n" + fields +
                "\n- id: ngo-2021\n  type: report\n  title: Second\n  issued: 2021\n")
    write_project(root, {"sections/01-intro.md": "---\ntitle: Hostile\n---\n\n" + body + "\n\nEnd[@ngo-2021].\n",
                         "references/sources.yaml": registry})
    build(root)
    return root / "build" / "en" / "public"


def test_html_has_no_active_content(outputs):
    data = (outputs / "report.html").read_bytes()
    html5lib.HTMLParser(strict=True).parse(data)
    tree = html.fromstring(data)
    assert tree.xpath("//script | //iframe | //img | //object | //embed | //link | //form") == []
    assert tree.xpath("//body//style") == []  # only the template's own, in <head>
    for element in tree.iter():
        for name, value in element.attrib.items():
            assert not name.startswith("on"), (element.tag, name)
            assert not value.strip().lower().startswith(("javascript:", "data:", "file:")), (element.tag, value)
    text = tree.text_content()
    assert "<script>alert('x')</script>" in text  # shown as text, as written
    assert "\u202e" not in text and "\x07" not in text


def test_docx_is_valid_and_carries_the_text_as_text(outputs, tmp_path):
    with zipfile.ZipFile(outputs / "report.docx") as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, data in parts.items():
        if name.endswith(".xml") or name.endswith(".rels"):
            etree.fromstring(data)
    document = parts["word/document.xml"].decode("utf-8")
    assert "&lt;script&gt;" in document and "<script" not in document
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8") + parts.get("word/_rels/footnotes.xml.rels", b"").decode()
    assert "javascript:" not in rels and "file:" not in rels and "data:" not in rels
    if shutil.which("soffice"):
        result = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                                 str(outputs / "report.docx")], capture_output=True, env={"HOME": str(tmp_path)}, timeout=120)
        assert (tmp_path / "report.pdf").exists(), result.stderr


def test_pdf_fetched_and_embedded_nothing(outputs):
    data = (outputs / "report.pdf").read_bytes()
    reader = PdfReader(outputs / "report.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert SECRET not in text
    assert b"/EmbeddedFile" not in data and b"/JavaScript" not in data and b"/Launch" not in data
    assert "<script>alert('x')</script>" in text  # shown as text, as written
