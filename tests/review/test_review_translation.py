"""`report review` of a translation's build (`report build --locale az`): the reviewer's
tracked changes in the Azerbaijani text go to the PO entries' msgstr, never to the
English sections. The shipped report's locales/az.po, with three entries reviewed by the
translator (their fuzzy flag removed), one left fuzzy and one untranslated: the build
shows those two in English, and a change there is reported, not applied."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from report.build import Locale, build
from report.cli import main
from report.i18n.catalog import read_translations
from tests.conftest import REPO, copy_shipped_project
from tests.review import word_edits as we
from tests.review.conftest import S1, S2, S3, po_at, reviewed_in, run_review
from tests.review.test_review_shipped import accepted_texts

PO = "locales/az.po"
TRANSLATED = (f"{S1}:5", f"{S3}:7", f"{S3}:10")  # the entries made reviewed translations
UNTRANSLATED = f"{S2}:5"


def _entries(text: str, refs, change) -> str:
    """``text`` with ``change`` applied to each entry (blank-line-separated block) of the
    PO file whose ``#:`` line names one of ``refs``."""
    blocks = text.split("\n\n")
    for i, block in enumerate(blocks):
        if any(f"#: {ref}\n" in block for ref in refs):
            blocks[i] = change(block)
    return "\n\n".join(blocks)


@pytest.fixture(scope="module")
def translated(tmp_path_factory) -> Path:
    root = copy_shipped_project(tmp_path_factory.mktemp("review-az") / "shipped")
    shutil.copytree(REPO / "locales", root / "locales")
    text = (root / PO).read_text(encoding="utf-8")
    text = _entries(text, TRANSLATED, lambda block: block.replace("#, fuzzy\n", ""))
    text = _entries(text, [UNTRANSLATED], lambda block: re.sub(r'^msgstr ".*"$', 'msgstr ""', block, flags=re.M))
    (root / PO).write_text(text, encoding="utf-8")
    build(root, ("docx",), locale=Locale("az"))
    return root


@pytest.fixture
def project(translated, tmp_path) -> Path:
    return Path(shutil.copytree(translated, tmp_path / "project"))


def _reviewed(root: Path, edit) -> Path:
    return reviewed_in(root, edit, "az")


def _po_at(root: Path, needle: str) -> str:
    return po_at(root, PO, needle)


def _entry_line(root: Path, ref: str) -> int:
    """The line a build gives what it made from the entry for ``ref``: its msgid's + 1."""
    lines = (root / PO).read_text(encoding="utf-8").split("\n")
    start = lines.index(f"#: {ref}")
    return next(n for n in range(start, len(lines)) if lines[n].startswith("msgid ")) + 2


def _translator_edits(package: we.WordPackage) -> None:
    d = package.document
    we.replace(d, "bu hesabatda", "bu sənəddə", "Reviewer A")  # plain text of the introduction
    we.replace(d, "yerindəcə edam edilib.", "yerindəcə güllələnib.", "Reviewer B")  # just before a citation's note
    we.delete(package.footnotes, "və Beynəlxalq ", "Reviewer A")  # a ^[…] note's words, its citations kept


def test_a_translated_paragraph_is_reviewed_into_its_msgstr(project):
    lines = (project / PO).read_text(encoding="utf-8").split("\n")
    english = {rel: (project / rel).read_bytes() for rel in (S1, S2, S3)}
    expected = [
        f'{_po_at(project, "bu hesabatda")}: change[Reviewer A]: "bu hesabatda" → "bu sənəddə"',
        f'{_po_at(project, "yerindəcə edam")}: change[Reviewer B]: "yerindəcə edam edilib." → "yerindəcə güllələnib."',
        f'{_po_at(project, "və Beynəlxalq")}: change[Reviewer A]: "года” və Beynəlxalq Qırmızı" → "года” Qırmızı" '
        'in note 6',
    ]
    result = run_review(project, _reviewed(project, _translator_edits), "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == expected
    assert "3 change(s): 3 placed in the sources, 0 not applied" in result.output
    assert result.output.splitlines()[-1] == f"applied 3 change(s) to {PO}"
    # the English sections as they were; in the PO file only the three msgstr lines differ
    assert {rel: (project / rel).read_bytes() for rel in english} == english
    after = (project / PO).read_text(encoding="utf-8").split("\n")
    changed = [i for i, (a, b) in enumerate(zip(lines, after)) if a != b]
    assert len(after) == len(lines) and [lines[i][:7] for i in changed] == ["msgstr "] * 3
    patch = (project / "build" / "review" / "changes.patch").read_text(encoding="utf-8")
    assert patch.startswith(f"diff --git a/{PO} b/{PO}\n") and patch.count("diff --git") == 1
    # the build named with its language, in review.json and review.html
    data = json.loads((project / "build" / "review" / "review.json").read_text(encoding="utf-8"))
    assert data["build"] == "build/az/public, az translation"
    page = (project / "build" / "review" / "review.html").read_text(encoding="utf-8")
    assert "Read against build/az/public, az translation (build sha256:" in page
    # babel (and so `report i18n`) reads the entries back, the citations kept in them
    entries = read_translations(project, "az").entries
    intro = next(e for (ctx, _), e in entries.items() if ctx == "introduction")
    assert "bu sənəddə" in intro.text and "bu hesabatda" not in intro.text and not intro.fuzzy
    work = next(e.text for e in entries.values() if "güllələnib" in e.text)
    assert "yerindəcə güllələnib.[@dscr-2020-preliminary-report-torture-pows, pp. 21–22]" in work
    mines = next(e.text for e in entries.values() if "Zod qızıl" in e.text)
    assert "^[[@state-commission-az-pows-hostages-missing; @gannushkina-clasen-zakharishvili-karabakh-trip-report]" \
           " Qırmızı Xaç" in mines
    stats = CliRunner().invoke(main, ["i18n", "stats", "--project", str(project)])
    assert stats.exit_code == 0 and stats.output.startswith("az: "), stats.output
    # rebuilt in Azerbaijani, the report reads as the reviewed file with its changes accepted
    reviewed_docx = (project / "reviewed.docx").read_bytes()
    build(project, ("docx",), locale=Locale("az"))
    rebuilt = accepted_texts((project / "build" / "az" / "public" / "report.docx").read_bytes())
    assert rebuilt == accepted_texts(reviewed_docx)


def _fallback_edits(package: we.WordPackage) -> None:
    d = package.document
    we.replace(d, "most tragic", "most terrible", "Reviewer A")  # fuzzy: the build showed the English
    we.replace(d, "A September 1992 report", "A report of September 1992", "Reviewer B")  # untranslated


def test_a_change_where_the_build_showed_the_source_text_is_not_applied(project):
    before = {rel: (project / rel).read_bytes() for rel in (S2, S3, PO)}
    fuzzy, empty = _entry_line(project, f"{S3}:5"), _entry_line(project, UNTRANSLATED)
    tail = "; the English source is not changed (translate the entry, rebuild, and review again))"
    result = run_review(project, _reviewed(project, _fallback_edits), "--apply")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith(f"{S3}:5:") and '"most tragic" → "most terrible"' in line and
               line.endswith(f"(not applied: the build showed the source text here: its entry at {PO}:{fuzzy} is "
                             f"fuzzy{tail}") for line in lines), lines
    assert any(line.startswith(f"{S2}:5:") and "September" in line and
               line.endswith(f"(not applied: the build showed the source text here: its entry at {PO}:{empty} is "
                             f"untranslated{tail}") for line in lines), lines
    assert "2 change(s): 0 placed in the sources, 2 not applied" in result.output
    assert {rel: (project / rel).read_bytes() for rel in before} == before
    assert (project / "build" / "review" / "changes.patch").read_text(encoding="utf-8") == ""


def test_a_po_file_changed_since_the_build_is_refused(project):
    (project / PO).write_text((project / PO).read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = run_review(project, _reviewed(project, _translator_edits))
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith(f"{PO}:1:1: error[REV012]: {PO} changed since the build of the 'az'"
                                                    " translation")
    assert not (project / "build" / "review").exists()


def _delete_call_after(package: we.WordPackage, text: str, author: str) -> None:
    """The note call right after ``text`` deleted, as Word records it."""
    runs = list(package.document.iter(we.wa("r")))
    at = next(i for i, run in enumerate(runs) if any(text in (t.text or "") for t in run.iter(we.wa("t"))))
    call = next(run for run in runs[at:] if run.find(we.wa("footnoteReference")) is not None)
    we._as_deleted(call)
    we._wrap([call], "del", author)


def test_a_note_call_at_the_end_of_a_span_deletes_just_its_citation(project):
    """The citation closes an incident's span (``[… edilib.[@key, pp. 21–22]]{#id
    .incident}``): deleting its call deletes the citation, the span's text and marker kept."""
    before = (project / PO).read_text(encoding="utf-8")
    citation = "[@dscr-2020-preliminary-report-torture-pows, pp. 21–22]"
    assert f"yerindəcə edam edilib.{citation}]{{#prisoners-killed-for-refusing-work .incident}}" in before
    where = _po_at(project, citation)
    result = run_review(project, _reviewed(project, lambda p: _delete_call_after(p, "yerindəcə edam edilib.",
                                                                                   "Reviewer A")), "--apply")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f'{where}: change[Reviewer A]: "edilib.[note]" → "edilib."'
    assert (project / PO).read_text(encoding="utf-8") == before.replace(f"edilib.{citation}]", "edilib.]", 1)
