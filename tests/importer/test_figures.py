"""Figures, captions and cross-references: a Word file's pictures become figures, its
SEQ-numbered captions their captions (without "Figure 1: ", which the build writes),
and its REF fields to them ``@fig-…`` references, built back into a picture with the
same alternative text."""

from __future__ import annotations

import io
import re
import socket
import zipfile

import pytest
import yaml
from lxml import etree

from report.build import build, check
from report.diagnostics import Severity
from report.importer import Limits, import_docx
from tests.importer.figure_docs import ALT, gate_document, part, png, rewrite, table_document
from tests.importer.support import read_docx, rebuild, squeeze

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
RELS = "word/_rels/document.xml.rels"
LABEL = "fig-gate-of-the-prison"
FIGURE = f'![Gate of the prison](images/figure-1.png){{#{LABEL} fig-alt="{ALT}" width=52%}}'


def section(project) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((project / "sections").glob("*.md")))


@pytest.fixture(scope="module")
def gate(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gate")
    source = gate_document(tmp / "in.docx")
    result = import_docx(source, tmp / "out")
    return {"result": result, "source": source, "project": tmp / "out"}


def test_picture_caption_and_reference_become_markdown(gate):
    assert section(gate["project"]) == ("---\ntitle: Findings\n---\n\n"
                                        f"As @{LABEL} shows, the gate is closed.\n\n{FIGURE}\n\nThe end.\n")
    assert "kept: 1 image" in gate["result"].statements


def test_the_image_is_written_under_a_name_of_the_import(gate):
    written = gate["project"] / "images" / "figure-1.png"
    assert written.read_bytes() == part(gate["source"], "word/media/image1.png")
    assert written.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert sorted(p.name for p in (gate["project"] / "images").iterdir()) == ["figure-1.png"]


def test_the_imported_project_builds_a_picture_with_its_alt_text(gate):
    loaded, found = check(gate["project"])
    assert not [d for d in found if d.severity is Severity.ERROR]
    result = build(gate["project"], ("docx", "html"))
    data = (result.out_dir / "report.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        assert any(n.startswith("word/media/") for n in archive.namelist())
    assert [d.get("descr") for d in document.iter(f"{{{WP}}}docPr")] == [ALT]
    html = (result.out_dir / "report.html").read_text(encoding="utf-8")
    assert f'<figure class="figure numbered" id="{LABEL}">' in html
    assert f'alt="{ALT}" style="width: 52%">' in html
    text = " ".join(re.sub(r"<[^>]+>", "", html).split())
    assert "As Figure 1 shows, the gate is closed. Figure 1: Gate of the prison" in text
    assert f'href="#{LABEL}"' in html
    assert squeeze(read_docx(data, rebuilt=True)["body"]) == squeeze(read_docx(gate["source"].read_bytes())["body"])


@pytest.mark.parametrize("typed, result", [("As Figure ", "1"), ("As figure ", "1"), ("As ", "Figure 1")])
def test_the_words_the_build_prints_are_not_doubled(tmp_path, typed, result):
    project = tmp_path / "out"
    import_docx(gate_document(tmp_path / "in.docx", result, typed), project)
    assert f"As @{LABEL} shows" in section(project)


def test_a_number_alone_stays_a_number(tmp_path):
    project = tmp_path / "out"
    import_docx(gate_document(tmp_path / "in.docx", "1", "In the first image (no. "), project)
    assert f"(no. [-@{LABEL}] shows" in section(project)


def test_table_caption_and_simple_fields(tmp_path):
    project = tmp_path / "out"
    import_docx(table_document(tmp_path / "in.docx"), project)
    label = "tbl-journalists-held-by-quarter"
    assert section(project).endswith(
        f"See @{label} for the counts.\n\n| Quarter | Held |\n| --- | --- |\n| January–March | 4 |\n\n"
        f": Journalists held, by quarter {{#{label}}}\n\nAs @{label} shows, four were held.\n")
    # The same text, but "table 1" is now "Table 1": the build writes the word.
    original = read_docx((tmp_path / "in.docx").read_bytes())
    assert squeeze(read_docx(rebuild(project), rebuilt=True)["body"]) == squeeze(original["body"]).replace("Astable", "AsTable")


def _drop(tmp_path, changes: dict, limits: Limits = Limits()):
    source = gate_document(tmp_path / "in.docx")
    rels = part(source, RELS).decode()
    rewrite(source, {name: (value(rels).encode() if callable(value) else value) for name, value in changes.items()})
    project = tmp_path / "out"
    result = import_docx(source, project, limits=limits)
    return result.statements, section(project), project


IMAGE_REL = re.compile(r'Target="media/image1\.png"')
HOSTILE = {
    "missing part": ({"word/media/image1.png": None}, "image whose part is missing"),
    "a relationship to nothing": ({RELS: lambda rels: rels.replace('Id="rId', 'Id="xId')},
                                  "image whose relationship is missing"),
    "external target": ({RELS: lambda rels: IMAGE_REL.sub('Target="http://127.0.0.1:9/x.png" TargetMode="External"',
                                                          rels)}, "linked image (never fetched)"),
    "not an image": ({"word/media/image1.png": b"<html><body>not a picture</body></html>"},
                     "image not in PNG, JPEG or SVG"),
    "an EMF picture": ({"word/media/image1.png": b"\x01\x00\x00\x00" + b"\x00" * 36 + b" EMF" + b"\x00" * 60},
                       "image not in PNG, JPEG or SVG"),
    "a truncated PNG": ({"word/media/image1.png": png()[:60]}, "corrupt or oversized image"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_an_image_that_cannot_be_kept_is_dropped_and_counted(tmp_path, monkeypatch, case):
    def no_network(*args, **kwargs):
        raise AssertionError("the import opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    changes, counted = HOSTILE[case]
    statements, text, project = _drop(tmp_path, changes)
    assert f"dropped: 1 {counted}" in statements
    assert "![" not in text and not (project / "images").exists()
    # The caption of a picture that is not kept stays a paragraph, as written; the
    # reference keeps its text.
    assert "As Figure 1 shows, the gate is closed.\n\nFigure 1: Gate of the prison\n" in text


def test_a_huge_image_part_is_dropped_unread(tmp_path):
    statements, text, _ = _drop(tmp_path, {"word/media/image1.png": png(2000, 2000, (1, 2, 3)) + b"\0" * 50_000},
                                Limits(image_bytes=40_000))
    assert "dropped: 1 image over 40000 bytes" in statements
    assert "![" not in text


def test_an_image_part_that_lies_about_its_size_is_an_error(tmp_path):
    from report.errors import ReportError

    source = gate_document(tmp_path / "in.docx")
    data = bytearray(source.read_bytes())
    image = part(source, "word/media/image1.png")
    real = len(image).to_bytes(4, "little")
    for at in [mt.start() for mt in re.finditer(re.escape(real), bytes(data))]:
        data[at:at + 4] = (10).to_bytes(4, "little")  # declared 10 bytes, inflates to more
    source.write_bytes(bytes(data))
    with pytest.raises(ReportError) as caught:
        import_docx(source, tmp_path / "out")
    assert caught.value.diagnostics[0].code in ("IMP002", "IMP004")
    assert not (tmp_path / "out").exists()


def test_labels_are_unique_and_the_shipped_scaffold_round_trips(tmp_path):
    from click.testing import CliRunner

    from report.cli import main

    assert CliRunner().invoke(main, ["new", str(tmp_path / "new")]).exit_code == 0
    data = rebuild(tmp_path / "new")
    (tmp_path / "in.docx").write_bytes(data)
    result = import_docx(tmp_path / "in.docx", tmp_path / "out")
    text = section(tmp_path / "out")
    assert "@tbl-journalists-held-at gives the counts, @fig-journalists-held-in-each shows them" in text
    assert "\n: Journalists held at checkpoints in 2024, by quarter {#tbl-journalists-held-at}\n" in text
    assert re.search(r"\n!\[Journalists held in each quarter of 2024\]\(images/figure-1\.png\)"
                     r"\{#fig-journalists-held-in-each fig-alt=\"A bar chart [^\"]+\" width=60%\}\n", text)
    assert "kept: 1 image" in result.statements
    assert squeeze(read_docx(rebuild(tmp_path / "out"), rebuilt=True)["body"]) == squeeze(read_docx(data)["body"])
    config = yaml.safe_load((tmp_path / "out" / "report.yaml").read_text(encoding="utf-8"))
    assert config["title"]


TRICKY_ALT = ['He said "stop" {#x .y} and left', "a back\\slash at the end \\", "*not* _emphasis_ [@key] ^[note] $x$",
              "<b>tag</b> &amp; ~~gone~~ @fig-x", "width=10% }{ '\"'"]


@pytest.mark.parametrize("alt", TRICKY_ALT)
def test_alt_text_is_written_so_it_reads_back_as_itself(alt):
    from report import model as m
    from report.diagnostics import Location
    from report.importer.markdown import MarkdownWriter, _parse, signature

    here = Location("sections/x.md", 1, 1)
    figure = m.Figure("images/figure-1.png", (m.Text("A [caption] *", here),), alt, here, "fig-a", "40%")
    writer = MarkdownWriter()
    assert signature(_parse(writer.write_block(figure))) == signature([figure]) and writer.degraded == 0


def test_alt_text_reaches_the_built_picture(tmp_path):
    from tests.importer.figure_docs import picture

    import docx

    document = docx.Document()
    document.add_heading("Findings", 1)
    for alt in TRICKY_ALT:
        picture(document, png(), alt=alt)
    document.save(tmp_path / "in.docx")
    import_docx(tmp_path / "in.docx", tmp_path / "out")
    with zipfile.ZipFile(io.BytesIO(rebuild(tmp_path / "out"))) as archive:
        document_xml = etree.fromstring(archive.read("word/document.xml"))
    assert [d.get("descr") for d in document_xml.iter(f"{{{WP}}}docPr")] == [" ".join(a.split()) for a in TRICKY_ALT]


def test_the_command_says_what_it_kept_and_force_replaces_the_images(tmp_path):
    from click.testing import CliRunner

    from report.cli import main

    project = tmp_path / "project"
    first = CliRunner().invoke(main, ["import", str(gate_document(tmp_path / "a.docx")), "--into", str(project)])
    assert first.exit_code == 0 and "  kept: 1 image\n" in first.output
    (project / "images" / "mine.png").write_bytes(png())
    source = gate_document(tmp_path / "b.docx")
    rewrite(source, {"word/media/image1.png": png(30, 20, (0, 0, 200))})
    again = CliRunner().invoke(main, ["import", str(source), "--into", str(project), "--force"])
    assert again.exit_code == 0, again.output
    assert (project / "images" / "figure-1.png").read_bytes() == png(30, 20, (0, 0, 200))
    assert (project / "images" / "mine.png").is_file()  # the rest is kept


def test_drops_are_counted_in_the_plural():
    from report.importer.log import ImportLog

    log = ImportLog()
    for what in ("image whose part is missing", "linked image (never fetched)", "image in a note or a table",
                 "chart, shape or other drawing", "image over 50 MB"):
        log.count("dropped", what, 2)
    log.count("kept", "image", 3)
    assert log.statements() == [
        "dropped: 2 charts, shapes or other drawings, 2 images in notes or tables, 2 images over 50 MB, "
        "2 images whose part is missing, 2 linked images (never fetched)", "kept: 3 images"]
