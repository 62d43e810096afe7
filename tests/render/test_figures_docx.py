"""Figures, tables, boxes and cross-references in the DOCX a build writes, read from its
XML: inline pictures with their alternative text, images resampled and stripped,
captions numbered by Word's SEQ fields inside ``_Ref`` bookmarks, cross-references as
REF fields to them (in the body and in footnotes); the same numbers as the HTML and
the PDF; and, with LibreOffice installed, what a word processor makes of the file."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile

import pytest
from lxml import etree, html as lxml_html
from PIL import Image

from report.build import build
from tests.render.figure_support import (BOX_TITLE, CAPTIONS, FIGURES, GATE_ALT, MAP_ALT, NOTE, NS, SENTENCES,
                                         SKETCH_ALT, TABLE_CAPTION, YARD_ALT, docx_parts, fields, figure_build,
                                         max_pixels, model_numbers, normal, shown, w, xml)

__all__ = ["figure_build"]  # the fixture, used by name

EMU_PER_CM = 360000
SOFFICE = shutil.which("soffice")


@pytest.fixture(scope="module")
def parts(figure_build):
    _, result = figure_build
    assert [d.format() for d in result.diagnostics] == []
    return docx_parts(result.out_dir / "report.docx")


@pytest.fixture(scope="module")
def body(parts):
    return xml(parts, "word/document.xml").find("w:body", NS)


def style(p) -> str | None:
    found = p.find("w:pPr/w:pStyle", NS)
    return None if found is None else found.get(w("val"))


def captions(body) -> list:
    return [p for p in body.iter(w("p")) if style(p) == "Caption"]


def bookmarks(root) -> dict[str, str]:
    """bookmark name → id of every bookmarkStart in ``root``."""
    return {b.get(w("name")): b.get(w("id")) for b in root.iter(w("bookmarkStart"))}


def targets(body) -> dict[str, tuple[str, str]]:
    """label → (bookmark name, number) from the numbered captions and the box title."""
    labels = {"Figure 1": "fig-gate", "Figure 2": "fig-yard", "Figure 3": "fig-map", "Table 1": "tbl-counts",
              "Box 1": "box-method"}
    found = {}
    for p in body.iter(w("p")):
        text = normal(shown(p))
        for field in fields(p):
            if field["instruction"].startswith("SEQ "):
                label = labels[text.split(":")[0]]
                names = [name for name in field["marks"] if name.startswith("_Ref")]
                assert len(names) == 1, text
                found[label] = (names[0], field["result"])
    return found


def test_each_figure_is_an_inline_picture_in_its_own_centred_paragraph(body):
    drawings = list(body.iter(w("drawing")))
    assert len(drawings) == 4  # the uncaptioned sketch too
    for drawing in drawings:
        p = next(drawing.iterancestors(w("p")))
        assert [etree.QName(child).localname for child in drawing] == ["inline"]  # in line with text, not floating
        assert len(list(p.iter(w("drawing")))) == 1 and shown(p) == ""  # alone in its paragraph
        assert p.find("w:pPr/w:jc", NS).get(w("val")) == "center"
        assert p.find("w:pPr/w:keepNext", NS) is not None  # kept with its caption
    described = [d.find("wp:inline/wp:docPr", NS).get("descr") for d in drawings]
    assert described == [GATE_ALT, SKETCH_ALT, YARD_ALT, MAP_ALT]
    ids = [d.find("wp:inline/wp:docPr", NS).get("id") for d in drawings]
    assert len(set(ids)) == len(ids)  # Word refuses a file whose drawings share an id
    # Each captioned picture is followed by its caption.
    following = [normal(shown(next(d.iterancestors(w("p"))).getnext())) for d in drawings]
    assert following[0] == "Figure 1: The main gate of the facility"
    assert following[2:] == ["Figure 2: The exercise yard", "Figure 3: A map of the district"]
    assert style(next(drawings[1].iterancestors(w("p"))).getnext()) != "Caption"  # no caption, no number


def test_each_image_is_a_resampled_jpeg_or_png_with_no_exif(parts, body):
    rels = xml(parts, "word/_rels/document.xml.rels")
    target = {rel.get("Id"): rel.get("Target") for rel in rels.iterfind("rel:Relationship", NS)}
    drawings = list(body.iter(w("drawing")))
    sizes = {}
    for drawing, (label, (_, _, alt, fraction, fmt)) in zip([drawings[0], drawings[2], drawings[3]], FIGURES.items()):
        assert drawing.find("wp:inline/wp:docPr", NS).get("descr") == alt
        embed = drawing.find(".//a:blip", NS).get(f"{{{NS['r']}}}embed")
        data = parts["word/" + target[embed]]
        image = Image.open(io.BytesIO(data))
        image.load()
        assert image.format == fmt, label
        assert not image.getexif() and "exif" not in image.info and b"Exif\x00\x00" not in data, label
        if fmt == "JPEG":
            assert b"\xff\xe1" not in data[:data.index(b"\xff\xda")], label  # no APP1 (EXIF, XMP) segment
        own = {"fig-gate": 4000, "fig-yard": 1200, "fig-map": 400}[label]
        assert image.width <= max_pixels(fraction, own), label
        extent = drawing.find("wp:inline/wp:extent", NS)
        cx, cy = int(extent.get("cx")), int(extent.get("cy"))
        assert cy / cx == pytest.approx(image.height / image.width, rel=0.01)  # proportions kept
        if fraction is not None:
            assert cx == pytest.approx(fraction * 16 * EMU_PER_CM, rel=0.001), label
        else:  # its own size at 96 dpi, as browsers show it
            assert cx == pytest.approx(400 / 96 * 2.54 * EMU_PER_CM, rel=0.001)
        sizes[label] = image.size
    # The 4000x3000 photograph was resampled to 300 dpi at 9.6 cm, not merely embedded.
    gate_w, gate_h = sizes["fig-gate"]
    assert gate_w >= 1100 and gate_h == round(gate_w * 0.75)
    assert sizes["fig-yard"] == (1200, 900) and sizes["fig-map"] == (400, 300)  # never upsampled


def test_captions_are_numbered_by_seq_fields_inside_ref_bookmarks(body):
    found = captions(body)
    assert [normal(shown(p)) for p in found] == [c for c in CAPTIONS if not c.startswith("Box")]
    for p, kind, number in zip(found, ["Figure", "Table", "Figure", "Figure"], ["1", "1", "2", "3"]):
        (field,) = fields(p)
        assert field["instruction"] == rf"SEQ {kind} \* ARABIC"
        assert field["result"] == number
        assert len([name for name in field["marks"] if name.startswith("_Ref")]) == 1
    names = [b.get(w("name")) for b in body.iter(w("bookmarkStart"))]
    ids = [b.get(w("id")) for b in body.iter(w("bookmarkStart"))]
    assert len(set(names)) == len(names) and len(set(ids)) == len(ids)
    assert sorted(ids) == sorted(b.get(w("id")) for b in body.iter(w("bookmarkEnd")))


def test_cross_references_are_ref_fields_to_the_targets_bookmarks(body):
    marks = targets(body)
    assert {label: number for label, (_, number) in marks.items()} == {
        "fig-gate": "1", "fig-yard": "2", "fig-map": "3", "tbl-counts": "1", "box-method": "1"}
    by_name = {name: label for label, (name, _) in marks.items()}
    seen = []
    for p in body.iter(w("p")):
        for field in fields(p):
            if field["instruction"].startswith("REF "):
                match = re.fullmatch(r"REF (_Ref\d+) \\h", field["instruction"])
                assert match, field
                label = by_name[match[1]]
                assert field["result"] == marks[label][1]
                seen.append(label)
    assert seen == ["fig-gate", "fig-gate", "fig-yard", "tbl-counts", "tbl-counts", "box-method",
                    "fig-map", "fig-gate", "fig-yard"]
    text = normal(" ".join(shown(p) for p in body.iter(w("p"))))
    for sentence in SENTENCES:
        assert sentence in text


def test_a_cross_reference_inside_a_footnote_is_a_ref_field_too(parts, body):
    marks = targets(body)
    notes = xml(parts, "word/footnotes.xml")
    (note,) = [n for n in notes.iterfind("w:footnote", NS) if "map is" in shown(n)]
    assert normal(shown(note)) == NOTE
    refs = [f for f in fields(note) if f["instruction"].startswith("REF ")]
    assert refs[0]["instruction"] == rf"REF {marks['fig-map'][0]} \h" and refs[0]["result"] == "3"
    # The section is referred to by its heading's text, bookmarked in the body.
    (heading,) = [p for p in body.iter(w("p")) if style(p) == "Heading2"]
    assert refs[1]["result"] == "Places" and normal(shown(heading)) == "Places"
    name = re.fullmatch(r"REF (_Ref\d+) \\h", refs[1]["instruction"])[1]
    assert name in bookmarks(heading)
    assert set(re.findall(r"_Ref\d+", " ".join(f["instruction"] for f in fields(note)))) <= set(bookmarks(body))


def test_a_captioned_table_has_seq_caption_tblcaption_header_row_and_right_aligned_cells(body):
    (caption,) = [p for p in captions(body) if shown(p).startswith("Table")]
    table = caption.getnext()
    assert table.tag == w("tbl")
    assert table.find("w:tblPr/w:tblCaption", NS).get(w("val")) == TABLE_CAPTION
    rows = table.findall("w:tr", NS)
    assert len(rows) == 3
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None  # repeated on each page
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])

    def aligned(column: int) -> list[str | None]:
        out = []
        for row in rows:
            jc = row.findall("w:tc", NS)[column].find("w:p/w:pPr/w:jc", NS)
            out.append(None if jc is None else jc.get(w("val")))
        return out

    assert [normal(shown(tc)) for tc in rows[0].findall("w:tc", NS)] == ["Year", "Place", "Detained"]
    assert aligned(2) == ["right", "right", "right"]  # |--:|
    assert aligned(1) in (["left"] * 3, ["start"] * 3)  # |:--|
    assert "right" not in aligned(0)


def test_a_box_is_a_framed_one_cell_table_with_a_numbered_title(body):
    tables = [t for t in body.iter(w("tbl")) if normal(shown(t)).startswith("Box 1:")]
    (box,) = tables
    cells = box.findall("w:tr/w:tc", NS)
    assert len(box.findall("w:tr", NS)) == 1 and len(cells) == 1
    borders = box.find("w:tblPr/w:tblBorders", NS)
    assert {etree.QName(b).localname: b.get(w("val")) for b in borders} == {
        "top": "single", "left": "single", "bottom": "single", "right": "single"}
    title, text = cells[0].findall("w:p", NS)[:2]
    assert normal(shown(title)) == f"Box 1: {BOX_TITLE}"
    (field,) = fields(title)
    assert field["instruction"] == r"SEQ Box \* ARABIC" and field["result"] == "1"
    assert normal(shown(text)) == "Each name was counted once, whatever the number of witnesses."
    # The callout is framed too, but has no number.
    (callout,) = [t for t in body.iter(w("tbl")) if normal(shown(t)).startswith("Warning")]
    assert not [f for f in fields(callout) if f["instruction"].startswith("SEQ")]


def _html_captions(out_dir) -> list[str]:
    page = lxml_html.fromstring((out_dir / "report.html").read_text(encoding="utf-8"))
    found = page.xpath("//figcaption | //table/caption | //aside[contains(@class, 'box')]/p[@class='box-title']")
    return [normal(e.text_content()) for e in found]


def _pdf_text(path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_the_numbers_are_the_same_in_docx_html_pdf_and_the_model(figure_build, body):
    _, result = figure_build
    numbers = model_numbers(result.out_dir)
    assert numbers == {"fig-gate": 1, "fig-yard": 2, "fig-map": 3, "tbl-counts": 1, "box-method": 1}
    docx = [normal(shown(p)) for p in body.iter(w("p"))
            if style(p) == "Caption" or normal(shown(p)).startswith("Box ")]
    assert docx == CAPTIONS
    assert _html_captions(result.out_dir) == CAPTIONS
    lines = [normal(line) for line in _pdf_text(result.out_dir / "report.pdf").splitlines()]
    assert [line for line in lines if re.match(r"(Figure|Table|Box) \d+: ", line)] == CAPTIONS
    pdf_text = normal(" ".join(lines))
    for sentence in SENTENCES:
        assert sentence in pdf_text
    assert NOTE in pdf_text


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_captions_references_and_images(figure_build, tmp_path):
    pdfplumber = pytest.importorskip("pdfplumber")
    _, result = figure_build
    env = {**os.environ, "HOME": str(tmp_path / "home")}  # a private LibreOffice profile
    subprocess.run([SOFFICE, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(result.out_dir / "report.docx")], check=True, capture_output=True, env=env, timeout=180)
    with pdfplumber.open(tmp_path / "report.pdf") as pdf:
        pages = [(page.extract_text() or "", page.images, page.extract_text_lines()) for page in pdf.pages]
    text = normal(" ".join(t for t, _, _ in pages))
    for caption in CAPTIONS:
        assert caption in text
    for sentence in SENTENCES:
        assert sentence in text
    assert "see Figure 2 for the yard" in text and NOTE in text
    images = [image for _, found, _ in pages for image in found]
    assert len(images) == 4
    # Each figure's caption is on its picture's page, right below it (keepNext).
    checked = []
    for _, found, lines in pages:
        for line in lines:
            if re.match(r"Figure \d+: ", normal(line["text"])):
                above = [im for im in found if im["bottom"] <= line["top"] + 1]
                assert above, line["text"]
                assert line["top"] - max(im["bottom"] for im in above) < 40, line["text"]
                checked.append(normal(line["text"]))
    assert checked == [c for c in CAPTIONS if c.startswith("Figure")]


def test_a_figure_inside_a_box_fits_inside_the_box(tmp_path):
    from tests.conftest import write_project
    from tests.render.figure_support import build_in, jpeg

    root = write_project(tmp_path / "project", {
        "report.yaml": "title: Boxed\nlanguage: en\nsections: [01-intro.md]\n",
        "sections/01-intro.md": "---\ntitle: Intro\n---\n\nSee @box-x and @fig-in.\n\n"
                                '::: {#box-x .box title="A box"}\n'
                                '![Inside the box](images/a.jpg){#fig-in fig-alt="A wide photograph"}\n:::\n',
        "images/a.jpg": jpeg((3000, 2000), quality=60)})
    result = build_in(root, ("docx",))
    body = xml(docx_parts(result.out_dir / "report.docx"), "word/document.xml").find("w:body", NS)
    (drawing,) = body.iter(w("drawing"))
    cell = next(drawing.iterancestors(w("tc")))
    table = next(cell.iterancestors(w("tbl")))
    margins = table.find("w:tblPr/w:tblCellMar", NS)
    room = int(cell.find("w:tcPr/w:tcW", NS).get(w("w")))
    room -= sum(int(margins.find(f"w:{side}", NS).get(w("w"))) for side in ("left", "right"))
    cx = int(drawing.find("wp:inline/wp:extent", NS).get("cx"))
    assert cx <= room * 635  # EMU per twip


def test_an_svg_figure_is_kept_as_svg_beside_its_png(tmp_path):
    """Word 2016+ shows the SVG (asvg:svgBlip); older readers the PNG made from it. The
    SVG's metadata never reaches the file."""
    from tests.conftest import write_project

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><metadata>Owner: J. Doe</metadata>'
           '<rect width="120" height="60" fill="teal"/></svg>')
    root = write_project(tmp_path / "project", {
        "sections/01-intro.md": '---\ntitle: Intro\n---\n\nSee @fig-chart, struck ~~out[@un-2020]~~.\n\n'
                                '![A chart](images/chart.svg){#fig-chart fig-alt="Two bars"}\n',
        "images/chart.svg": svg})
    out = build(root, ("docx",)).out_dir
    with zipfile.ZipFile(out / "report.docx") as archive:
        names = archive.namelist()
        document = archive.read("word/document.xml").decode("utf-8")
        svg_out = archive.read(next(n for n in names if n.endswith(".svg")))
        png_out = archive.read(next(n for n in names if n.startswith("word/media/") and n.endswith(".png")))
    assert "asvg:svgBlip" in document and 'descr="Two bars"' in document
    assert b"J. Doe" not in svg_out and b"<rect" in svg_out
    assert Image.open(io.BytesIO(png_out)).size[0] > 0


def test_pictures_are_parts_of_their_own_stored_as_they_are(figure_build, body):
    """One part a distinct image (the PNG shown twice is one part, named in order), and
    the JPEG and PNG members stored, not deflated again; every other member deflated."""
    _, result = figure_build
    with zipfile.ZipFile(result.out_dir / "report.docx") as archive:
        members = {info.filename: info for info in archive.infolist()}
    media = sorted(name for name in members if name.startswith("word/media/"))
    assert media == ["word/media/image1.jpg", "word/media/image2.png", "word/media/image3.jpg"]  # in reading order
    assert {members[name].compress_type for name in media} == {zipfile.ZIP_STORED}
    assert {info.compress_type for name, info in members.items() if name not in media} == {zipfile.ZIP_DEFLATED}
    embeds = [blip.get(f"{{{NS['r']}}}embed") for blip in body.iter(f"{{{NS['a']}}}blip")]
    assert len(embeds) == 4 and len(set(embeds)) == 3
