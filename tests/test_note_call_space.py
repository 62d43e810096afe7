"""A citation written after a space, as Pandoc and Quarto users write it ("Blah blah
[@key]."): its note call takes the place of the space ("blah¹."), as Pandoc's citeproc
does, in every output; a citation written against the word is unchanged."""

from __future__ import annotations

import re
import zipfile

from lxml import etree, html

from report.build import build
from tests.conftest import MINIMAL

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SECTION = """\
---
title: Introduction
---

Monitors saw the cells [@un-2020, p. 3]. They wrote it down[@ngo-2021] and *said so* [@un-2020, p. 4], twice.
"""


def test_the_note_call_takes_the_place_of_the_space_before_it(make_project):
    root = make_project({**MINIMAL, "sections/01-intro.md": SECTION})
    out = build(root, ("html", "docx")).out_dir
    page = html.fromstring((out / "report.html").read_bytes())
    paragraph = next(p for p in page.iter("p") if "Monitors" in p.text_content())
    marks = [sup.getprevious() for sup in paragraph.iter("sup")]
    text = re.sub(r"\s+", " ", etree.tostring(paragraph, method="text", encoding="unicode"))
    assert "the cells1." in text and "it down2 and said so3, twice." in text, text
    assert len(marks) == 3
    with zipfile.ZipFile(out / "report.docx") as docx:
        body = etree.fromstring(docx.read("word/document.xml"))
    runs = [t.text or "" for t in body.iter(W + "t")]
    joined = "".join(runs)
    assert "the cells." in joined and "the cells ." not in joined and "said so, twice." in joined
