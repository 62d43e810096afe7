"""Links to places in the report, ``[text](#id)`` as Pandoc writes them: a link in
the HTML and the PDF, a hyperlink to a bookmark on the target in the DOCX; a link
to an id nothing has, or to a local file, is refused where it is written."""

from __future__ import annotations

import zipfile

from click.testing import CliRunner
from lxml import etree
from lxml import html as lxml_html
from pypdf import PdfReader

from report.cli import main
from tests.conftest import write_project

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

SECTIONS = {
    "report.yaml": "title: T\nlanguage: en\nsections: [01-a.md, 02-b.md]\ncitation-style: templates/notes.csl\n",
    "sections/01-a.md": "---\ntitle: Findings\nid: sec-findings\n---\n\n## How we counted {#method}\n\n"
                        "Each name once.\n\nA paragraph to point at. {#para-x}\n\n"
                        "A [named place]{#place} in the text.\n",
    "sections/02-b.md": "---\ntitle: Annex\n---\n\nSee [the method](#method), [that paragraph](#para-x), "
                        "[the place](#place) and [the findings](#sec-findings); also @sec-findings.\n",
}


def _build(tmp_path, files):
    root = write_project(tmp_path / "p", {**files, "sections/01-intro.md": None})
    return root, CliRunner().invoke(main, ["build", "-p", str(root)])


def test_internal_links_reach_their_targets_in_every_format(tmp_path):
    root, result = _build(tmp_path, SECTIONS)
    assert result.exit_code == 0, result.stderr
    out = root / "build" / "en" / "public"
    page = lxml_html.fromstring((out / "report.html").read_bytes())
    links = {a.text_content(): a.get("href") for a in page.xpath("//main//a[starts-with(@href, '#')]")}
    for text, target in (("the method", "method"), ("that paragraph", "para-x"), ("the place", "place"),
                         ("the findings", "sec-findings")):
        assert links[text] == f"#{target}"
        assert page.get_element_by_id(target) is not None
    with zipfile.ZipFile(out / "report.docx") as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    marks = {b.get(f"{W}name"): b for b in body.iter(f"{W}bookmarkStart")}
    anchors = {"".join(t.text for t in h.iter(f"{W}t")): h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink")
               if h.get(f"{W}anchor", "").startswith("_Ref")}
    for text, shown in (("the method", "How we counted"), ("that paragraph", "A paragraph to point at."),
                        ("the place", "named place"), ("the findings", "Findings")):
        start = marks[anchors[text]]
        texts, node = [], start.getnext()
        while node is not None and not (node.tag == f"{W}bookmarkEnd" and node.get(f"{W}id") == start.get(f"{W}id")):
            texts += [t.text for t in node.iter(f"{W}t")]
            node = node.getnext()
        assert shown in "".join(texts), text
    # @sec-findings names an unnumbered section: a REF field to the bookmark on its title.
    instructions = [i.text for i in body.iter(f"{W}instrText") if i.text.strip().startswith("REF")]
    assert instructions and all(i.split()[1] in marks for i in instructions)
    pdf = PdfReader(out / "report.pdf")
    internal = [a for p in pdf.pages for a in (p.get("/Annots") or []) if a.get_object().get("/Dest") is not None
                or (a.get_object().get("/A") or {}).get("/S") == "/GoTo"]
    assert len(internal) >= 5  # four links and the cross-reference (and the contents)


def test_a_link_to_an_unknown_id_or_a_local_file_is_refused_where_it_is_written(tmp_path):
    files = {**SECTIONS, "sections/02-b.md": "---\ntitle: Annex\n---\n\nSee [nothing](#metod) and [the annex](annex.pdf).\n"}
    root, result = _build(tmp_path, files)
    assert result.exit_code == 1
    lines = [l for l in result.stderr.splitlines() if "error[" in l]
    assert any(l.startswith("sections/02-b.md:5:5: error[XRF001]") and "'#metod'" in l and "method" in l for l in lines)
    assert any(l.startswith("sections/02-b.md:5:27: error[MD021]") and "annex.pdf" in l for l in lines)
    assert not (root / "build").exists() or not list((root / "build").rglob("report.html"))
