"""The WeasyPrint speed fixes change no pixel's meaning: the same dots at the same
places, the same page references. Each comparison runs stock WeasyPrint and the
patched one in separate processes, since the fixes are process-wide."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pdfplumber

from tests.render.weasyprint_support import on_written_for_versions

pytestmark = on_written_for_versions  # (they check the fixes take effect)

TOC_PAGE = """
<html><head><style>
@page { size: A5; margin: 15mm }
body { font-family: 'Noto Serif'; font-size: 10pt }
ol { list-style: none; padding: 0 }
a::after { content: "\\00A0" leader(dotted) "\\00A0" target-counter(attr(href), page); }
h1 { break-before: page }
</style></head><body><ol>
%s
</ol>%s</body></html>
"""

RENDER = """
import sys
if sys.argv[1] == "patched":
    from report.render import weasyprint_patches
    weasyprint_patches.apply()
from weasyprint import HTML
html = sys.stdin.read()
sys.stdout.buffer.write(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
"""


def _render(html: str, variant: str) -> bytes:
    done = subprocess.run([sys.executable, "-c", RENDER, variant], input=html.encode(), capture_output=True,
                          check=True, timeout=120)
    return done.stdout


def _text_shows(data: bytes) -> int:
    """How many text-showing operators the first page's content stream has."""
    from pypdf import PdfReader

    content = PdfReader(io.BytesIO(data)).pages[0].get_contents().get_data()
    return len(re.findall(rb"\bT[Jj]\b", content))


def _dots_and_words(data: bytes):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        dots = sorted((round(c["x0"], 1), round(c["top"], 1)) for c in page.chars if c["text"] == ".")
        words = page.extract_words()
    return dots, [(w["text"], round(w["x0"], 1), round(w["top"], 1)) for w in words if "." not in w["text"]]


def test_merged_leaders_draw_the_same_dots_in_the_same_places():
    titles = ["Short", "A somewhat longer title", "Gamma (3)"]
    entries = "".join(f'<li><a href="#s{i}">{t}</a></li>' for i, t in enumerate(titles))
    body = "".join(f'<h1 id="s{i}">{t}</h1><p>Text.</p>' for i, t in enumerate(titles))
    html = TOC_PAGE % (entries, body)
    stock, patched = _render(html, "stock"), _render(html, "patched")
    stock_dots, stock_words = _dots_and_words(stock)
    patched_dots, patched_words = _dots_and_words(patched)
    assert len(stock_dots) > 3 * 40  # the leaders really are there
    assert len(patched_dots) == len(stock_dots)
    for (x1, y1), (x2, y2) in zip(stock_dots, patched_dots):
        assert abs(x1 - x2) <= 0.3 and y1 == y2
    assert patched_words == stock_words  # titles and page numbers where they were
    assert [w for w, _, _ in patched_words if w.isdigit()] == ["2", "3", "4"]
    # And the patch did take effect: one text run a leader, not one per dot.
    assert _text_shows(stock) > _text_shows(patched) + 100


def test_page_references_are_cached_until_a_page_is_added():
    script = """
import json, pydyf
stock = pydyf.PDF.page_references.fget
from report.render import weasyprint_patches
weasyprint_patches.apply()
pdf = pydyf.PDF()
seen = []
for _ in range(3):
    pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
    first = pdf.page_references
    seen.append([r.decode() for r in first] == [r.decode() for r in stock(pdf)] and first is pdf.page_references)
print(json.dumps([seen, [r.decode() for r in pdf.page_references]]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    seen, refs = json.loads(done.stdout)
    assert seen == [True, True, True]
    assert len(refs) == 3 and all(r.endswith(" 0 R") for r in refs) and len(set(refs)) == 3


def test_streams_are_deflated_at_level_six_and_decode_to_the_same_content():
    script = """
import json, zlib, pydyf
from report.render import weasyprint_patches
weasyprint_patches.apply()
raw = b"BT /F1 11 Tf 72 720 Td (The same words, again and again.) Tj ET " * 400
stream = pydyf.Stream([raw], compress=True)
data = stream.data
body = data[data.index(b"stream\\n") + 7:data.rindex(b"\\nendstream")]
print(json.dumps([zlib.decompress(body) == raw, body == zlib.compress(raw, 6), b"/FlateDecode" in data]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(done.stdout) == [True, True, True]


def test_pydyf_objects_without_their_own_attribute_dictionaries_write_the_same_pdf():
    script = """
import io, sys, pydyf
if sys.argv[1] == "patched":
    from report.render import weasyprint_patches
    weasyprint_patches.apply()
pdf = pydyf.PDF()
inline = pydyf.Dictionary({"Type": "/StructElem", "K": pydyf.Array([1, 2, pydyf.String("x")])})
for n in range(3):
    content = pydyf.Stream()
    content.begin_text()
    content.show_text_string(f"page {n}")
    content.end_text()
    pdf.add_object(content)
    pdf.add_page(pydyf.Dictionary({"Type": "/Page", "Parent": pdf.pages.reference, "Contents": content.reference,
                                   "MediaBox": pydyf.Array([0, 0, 200, 200]), "Extra": inline}))
out = io.BytesIO()
pdf.write(out, identifier=b"fixed")
print(out.getvalue().hex())
print(len(vars(inline)), len(vars(pdf.objects[-1])))
"""
    runs = [subprocess.run([sys.executable, "-c", script, variant], capture_output=True, text=True, check=True,
                           timeout=60).stdout.split() for variant in ("stock", "patched")]
    (stock_pdf, stock_inline, _), (patched_pdf, patched_inline, patched_written) = runs
    assert patched_pdf == stock_pdf and b"page 2" in bytes.fromhex(patched_pdf)
    assert stock_inline == "4" and patched_inline == "0"  # an object never written holds no attributes
    assert patched_written != "0"  # a written one got its number and offset
