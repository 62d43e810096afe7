"""`report check` on the shipped report: no errors, and exactly the warnings the README lists."""

from __future__ import annotations

import csv
import io
import re

from click.testing import CliRunner

from report.build import build, check
from report.cli import main
from tests.conftest import REPO, copy_shipped_project


def test_shipped_report_checks_without_errors_and_readme_lists_its_warnings():
    result = CliRunner().invoke(main, ["check", "--project", str(REPO)])
    assert result.exit_code == 0, result.stderr
    found = sorted({line.split(": ")[1] + " " + line.split("'")[1] for line in result.stderr.splitlines()})
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Warnings that remain on the shipped report", 1)[1].split("\n## ", 1)[0]
    listed = sorted(set(re.findall(r"`(warning\[[A-Z]+\d+\] [\w-]+)`", section)))
    assert found == listed


def test_every_argued_provision_is_backed_by_an_incident():
    loaded, found = check(REPO)
    assert not [d for d in found if d.code.startswith(("TRE", "INC"))]
    assert len(loaded.treaties.incidents) >= 10


def test_evidence_matrix_lists_incidents_with_their_note_numbers(tmp_path):
    root = copy_shipped_project(tmp_path / "shipped")
    (root / "references").mkdir(exist_ok=True)
    out = build(root, ("html",)).out_dir
    rows = list(csv.reader(io.StringIO((out / "evidence.csv").read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["incident", "summary", "date"]
    assert "cat:16" in header and "gc3:13" in header
    by_id = {row[0]: dict(zip(header, row)) for row in body}
    # the Khojaly captives are sourced by note 2 (HRW 1992, pp. 42–43)
    assert by_id["khojaly-captives-beaten"]["cat:16"] == "2"
    assert by_id["khojaly-captives-beaten"]["gc3:13"] == ""
    assert "<table>" in (out / "evidence.html").read_text(encoding="utf-8")


def test_evidence_matrix_annex_in_every_output(tmp_path):
    import zipfile

    import pdfplumber
    from lxml import html

    root = copy_shipped_project(tmp_path / "annex")
    config = root / "report.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "annex:\n  evidence-matrix: true\n", encoding="utf-8")
    out = build(root).out_dir
    page = html.fromstring((out / "report.html").read_bytes())
    table = page.xpath("//section[h1[@id='annex-evidence-matrix']]//table")[0]
    heads = [th.text_content() for th in table.xpath(".//thead//th")]
    assert heads[:3] == ["Incident", "CAT 1", "CAT 2"] and "GC III 13" in heads
    assert len(table.xpath(".//tbody/tr")) == len(check(root)[0].treaties.incidents)
    with zipfile.ZipFile(out / "report.docx") as archive:
        document = archive.read("word/document.xml").decode("utf-8")
    assert document.count("<w:tbl>") == 1 and "Annex: Evidence matrix" in document
    with pdfplumber.open(out / "report.pdf") as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages)
    assert "Annex: Evidence matrix" in text and "CAT" in text
