"""`report new`'s example of figures, tables, boxes and cross-references: the chart it
draws, and what each output makes of them (the project's other features and its clean
check and build are tested in tests/test_cli_consistency.py)."""

from __future__ import annotations

import html
import io
import re
import zipfile

import pytest
from click.testing import CliRunner
from PIL import Image

from report.cli import main
from report.images import probe
from report.scaffold import CHART, CHART_COUNTS, chart_png, new_project
from tests.images.support import chunk_types

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
    # Less the PDF004 note any WeasyPrint but the pinned one gives (tests/render/weasyprint_support.py).
    output = "\n".join(line for line in build.output.splitlines() if "info[PDF004]" not in line)
    assert build.exit_code == 0 and "warning" not in output and "info" not in output, build.output
    return root


def test_the_chart_is_a_png_drawn_in_code_the_same_every_time(tmp_path):
    data = chart_png()
    assert data == chart_png()
    assert len(data) < 8000  # small enough to ship in every new project
    new_project(tmp_path / "demo")
    written = tmp_path / "demo" / CHART
    found = probe(written)
    assert (found.format, found.width_px, found.height_px, found.findings) == ("png", 960, 540, ())
    assert chunk_types(written.read_bytes()) == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]  # no text, time or EXIF
    with Image.open(written) as image:
        image.load()  # whole: every chunk's CRC and the image data check out
        assert (image.mode, image.size) == ("P", (960, 540))


def test_the_bars_are_the_tables_counts(tmp_path):
    """The chart shows the column it says it shows: each bar's height against the grid."""
    image = Image.open(io.BytesIO(chart_png()))
    width, height = image.size
    bar_colour = (46, 94, 140)
    pixels = image.convert("RGB").load()
    heights = []
    for i in range(len(CHART_COUNTS)):
        x = 110 + i * ((width - 40 - 110) // 4) + ((width - 40 - 110) // 4) // 2
        heights.append(sum(1 for y in range(height) if pixels[x, y] == bar_colour))
    step = heights[0] / CHART_COUNTS[0]
    assert [round(h / step) for h in heights] == list(CHART_COUNTS)
    new_project(tmp_path / "demo")
    text = (tmp_path / "demo" / "sections" / "01-introduction.md").read_text(encoding="utf-8")
    held = [int(line.split("|")[2]) for line in text.splitlines() if re.match(r"\| \w+–\w+ ", line)]
    assert held == list(CHART_COUNTS)


def test_the_lines_the_guides_and_the_tests_point_at_stay_where_they_were(tmp_path):
    new_project(tmp_path / "demo")
    text = (tmp_path / "demo" / "sections" / "01-introduction.md").read_text(encoding="utf-8")
    assert text.splitlines()[7].startswith("footnote[@example-monitor-2024, p. 12]")
    assert text.count("five days") == 1


def test_the_html_has_the_figure_with_its_alternative_text_and_the_numbers(built):
    page = (built / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")
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
    with zipfile.ZipFile(built / "build" / "en" / "public" / "report.docx") as docx:
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

    reader = PdfReader(io.BytesIO((built / "build" / "en" / "public" / "report.pdf").read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages).replace("\u00a0", " "))
    assert "Table 1 gives the counts, Figure 1 shows them as a chart, and Box 1" in text
    assert "Figure 1: Journalists held in each quarter of 2024" in text
    assert "Table 1: Journalists held at checkpoints in 2024, by quarter" in text
    assert "Box 1: What the monitor counts" in text
