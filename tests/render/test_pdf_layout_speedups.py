"""The layout fixes of report.render.weasyprint_patches (waiting notes looked up by
identity, a page's margin-box styles found directly, the layout state dropped when the
last page is laid out, lines broken again taken from the line memo) write the very same PDF as stock
WeasyPrint, byte for byte (uncompressed, and without leaders, which other fixes change), on a document that exercises both: notes at the foot of
the page, reported to the next page, margin boxes that differ between first, left,
right and named pages, and page references that make WeasyPrint lay out again."""

from __future__ import annotations

from report.render.weasyprint_patches import WaitingNotes
from tests.render.weasyprint_support import on_written_for_versions, run_script

pytestmark = on_written_for_versions  # (they check the fixes take effect)

RENDER = """
import json, sys
if sys.argv[1] == "patched":
    from report.render import weasyprint_patches
    weasyprint_patches.apply()
from weasyprint import HTML
from weasyprint.layout import page
# Uncompressed: the patched deflate level would differ in every stream.
pdf = HTML(string=sys.stdin.read()).write_pdf(pdf_variant="pdf/ua-1", identifier=b"same", uncompressed_pdf=True)
from weasyprint import document
from weasyprint.layout import inline
memo = getattr(inline.split_first_line, "memo", None)
print(json.dumps({"pdf": pdf.hex(), "patched": [hasattr(page.set_page_type_computed_styles, "stock"),
                                              hasattr(document.layout_document, "stock")],
                  "repeated lines": memo.hits if memo else None}))
"""

STYLE = """
@page { size: A6; margin: 18mm 12mm;
  @top-center { content: string(chapter); font-size: 7pt }
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 7pt } }
@page :first { @top-center { content: none } }
@page :left { @bottom-left { content: "left"; font-size: 6pt } }
@page :right { @bottom-right { content: "right"; font-size: 6pt } }
@page annex { @top-left { content: "Annex"; font-size: 6pt } }
.annex { page: annex }
h1 { string-set: chapter content(); font-size: 12pt }
p { text-align: justify; hyphens: auto; font-size: 9pt }
.note { float: footnote; font-size: 7pt }
a.toc::after { content: " … " target-counter(attr(href), page) }
"""


def _document() -> str:
    toc = "".join(f'<p><a class="toc" href="#c{i}">Chapter {i}</a></p>' for i in range(6))
    chapters = []
    for i in range(6):
        paragraphs = "".join(
            f"<p>Paragraph {j} of chapter {i}, with enough words to fill a few lines of a small page"
            + "".join(f'<span class="note">Note {i}.{j}.{n}: a source, its date and a page.</span> and more'
                      for n in range(1 + (i + j) % 4))
            + " before it ends.</p>" for j in range(8))
        cls = ' class="annex"' if i == 5 else ""
        chapters.append(f'<section{cls}><h1 id="c{i}">Chapter {i}</h1>{paragraphs}</section>')
    return f'<html lang="en"><head><style>{STYLE}</style></head><body>{toc}{"".join(chapters)}</body></html>'


def _render(variant: str) -> dict:
    return run_script(RENDER, _document(), variant)


def test_layout_fixes_write_the_same_pdf_as_stock_weasyprint():
    import io

    from pypdf import PdfReader

    stock, patched = _render("stock"), _render("patched")
    assert patched["patched"] == [True, True] and stock["patched"] == [False, False]
    assert patched["repeated lines"] > 50 and stock["repeated lines"] is None  # the line memo took effect
    assert patched["pdf"] == stock["pdf"]
    reader = PdfReader(io.BytesIO(bytes.fromhex(patched["pdf"])))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) > 10
    assert "Note 5.6.3" in text and "Annex" in text and "left" in text and "right" in text
    assert f"Page 2 of {len(reader.pages)}" in text


def test_waiting_notes_answer_membership_by_identity():
    a, b = object(), object()
    notes = WaitingNotes([a])
    notes.append(b)
    notes.append(b)
    assert a in notes and b in notes and None not in notes and object() not in notes
    copy = notes.copy()
    notes.remove(b)
    assert b in notes and list(notes) == [a, b]
    notes.remove(b)
    notes.remove(a)
    assert a not in notes and b not in notes and not notes
    assert isinstance(copy, WaitingNotes) and list(copy) == [a, b, b] and b in copy
    try:
        notes.extend([a])
    except NotImplementedError:
        pass
    else:
        raise AssertionError("a change the count does not follow must fail")
    assert a not in notes
