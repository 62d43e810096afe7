"""Where pictures and captions stand in real files: floating pictures, Word's SVG pictures,
captions above, typed labels, pictures inside text, on the title page, in tables and notes,
and a file LibreOffice wrote."""

from __future__ import annotations

import base64
import io
import shutil
import subprocess

import docx
import pytest
import yaml
from docx.enum.text import WD_BREAK
from docx.shared import Cm

from report.importer import import_docx
from tests.importer.figure_docs import ALT, SVG, anchored, caption, field, picture, png, reference, with_svg
from tests.importer.support import read_docx, rebuild, squeeze


def imported(tmp_path, document):
    document.save(tmp_path / "in.docx")
    result = import_docx(tmp_path / "in.docx", tmp_path / "out")
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "out" / "sections").glob("*.md")))
    return result, text, tmp_path / "out"


def test_a_floating_picture_is_a_figure_too(tmp_path):
    document = docx.Document()
    anchored(picture(document, png(), width=Cm(15.24)))
    caption(document, "Figure", "1", "Floating", (1, "_Ref1"))
    result, text, _ = imported(tmp_path, document)
    assert f'![Floating](images/figure-1.png){{#fig-floating fig-alt="{ALT}" width=100%}}' in text


@pytest.mark.parametrize("rasteriser", [True, False])
def test_word_svg_is_kept_when_the_word_output_can_carry_it(tmp_path, monkeypatch, rasteriser):
    from report.images import _svg

    if not rasteriser:
        monkeypatch.setattr(_svg, "rasteriser", lambda: None)
    elif _svg.rasteriser() is None:
        pytest.skip("cairosvg is not installed")
    document = docx.Document()
    with_svg(document, picture(document, png()))
    _, text, project = imported(tmp_path, document)
    name = "figure-1.svg" if rasteriser else "figure-1.png"
    assert f"](images/{name})" in text
    assert [p.name for p in (project / "images").iterdir()] == [name]
    if rasteriser:
        assert (project / "images" / name).read_bytes() == SVG
        rebuild(project)  # the Word output gets the SVG and its PNG fallback


def test_captions_above_typed_labels_and_unique_labels(tmp_path):
    document = docx.Document()
    document.add_heading("Findings", 1)
    caption(document, "Figure", "1", "Gate", (1, "_Ref1"), separator=" – ")  # above its picture
    picture(document, png(), alt=None)
    picture(document, png(colour=(0, 90, 0)))
    document.add_paragraph("Figure 2. Gate", style="Caption")  # typed, no field
    reference(document, "Compare Figure ", "_Ref1", "1", " with the next.")
    _, text, _ = imported(tmp_path, document)
    assert text == ("---\ntitle: Findings\n---\n\n![Gate](images/figure-1.png){#fig-gate width=52%}\n\n"
                    f'![Gate](images/figure-2.png){{#fig-gate-2 fig-alt="{ALT}" width=52%}}\n\n'
                    "Compare @fig-gate with the next.\n")


def test_a_picture_inside_text_splits_its_paragraph_and_a_caption_in_it_is_taken(tmp_path):
    document = docx.Document()
    document.add_heading("Findings", 1)
    paragraph = document.add_paragraph("Before the picture. ")
    paragraph.add_run().add_picture(io.BytesIO(png()), width=Cm(3))
    paragraph.add_run().add_break(WD_BREAK.LINE)
    paragraph.add_run("Figure ")
    field(paragraph, "SEQ Figure \\* ARABIC", "1")
    paragraph.add_run(": Inside")
    _, text, _ = imported(tmp_path, document)
    assert text == "---\ntitle: Findings\n---\n\nBefore the picture.\n\n![Inside](images/figure-1.png){#fig-inside width=20%}\n"


def test_pictures_in_tables_and_notes_are_dropped_and_a_logo_keeps_the_title(tmp_path):
    document = docx.Document()
    picture(document, png(), alt="Logo")
    document.add_heading("The Report's Title", 0)
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].add_run().add_picture(io.BytesIO(png()), width=Cm(2))
    result, text, project = imported(tmp_path, document)
    assert yaml.safe_load((project / "report.yaml").read_text(encoding="utf-8"))["title"] == "The Report's Title"
    assert text.startswith('![](images/figure-1.png){fig-alt="Logo" width=52%}\n')
    assert "dropped: 1 image in a note or a table" in result.statements


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3"
 office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text>
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Figure"/>
<text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>
<text:h text:outline-level="1">Findings</text:h>
<text:p>As <text:sequence-ref text:reference-format="category-and-value" text:ref-name="refFigure0">Figure 1</text:sequence-ref>
shows, and table <text:sequence-ref text:reference-format="value" text:ref-name="refTable0">1</text:sequence-ref> counts.</text:p>
<text:p><draw:frame draw:name="Image1" text:anchor-type="as-char" svg:width="8cm" svg:height="5.33cm"><draw:image>
<office:binary-data>{png}</office:binary-data></draw:image><svg:title>{alt}</svg:title></draw:frame></text:p>
<text:p text:style-name="Figure">Figure <text:sequence text:ref-name="refFigure0" text:name="Figure"
 text:formula="ooow:Figure+1" style:num-format="1">1</text:sequence>: Gate of the prison</text:p>
<text:p text:style-name="Table">Table <text:sequence text:ref-name="refTable0" text:name="Table"
 text:formula="ooow:Table+1" style:num-format="1">1</text:sequence>: Counts</text:p>
<table:table table:name="T"><table:table-column table:number-columns-repeated="2"/>
<table:table-row><table:table-cell><text:p>Quarter</text:p></table:table-cell><table:table-cell><text:p>Held</text:p>
</table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>Q1</text:p></table:table-cell>
<table:table-cell><text:p>4</text:p></table:table-cell></table:table-row></table:table>
</office:text></office:body></office:document>"""


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_file_libreoffice_wrote(tmp_path):
    (tmp_path / "in.fodt").write_text(FODT.format(png=base64.b64encode(png()).decode(), alt=ALT), encoding="utf-8")
    profile = tmp_path / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
                    "--outdir", str(tmp_path), str(tmp_path / "in.fodt")], check=True, capture_output=True, timeout=120)
    result = import_docx(tmp_path / "in.docx", tmp_path / "out")
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((tmp_path / "out" / "sections").glob("*.md")))
    assert "As @fig-gate-of-the-prison shows, and @tbl-counts counts." in " ".join(text.split())
    assert "![Gate of the prison](images/figure-1.png){#fig-gate-of-the-prison" in text
    assert f'fig-alt="{ALT}" width=47%}}' in text  # LibreOffice writes the alt text as docPr's title; 8 cm
    # of its A4 page with 2 cm margins
    assert "\n: Counts {#tbl-counts}\n" in text
    assert "kept: 1 image" in result.statements
    original = read_docx((tmp_path / "in.docx").read_bytes())
    assert squeeze(read_docx(rebuild(tmp_path / "out"), rebuilt=True)["body"]) == \
        squeeze(original["body"]).replace("andtable1", "andTable1")


def test_captions_go_where_the_document_puts_them(tmp_path):
    """Tables captioned below, as this file does throughout: the caption between two
    tables is the first one's, as the last caption (below its table only) shows."""
    document = docx.Document()
    document.add_heading("Counts", 1)
    for number, text in (("1", "First counts"), ("2", "Second counts")):
        table = document.add_table(rows=2, cols=1)
        table.cell(0, 0).text, table.cell(1, 0).text = "Held", number
        caption(document, "Table", number, text)
    _, text, _ = imported(tmp_path, document)
    assert text.endswith("| Held |\n| --- |\n| 1 |\n\n: First counts {#tbl-first-counts}\n\n"
                         "| Held |\n| --- |\n| 2 |\n\n: Second counts {#tbl-second-counts}\n")
