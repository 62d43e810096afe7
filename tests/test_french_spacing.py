"""French typography: a narrow no-break space before ; : ! ? and inside « », in the
text and the notes of every output of a French report (and of a French translation),
wherever the author typed a space, a no-break space or nothing; times, symbols and
URLs keep their colons."""

from __future__ import annotations

import textwrap
import zipfile

from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from report.cli import main
from report.transforms.typography import french_text
from tests.conftest import MINIMAL, write_project

NNBSP = "\u202f"
SECTION = ("---\ntitle: Introduction\n---\n\nPourquoi ? Parce que le rapport dit : « non » ; à 10:30 la porte"
           " était fermée!^[Voir le document A/HRC/51:3 ; et https://example.org/a:b.]\n")


def test_the_rules():
    assert french_text("mot;autre « oui »") == f"mot{NNBSP};autre «{NNBSP}oui{NNBSP}»"
    assert french_text("Quoi ?!") == f"Quoi{NNBSP}?!"
    assert french_text("à 10:30, A/HRC/51:3, http://x.org") == "à 10:30, A/HRC/51:3, http://x.org"


def test_every_output_of_a_french_report_has_the_narrow_spaces(tmp_path):
    yaml = textwrap.dedent(MINIMAL["report.yaml"]).replace("language: en", "language: fr")
    root = write_project(tmp_path / "p", {"report.yaml": yaml, "sections/01-intro.md": SECTION})
    result = CliRunner().invoke(main, ["build", "-p", str(root)])
    assert result.exit_code == 0, result.stderr
    out = root / "build" / "fr" / "public"
    expected = [f"Pourquoi{NNBSP}?", f"dit{NNBSP}: «{NNBSP}non{NNBSP}»{NNBSP};", "10:30", f"fermée{NNBSP}!",
                f"A/HRC/51:3{NNBSP};", "https://example.org/a:b"]
    page = lxml_html.fromstring((out / "report.html").read_bytes()).text_content()
    with zipfile.ZipFile(out / "report.docx") as archive:
        docx = "".join(t.text or "" for part in ("word/document.xml", "word/footnotes.xml")
                       for t in etree.fromstring(archive.read(part)).iter(
                           "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    pdf = "".join(p.extract_text() for p in PdfReader(out / "report.pdf").pages)
    for text in expected:
        assert text in page, text
        assert text in docx, text
        # the PDF's text layer writes the narrow space as a space: no line may break there
        assert text.replace(NNBSP, " ") in pdf.replace(NNBSP, " ").replace("\n", " "), text
