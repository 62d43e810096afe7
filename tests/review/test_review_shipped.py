"""`report review` on the shipped report: a DOCX built from it, edited the way Word records
a review (tracked insertions, deletions and moves with runs split mid-word, a deleted
note call, a change made without tracking, comments across runs and in a note), then
read back: each change and comment printed at its place in the Markdown, a patch
`git apply` takes, and --apply giving sources whose rebuild shows exactly the text of
the reviewed file with every change accepted."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from report.build import build
from report.buildid import build_identity
from tests.diff.docx_revisions import resolve, wa
from tests.review import word_edits as we
from tests.review.conftest import S1, S2, S3, S4, S5, S6, at, note, review_edits, reviewed, run_review

SOFFICE = shutil.which("soffice")


def _shown(element) -> str:
    """The text of a paragraph or note as a reader sees it (a page break shows nothing)."""
    out = []
    for node in element.iter(wa("t"), wa("tab"), wa("br")):
        if node.tag == wa("t"):
            out.append(node.text or "")
        elif node.tag == wa("tab"):
            out.append("\t")
        elif node.get(wa("type")) not in ("page", "column"):
            out.append("\n")
    return "".join(out)


def _contents(p) -> bool:
    style = p.find(f"{wa('pPr')}/{wa('pStyle')}")
    return style is not None and style.get(wa("val"), "").startswith(("TOC", "Contents"))


def accepted_texts(docx: bytes) -> tuple[list[str], list[str]]:
    """(body paragraphs, notes in calling order) with every revision accepted as Word
    accepts them: moved-from text goes, moved-to text stays. The contents (a field Word
    recomputes; "TOC1" in our files, "Contents1" once LibreOffice saved them) and empty
    paragraphs are left out."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        notes = etree.fromstring(archive.read("word/footnotes.xml"))
    for root in (body, notes):
        for old, new in (("moveFrom", "del"), ("moveTo", "ins")):
            for element in root.iter(wa(old)):
                element.tag = wa(new)
        resolve(root, accept=True)
    paragraphs = [_shown(p) for p in body.iter(wa("p")) if not _contents(p) and _shown(p).strip()]
    by_id = {n.get(wa("id")): n for n in notes.iter(wa("footnote"))}
    return paragraphs, [_shown(by_id[r.get(wa("id"))]) for r in body.iter(wa("footnoteReference"))]


def expected_lines(root) -> list[str]:
    return [
        f"{at(root, S2, 'A September 1992', 5)}: comment[Reviewer A, 2026-12-01]: Source for this date?",
        f'{at(root, S2, "killed", 5)}: change[Reviewer A]: "killed" → "executed"',
        f'{at(root, S2, "[@hrw-1994-seven-years, pp. 15–16]", 9)}: change[Reviewer A]: "Armenian forces[note]" → "Armenian forces"',
        f'{at(root, S3, "under-researched", 5)}: change[Reviewer B]: "and under-researched" → '
        f'"and deeply under-researched"',
        f"{at(root, S3, 'and reports of the', 10)}: comment[Reviewer B, 2026-12-01]: Which reports?",
        f'{at(root, S3, "other international", 10)}: change[Reviewer B]: "and other international" → '
        f'"and international" in note 6',
        f'{at(root, S4, "prisoners of war were severely", 7)}: untracked: "prisoners of war" → "soldiers"',
        f'{at(root, S5, " As of today", 5)}: change[Reviewer A]: "families. As of today," → "families."',
        f'{at(root, S6, "prompt and", 5)}: move[Reviewer C]: "conduct prompt and impartial" → "conduct impartial"',
        f'{at(root, S6, ". The lack of", 5)}: move[Reviewer C]: "of torture" → "of torture promptly"',
    ]


def test_the_docx_names_its_build(project):
    """The build's identity is a custom property, the digest of its model; a rebuild of
    unchanged sources is byte-identical; LibreOffice keeps the property when it saves."""
    docx = project / "build" / "en" / "public" / "report.docx"
    first = docx.read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        custom = etree.fromstring(archive.read("docProps/custom.xml"))
        types = archive.read("[Content_Types].xml").decode()
        rels = archive.read("_rels/.rels").decode()
    model = json.loads((project / "build" / "en" / "public" / "model.json").read_text(encoding="utf-8"))
    values = {p.get("name"): "".join(p.itertext()) for p in custom}
    assert values == {"ReportBuild": build_identity(model["document"]), "ReportLanguage": "en",
                      "ReportEdition": "public", "ReportDraft": "false"}  # what `--base REV` builds again
    assert values["ReportBuild"].startswith("sha256:") and len(values["ReportBuild"]) == 71
    assert "/docProps/custom.xml" in types and "custom-properties" in rels
    build(project, ("docx",))  # a second build of the same sources
    assert docx.read_bytes() == first


def test_changes_and_comments_are_printed_at_their_sources(project):
    result = run_review(project, reviewed(project, review_edits))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-3] == expected_lines(project)
    assert lines[-3] == "8 change(s): 8 placed in the sources, 0 not applied; 2 comment(s)"
    assert lines[-2] == "wrote changes.patch, review.html, review.json in build/review/"
    assert lines[-1] == "apply them with --apply, or: git apply build/review/changes.patch"
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    assert data["summary"] == {"changes": 8, "placed": 8, "not_applied": 0, "comments": 2, "conflicts": 0}
    assert data["build"] == "build/en/public" and data["identity"].startswith("sha256:")
    killed = next(c for c in data["changes"] if c["new"] == "executed")
    assert killed["authors"] == ["Reviewer A"] and killed["date"] == we.DATE and killed["part"] == "body"
    source = (project / S2).read_text(encoding="utf-8")
    assert source[killed["source"]["start"]:killed["source"]["end"]] == "killed"
    assert data["comments"][1]["part"] == "note 6" and data["comments"][1]["text"] == "Which reports?"


def test_review_html_shows_each_finding_beside_its_source(project):
    """build/review/review.html: a finding a block, in reading order, grouped by file, each
    with its authors and date, the words before and after, and the source lines around it
    with its place marked; what the reviewer wrote is escaped, and the page loads nothing."""
    import lxml.html

    def edits(package):
        review_edits(package)
        we.comment(package.document, package.comments, "Two captured", "prisoners", "Reviewer <b>C</b>",
                   '<script>alert("x")</script> & <img src=x onerror=alert(1)>')

    result = run_review(project, reviewed(project, edits))
    assert result.exit_code == 0, result.output
    raw = (project / "build" / "review" / "review.html").read_text(encoding="utf-8")
    page = lxml.html.document_fromstring(raw)
    assert not page.xpath("//script | //img | //*[@onerror] | //link | //iframe")
    assert "default-src 'none'" in page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    blocks = page.xpath("//div[@class='finding']")
    printed = [line.split(": ", 1)[0] for line in result.output.splitlines()[:-3]]
    assert [b.get("id") for b in blocks] == printed  # every finding, in the printed order
    assert [h.text_content() for h in page.xpath("//h2")] == list(dict.fromkeys(p.rsplit(":", 2)[0] for p in printed))
    killed = next(b for b in blocks if b.xpath(".//ins[text()='executed']"))
    assert killed.xpath(".//del")[0].text_content() == "killed"
    assert "Reviewer A" in killed.text_content() and we.DATE[:10] in killed.text_content()
    assert killed.xpath(".//span[@class='here']")[0].text_content().startswith("killed")
    # a paragraph is one long source line: the words around the place are shown, cut with "…"
    line = (project / S2).read_text(encoding="utf-8").split("\n")[4]
    shown = killed.xpath(".//pre")[0].text_content()
    assert "…" in shown and len(shown) < len(line) and "were shot and killed" in shown
    untracked = next(b for b in blocks if "untracked change" in b.text_content())
    assert "made with tracking off" in untracked.xpath(".//p[@class='meta']")[0].text_content()
    hostile = next(b for b in blocks if "alert" in b.text_content())
    assert '<script>alert("x")</script> & <img src=x onerror=alert(1)>' in hostile.text_content()
    assert "Reviewer <b>C</b>" in hostile.text_content()


def test_git_apply_takes_the_patch(project):
    review = reviewed(project, review_edits)
    assert run_review(project, review).exit_code == 0
    git = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["git", "init", "-q"], ["git", "add", "sections"], ["git", "commit", "-qm", "sources"]):
        subprocess.run(command, cwd=project, check=True, env=git, capture_output=True)
    done = subprocess.run(["git", "apply", "--check", "build/review/changes.patch"], cwd=project,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    subprocess.run(["git", "apply", "build/review/changes.patch"], cwd=project, check=True)
    changed = subprocess.run(["git", "diff", "--stat"], cwd=project, capture_output=True, text=True).stdout
    assert all(rel in changed for rel in (S2, S3, S4, S5, S6))


def test_apply_then_rebuild_gives_the_reviewed_text(project):
    review = reviewed(project, review_edits)
    before = {rel: (project / rel).read_bytes() for rel in (S2, S3, S4, S5, S6)}
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1].startswith("applied 8 change(s) to sections/02-first-karabakh-war.md")
    assert all((project / rel).read_bytes() != data for rel, data in before.items())
    assert "[@hrw-1994-seven-years, pp. 15–16]" not in (project / S2).read_text(encoding="utf-8")
    build(project, ("docx",))
    rebuilt = accepted_texts((project / "build" / "en" / "public" / "report.docx").read_bytes())
    assert rebuilt == accepted_texts(review.read_bytes())
    # the sources moved on: the same file again is refused, not applied twice
    again = run_review(project, review, "--apply")
    assert again.exit_code == 2 and "error[REV008]" in again.output


def _not_applicable(package: we.WordPackage) -> None:
    d = package.document
    we.replace(note(package, 1), "September", "Sept.", "Reviewer A")  # a month the style writes
    we.replace(d, "white flag", "white flag" + "\t", "Reviewer A")  # a tab
    we.join_paragraph(d, "in the region. The report is based", "Reviewer D")  # a paragraph joined with a heading
    we.join_paragraph(d, "Azerbaijani citizens who were captured", "Reviewer D")  # an attribute block between


def test_what_cannot_be_applied_is_said_where_it_is(project):
    review = reviewed(project, _not_applicable)
    intro = (project / S1).read_text(encoding="utf-8").split("\n")[4]  # its end: where the join is
    captured = (project / S4).read_text(encoding="utf-8").split("\n")[4]
    sources = {p: p.read_bytes() for p in (project / "sections").iterdir()}
    result = run_review(project, review, "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:-2] == [  # (the title page: tests/review/test_review_title_page.py)
        f'{S1}:5:{len(intro) + 1}: change[Reviewer D]: "future.¶FIRST" → "future.FIRST" (not applied: it joins '
        'paragraphs that are not both plain paragraphs of one file (apply it by hand))',
        f'{at(project, S2, "white flag", 5)}: change[Reviewer A]: "white flag" → "white flag\\t" (not applied: '
        'it inserts a line break or a tab)',
        f'{at(project, S2, "[@hrw-1992-bloodshed, pp. 25–26]", 5)}: change[Reviewer A]: "September" → '
        '"Sept." in note 1 (not applied: it changes the text of note 1, which the citation style writes from the registry '
        '(edit the citation or references/ by hand))',
        f'{S4}:5:{captured.index("]{#amnesty") + 1}: change[Reviewer D]: "soldier.[note]¶Even" → '
        '"soldier.[note]Even" '
        '(not applied: something stands between the two paragraphs in the source (apply it by hand))',
    ]
    assert lines[-2] == "4 change(s): 0 placed in the sources, 4 not applied; 0 comment(s)"
    assert (project / "build" / "review" / "changes.patch").read_text() == ""
    assert {p: p.read_bytes() for p in (project / "sections").iterdir()} == sources


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_a_review_resaved_by_libreoffice_reads_the_same(project, tmp_path):
    """LibreOffice rewrites every part when it saves (runs, ids, properties): the
    changes, their authors and places, and the comment survive. (LibreOffice 7.4 cannot
    open a comment inside a footnote, so this review has none there.)"""
    review = reviewed(project, lambda p: review_edits(p, footnote_comment=False))
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    done = subprocess.run([SOFFICE, "--headless", "--convert-to", "docx", "--outdir", str(tmp_path / "lo"),
                           str(review)], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    resaved = tmp_path / "lo" / "reviewed.docx"
    with zipfile.ZipFile(resaved) as archive:
        assert b"ReportBuild" in archive.read("docProps/custom.xml")
    ours, theirs = run_review(project, review), run_review(project, resaved)
    assert theirs.exit_code == 0, theirs.output
    assert theirs.output == ours.output
    assert [line for line in expected_lines(project) if "Which reports" not in line] == theirs.output.splitlines()[:-3]


def test_a_reference_documents_own_custom_properties_are_kept():
    from report.render.docx.properties import custom_properties

    theirs = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxml'
              b'formats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
              b'officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
              b'pid="2" name="ReportBuild"><vt:lpwstr>old</vt:lpwstr></property><property fmtid="{D5CDD505-2E9C-'
              b'101B-9397-08002B2CF9AE}" pid="3" name="Client"><vt:lpwstr>UN</vt:lpwstr></property></Properties>')
    root = etree.fromstring(custom_properties(theirs, {"ReportBuild": "sha256:new"}))
    assert [(p.get("pid"), p.get("name"), "".join(p.itertext())) for p in root] == [
        ("2", "Client", "UN"), ("3", "ReportBuild", "sha256:new")]


def test_comments_in_source_travel_with_the_text_and_are_never_shown(project):
    """--comments-in-source: each comment goes into the Markdown right before the first
    word it is anchored to, as <!-- review Author date: text -->; one anchored in a note
    the citation style writes goes before the citation group, never inside it; nothing
    in a comment can end it early; and the rebuilt report reads exactly as without them."""
    def edits(package):
        review_edits(package)
        we.comment(note(package, 1), package.comments, "Human Rights Watch", "Human Rights Watch", "Reviewer C",
                   "Check --> the pages\nagainst the 1992 print")

    review = reviewed(project, edits)
    plain = Path(shutil.copytree(project, project.parent / "plain"))
    assert run_review(plain, plain / review.name, "--apply").exit_code == 0
    result = run_review(project, review, "--apply", "--comments-in-source")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-3] == "3 comment(s) kept in the sources as <!-- review … --> comments"
    assert lines[-1].startswith("applied 8 change(s) and 3 comment(s) to ")
    s2 = (project / S2).read_text(encoding="utf-8")
    assert f"<!-- review Reviewer A {we.DATE[:10]}: Source for this date? -->A September 1992" in s2
    hostile = f"<!-- review Reviewer C {we.DATE[:10]}: Check - -> the pages / against the 1992 print -->"
    assert s2.count("<!--") == 2 and hostile in s2
    assert re.search(re.escape(hostile) + r"\[@hrw", s2)  # before the citation group, not inside it
    s3 = (project / S3).read_text(encoding="utf-8")
    assert f"<!-- review Reviewer B {we.DATE[:10]}: Which reports? -->and reports of the" in s3
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    assert [c["source"]["path"] for c in data["comments"]] == [S2, S2, S3]
    # the text each comment is at: the patch shows it, the outputs never do
    build(project, ("docx", "html"))
    build(plain, ("docx", "html"))
    assert accepted_texts((project / "build" / "en" / "public" / "report.docx").read_bytes()) == \
        accepted_texts((plain / "build" / "en" / "public" / "report.docx").read_bytes())
    html = (project / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")
    assert "review Reviewer" not in html and "Source for this date" not in html
