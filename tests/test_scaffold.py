"""`report new`'s example of figures, tables, boxes and cross-references: the chart it
draws, and what each output makes of them (the project's other features and its clean
check and build are tested in tests/test_cli_consistency.py)."""

from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib

import pytest
from click.testing import CliRunner

from report.cli import main
from report.scaffold import CHART, CHART_COUNTS, chart_png, new_project

ALT = ("A bar chart of the journalists held at checkpoints in each quarter of 2024: "
       "four, two, three and two.")
SENTENCE = "Table 1 gives the counts, Figure 1 shows them as a chart, and Box 1 explains"


def visible(markup: str) -> str:
    """The text of an HTML page as a reader sees it: tags dropped, spaces collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", text)
    return re.sub(r" ([.,:;)])", r"\1", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("scaffold") / "demo"
    runner = CliRunner()
    assert runner.invoke(main, ["new", str(root)]).exit_code == 0
    check = runner.invoke(main, ["check", "-p", str(root), "--format", "json"])
    assert check.exit_code == 0 and check.output.strip() == "[]", check.output
    build = runner.invoke(main, ["build", "-p", str(root)])
    assert build.exit_code == 0 and "warning" not in build.output and "info" not in build.output, build.output
    return root


def test_the_chart_is_a_png_drawn_in_code_the_same_every_time(tmp_path):
    data = chart_png()
    assert data == chart_png() and data.startswith(b"\x89PNG\r\n\x1a\n")
    chunks, at = [], 8
    while at < len(data):
        size, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + size]
        assert struct.unpack(">I", data[at + 8 + size:at + 12 + size])[0] == zlib.crc32(kind + body)
        chunks.append((kind, body))
        at += 12 + size
    assert [kind for kind, _ in chunks] == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]  # no text, time or EXIF
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (width, height, depth, colour) == (960, 540, 8, 3)
    rows = zlib.decompress(chunks[2][1])
    assert len(rows) == height * (width + 1)
    assert len(data) < 8000  # small enough to ship in every new project
    new_project(tmp_path / "demo")
    assert (tmp_path / "demo" / CHART).read_bytes() == data


def test_the_bars_are_the_tables_counts(tmp_path):
    """The chart shows the column it says it shows: each bar's height against the grid."""
    data = chart_png()
    idat = data[data.index(b"IDAT") + 4:data.index(b"IEND") - 8]
    rows = zlib.decompress(idat)
    width = 960
    bar_colour = 3
    column = [rows[y * (width + 1) + 1:(y + 1) * (width + 1)] for y in range(540)]
    heights = []
    for i in range(len(CHART_COUNTS)):
        x = 110 + i * ((width - 40 - 110) // 4) + ((width - 40 - 110) // 4) // 2
        heights.append(sum(1 for row in column if row[x] == bar_colour))
    step = heights[0] / CHART_COUNTS[0]
    assert [round(h / step) for h in heights] == list(CHART_COUNTS)
    new_project(tmp_path / "demo")
    text = (tmp_path / "demo" / "sections" / "01-introduction.md").read_text(encoding="utf-8")
    held = [int(line.split("|")[2]) for line in text.splitlines() if re.match(r"\| \w+–\w+ ", line)]
    assert held == list(CHART_COUNTS)


def test_the_section_writes_a_figure_a_captioned_table_a_box_and_references_to_them(tmp_path):
    new_project(tmp_path / "demo")
    text = (tmp_path / "demo" / "sections" / "01-introduction.md").read_text(encoding="utf-8")
    assert f"![Journalists held in each quarter of 2024]({CHART}){{#fig-held width=60% fig-alt=\"{ALT}\"}}" in text
    assert ": Journalists held at checkpoints in 2024, by quarter {#tbl-held}" in text
    assert '::: {#box-counting .box title="What the monitor counts"}' in text
    assert "@tbl-held" in text and "@fig-held" in text and "@box-counting" in text
    # The lines the guides and the tests point at stay where they were.
    assert text.splitlines()[7].startswith("footnote[@example-monitor-2024, p. 12]")
    assert text.count("five days") == 1


def test_the_html_has_the_figure_with_its_alternative_text_and_the_numbers(built):
    page = (built / "build" / "en" / "report.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure class="figure numbered" id="fig-held">(.*?)</figure>', page, re.S)
    assert figure, "no numbered figure"
    img = re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="([^"]*)" style="width: 60%">',
                    figure.group(1))
    assert img and html.unescape(img.group(1)) == ALT
    caption = visible(re.search(r"<figcaption>(.*?)</figcaption>", figure.group(1), re.S).group(1)).strip()
    assert caption == "Figure 1: Journalists held in each quarter of 2024"  # the caption is not the alt text
    text = visible(page)
    assert SENTENCE in text
    assert "Table 1: Journalists held at checkpoints in 2024, by quarter" in text
    assert "Box 1: What the monitor counts" in text
    for label in ("tbl-held", "fig-held", "box-counting"):
        assert f'<a class="xref" href="#{label}">1</a>' in page
    assert re.search(r'<th scope="col" style="text-align: right">Journalists held</th>', page)  # "--:"


def test_the_docx_numbers_captions_with_seq_fields_and_refers_with_ref_fields(built):
    with zipfile.ZipFile(built / "build" / "en" / "report.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
        media = [name for name in docx.namelist() if name.startswith("word/media/")]
    assert len(media) == 1 and media[0].endswith(".png")
    for kind in ("Figure", "Table", "Box"):
        field = re.search(rf"<w:instrText[^>]*> SEQ {kind} \\\* ARABIC </w:instrText>.*?<w:t[^>]*>(\d+)</w:t>", xml)
        assert field and field.group(1) == "1", kind  # pre-filled: right when the file is opened
    marks = dict(re.findall(r'<w:bookmarkStart w:id="(\d+)" w:name="(_Ref\d{9})"/>', xml))
    refs = re.findall(r"<w:instrText[^>]*> REF (_Ref\d{9}) \\h </w:instrText>.*?<w:t[^>]*>([^<]*)</w:t>", xml)
    assert len(refs) == 3 and all(number == "1" for _, number in refs)
    assert {name for name, _ in refs} <= set(marks.values())  # each REF names a bookmark of the file
    assert xml.count('<w:pStyle w:val="Caption"/>') == 2  # the figure's and the table's captions
    descr = re.search(r'<wp:docPr [^>]*descr="([^"]*)"', xml)
    assert descr and html.unescape(descr.group(1)) == ALT
    paragraphs = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p[ >].*?</w:p>", xml)]
    assert any(SENTENCE in html.unescape(p).replace("\u00a0", " ") for p in paragraphs)


def test_the_pdf_shows_the_same_numbers(built):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO((built / "build" / "en" / "report.pdf").read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " "))
    assert "Table 1 gives the counts, Figure 1 shows them as a chart, and Box 1" in text
    assert "Figure 1: Journalists held in each quarter of 2024" in text
    assert "Table 1: Journalists held at checkpoints in 2024, by quarter" in text
    assert "Box 1: What the monitor counts" in text
