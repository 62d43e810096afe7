"""The shipped report submitted to a treaty body: ``venue: un-treaty-body`` added to its
report.yaml, as an author would. The venue numbers its paragraphs (it requires them), in
the DOCX's list numbering, the PDF's text and the HTML, and changes nothing else; what
the shipped report lacks for a submission is reported at report.yaml's lines, and
``report stats`` shows its counts beside the venue's limits."""

from __future__ import annotations

import json
import re
import zipfile

from click.testing import CliRunner
from pypdf import PdfReader

from report import model as m
from report.build import build, check, load
from report.cli import main
from tests.conftest import copy_shipped_project
from tests.test_numbered_paragraphs import docx_facts, html_facts, pdf_text


def _append(root, text: str):
    config = root / "report.yaml"
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")
    return root


def _numbered_texts(root) -> list[str]:
    document = load(root).document
    return [m.plain_text(b.children) for s in document.sections for b in s.blocks
            if isinstance(b, m.Paragraph) and b.number is not None]


def test_the_shipped_report_builds_for_a_treaty_body_with_its_paragraphs_numbered(tmp_path):
    root = _append(copy_shipped_project(tmp_path / "submission"), "venue: un-treaty-body\n")
    venue_line = len((root / "report.yaml").read_text(encoding="utf-8").splitlines())
    _, found = check(root)
    assert sorted(d.format() for d in found if d.code.startswith("VEN")) == [
        "report.yaml:16:1: warning[VEN004]: un-treaty-body accepts docx, pdf only; outputs also lists html "
        "(outputs: [docx, pdf], or ignore VEN004 when the others are for publishing elsewhere)",
        f"report.yaml:{venue_line}:1: warning[VEN002]: un-treaty-body requires a contact, name and email "
        "(add submission: {contact: …})",
        f"report.yaml:{venue_line}:1: warning[VEN002]: un-treaty-body requires the State under review "
        "(add submission: {state: …})",
        f"report.yaml:{venue_line}:1: warning[VEN002]: un-treaty-body requires the committee "
        "(add submission: {committee: …})",
        f"report.yaml:{venue_line}:1: warning[VEN002]: un-treaty-body requires the session "
        "(add submission: {session: …})",
    ]
    assert not [d for d in found if d.severity.label == "error"]

    texts = _numbered_texts(root)
    assert len(texts) == 16
    out = build(root).out_dir
    levels, numbered, _, _ = docx_facts(out / "report.docx")
    assert levels[0] == ("decimal", "%1.", "NumberedParagraph")  # Word's own list numbering
    assert [t[:40] for t in numbered] == [t[:40] for t in texts]
    pdf = re.sub(r"\s+", " ", pdf_text(out / "report.pdf"))
    for number, text in enumerate(texts, start=1):
        words = " ".join(text.split()[:3])
        assert f"{number}. {words}" in pdf, (number, words)
    numbers, _ = html_facts(out / "report.html")
    assert [number for number, _ in numbers] == [f"{k}." for k in range(1, 17)]

    # The venue changes nothing but the numbering: the same document as `paragraphs: numbered`.
    numbered_root = _append(copy_shipped_project(tmp_path / "numbered"), "paragraphs: numbered\n")
    plain_numbered = build(numbered_root, ("docx",)).out_dir
    assert (out / "model.json").read_bytes() == (plain_numbered / "model.json").read_bytes()
    with zipfile.ZipFile(out / "report.docx") as a, zipfile.ZipFile(plain_numbered / "report.docx") as b:
        assert a.read("word/document.xml") == b.read("word/document.xml")

    result = CliRunner().invoke(main, ["stats", "--project", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["numbered_paragraphs"] == 16 and data["pages"]["pdf"] == len(PdfReader(out / "report.pdf").pages)
    venue = data["venue"]
    assert venue["counts"] == ["body", "notes"]
    assert venue["counted_words"] == data["words"]["body"] + data["words"]["notes"] <= venue["word_limit"] == 3300
    assert sorted({d["code"] for d in venue["unmet"]}) == ["VEN002", "VEN004"]


def test_with_its_opening_information_and_word_and_pdf_only_it_meets_every_rule(tmp_path):
    root = copy_shipped_project(tmp_path / "submission")
    config = root / "report.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("outputs: [docx, pdf, html]", "outputs: [docx, pdf]")
                      + "venue: un-treaty-body\nsubmission:\n  committee: Committee against Torture\n"
                        "  state: Armenia\n  session: 80\n  contact: Jane Doe, jane@example.org\n", encoding="utf-8")
    _, found = check(root)
    assert not [d.format() for d in found if d.code.startswith("VEN")]
    lines = CliRunner().invoke(main, ["stats", "--project", str(root)]).stdout.splitlines()
    assert "unmet (report check says the same):" not in lines
    assert "  formats     docx, pdf: met" in lines and "  paragraphs  numbered: met" in lines
