"""`report review` over every construct the parser knows (the construct corpus, one section
per case): each character of the DOCX's text is traced to the same character in the
Markdown (or left untraced, never traced wrong), and tracked edits made in every
paragraph and note, applied and rebuilt, give the reviewed text wherever the review
says they were placed, and leave the text as built wherever it says they were not."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from report.build import build
from report.diff.load import from_data
from report.review import run_review
from report.review.located import body_units, note_units
from report.review.sourcefile import SourceFile
from report.review.trace import trace
from report.review.wordfile import NOTE
from tests.constructs.corpus import all_cases, write_case_project
from tests.review import word_edits as we
from tests.review.test_review_shipped import accepted_texts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    cases = [case for case in all_cases() if not case.refused and not case.xfail]
    root = write_case_project(tmp_path_factory.mktemp("corpus") / "project",
                              {f"{i:03d}.md": case.source for i, case in enumerate(cases)}, titled=True)
    build(root, ("docx",))
    return root


def _same(char: str, source: str) -> bool:
    """Whether ``source`` is how Markdown writes ``char``: itself, escaped, an entity, a
    soft line break for a space, a whole note or citation for a note call."""
    if char == NOTE:
        return source.startswith(("[", "^["))
    if source == char or source == "\\" + char or (char == "\u00a0" and source == "\\ "):
        return True
    if char == " " and not source.strip(" \t\r\n>"):
        return True
    import html

    return source.startswith("&") and html.unescape(source) == char


def test_every_traced_character_is_the_same_in_the_source(corpus):
    import json

    document = from_data(json.loads((corpus / "build" / "en" / "public" / "model.json").read_text(encoding="utf-8"))["document"])
    files: dict[str, SourceFile] = {}
    traced = texts = 0
    for unit in body_units(document) + list(note_units(document).values()):
        path = unit.location.path
        if path not in files:
            files[path] = SourceFile(path, (corpus / path).read_text(encoding="utf-8"))
        spans = trace(unit, files[path])
        assert len(spans) == len(unit.text)
        for char, span in zip(unit.text, spans):
            if span is not None:
                assert _same(char, files[path].text[span[0]:span[1]]), (unit.location, char, span)
        at = 0
        for part in unit.parts:  # how much of the text that comes from text nodes is traced
            shown = len(part.text) if part.kind in ("text", "code") else 0
            if part.kind in ("text", "code") and unit.kind != "note":
                texts += shown
                traced += sum(1 for s in spans[at:at + shown] if s is not None)
            at += len(part.text) if part.kind not in ("open", "close") else 0
    assert traced / texts > 0.97, f"{traced} of {texts} characters of text traced"


def _edit_everywhere(package: we.WordPackage) -> dict[str, str]:
    """A word of each paragraph and note replaced (a tracked change, its run split
    mid-word); returns replacement → the word it replaced."""
    text = "".join(t.text or "" for t in package.document.iter(we.wa("t")))
    notes = "".join(t.text or "" for t in package.footnotes.iter(we.wa("t")))
    made = {}
    for root, body in ((package.document, True), (package.footnotes, False)):
        for container in root.iter(we.wa("p") if body else we.wa("footnote")):
            for t in container.iter(we.wa("t")):
                words = [w for w in re.findall(r"[A-Za-z]{4,}", t.text or "")
                         if (text + notes).count(w) == 1]
                if words:
                    word = words[len(words) // 2]
                    new = f"Zq{len(made):03d}"
                    we.replace(root, word, new, "Reviewer", split_at=2)
                    made[new] = word
                    break
    return made


def test_edits_in_every_paragraph_round_trip(corpus, tmp_path):
    root = Path(shutil.copytree(corpus, tmp_path / "project"))
    package = we.WordPackage((root / "build" / "en" / "public" / "report.docx").read_bytes())
    made = _edit_everywhere(package)
    (root / "reviewed.docx").write_bytes(package.save())
    review = run_review(root / "reviewed.docx", root, apply=True)
    changes = [f for f in review.findings if f.kind != "comment"]
    assert len(changes) == len(made) > 80
    placed = {f.new for f in changes if f.source is not None}
    refused = {f.new for f in changes if f.source is None}
    assert len(placed) > 0.8 * len(made)
    build(root, ("docx",))
    body, notes = accepted_texts((root / "build" / "en" / "public" / "report.docx").read_bytes())
    wanted_body, wanted_notes = accepted_texts((root / "reviewed.docx").read_bytes())
    rebuilt = "\n".join(body + notes)
    for new in made:
        assert (new in rebuilt) == (new in placed), new
    assert len(body) == len(wanted_body) and len(notes) == len(wanted_notes)
    for got, wanted in zip(body + notes, wanted_body + wanted_notes):
        if got != wanted:  # only where the review said a change is not applied
            assert any(new in wanted for new in refused), (got, wanted)
