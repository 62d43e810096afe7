"""The leak check on whole real builds: what the sources say is found in every format at
the right place, clean outputs give nothing, and the check stays fast."""

from __future__ import annotations

import time

import pdfplumber
import io

from report.diagnostics import Location
from report.leaks import Protected, scan
from tests.leaks.support import AT, NAME, leak, lines, protect


def pdf_page_of(pdf: bytes, text: str) -> int:
    """The 1-based page whose text (pdfplumber's, independent of the check's pdfium) has ``text``."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        pages = [n for n, page in enumerate(document.pages, 1) if text in (page.extract_text() or "")]
    assert len(pages) == 1, pages
    return pages[0]


def test_a_clean_build_has_no_leak(small_build):
    assert lines(small_build, NAME, "Ali", "Rustam Aliev", "Leyla Karimov", "Ильяс", "张三") == []


def test_ali_is_not_alice_nor_quality_nor_aliyev(small_build):
    """The build says "Alice", "quality" and "Aliyev" (bold "Ali" then "yev" in every format)."""
    assert lines(small_build, "Ali") == []
    assert lines(small_build, "Alice") == [leak(where, "Alice") for where in
                                           ["model.json", "report.docx, document (word/document.xml)",
                                            "report.html, text", f"report.pdf, page {pdf_page_of(small_build['report.pdf'], 'Alice')}"]]


def test_a_name_split_across_runs_notes_and_links_is_found_everywhere(small_build):
    page = pdf_page_of(small_build["report.pdf"], "Rustam")
    assert lines(small_build, "Rustam Aliyev") == [leak(where, "Rustam Aliyev") for where in [
        "model.json",  # "Rustam ", "Ali" (strong), "yev": inline nodes run together
        "report.docx, relationships (word/_rels/document.xml.rels)",  # the link's target
        "report.docx, document (word/document.xml)",  # split across runs
        "report.docx, footnotes (word/footnotes.xml)",
        "report.html, text",
        'report.html, attribute "href"',
        f"report.pdf, page {page}",
        f"report.pdf, link on page {page}",
    ]]


def test_an_alternative_text_is_found_in_every_format(small_build):
    page = pdf_page_of(small_build["report.pdf"], "gate was closed")
    assert lines(small_build, "Leyla Karimova") == [leak(where, "Leyla Karimova") for where in [
        "model.json", "report.docx, document (word/document.xml)", 'report.html, attribute "alt"',
        f"report.pdf, alternative text on page {page}"]]


def test_russian_and_chinese_names_are_found_in_every_format(small_build):
    """Case and ё/е do not matter in Cyrillic; Chinese is matched without word boundaries.
    The PDF's text is read through its subset fonts' ToUnicode maps."""
    page = pdf_page_of(small_build["report.pdf"], "张伟")
    for name in ("ИЛЬЯ ЕЛКИН", "张伟"):
        assert lines(small_build, name) == [leak(where, name) for where in [
            "model.json", "report.docx, document (word/document.xml)", "report.html, text", f"report.pdf, page {page}"]]


def test_one_diagnostic_a_place_sorted_by_source_location(small_build):
    """"Ganja" is once in the note (three formats, one place each) and twice marked
    (two locations): each location gets its own diagnostics, in source order."""
    marked = [Protected("Ganja", Location("sections/02-b.md", 9, 1)), Protected("Ganja", Location("sections/01-a.md", 4, 7))]
    found = [d.format() for d in scan(small_build, marked)]
    page = pdf_page_of(small_build["report.pdf"], "Ganja")
    places = ["model.json", "report.docx, footnotes (word/footnotes.xml)", "report.html, text", f"report.pdf, page {page}"]
    assert found == ([leak(p, "Ganja", Location("sections/01-a.md", 4, 7)) for p in places]
                     + [leak(p, "Ganja", Location("sections/02-b.md", 9, 1)) for p in places])
    assert found[0] == 'sections/01-a.md:4:7: error[LEAK001]: "Ganja" would be published in model.json'


def test_nothing_to_protect_or_nothing_published():
    assert scan({}, protect(NAME)) == []
    assert scan({"report.html": b"<p>Zarifa Mammadova</p>"}, []) == []
    assert scan({"a.txt": NAME.encode()}, [Protected("  ", AT), Protected("—", AT)]) == []


def test_the_shipped_report_has_no_false_positive(shipped_build):
    """A hundred names (and one-word ones) that the shipped report does not contain."""
    names = [f"{first} {last}" for first in ("Zarifa", "Leyla", "Farid", "Murad", "Aysel", "Elchin", "Nigar", "Tural",
                                             "Gunel", "Rashad") for last in ("Mammadova", "Hasanov", "Quliyev",
                                                                           "Karimova", "Abbasov", "Huseynova",
                                                                           "Ismayilov", "Najafova", "Rzayev", "Babayeva")]
    assert len(names) == 100
    assert lines(shipped_build, *names, "Ali", "Aliyev", "Ильяс", "张伟") == []
    # …and the same check finds what it does contain, on every page it is on.
    found = lines(shipped_build, "Khojaly")
    assert leak("report.docx, document (word/document.xml)", "Khojaly") in found
    assert leak("report.pdf, page 3", "Khojaly") in found and leak("report.pdf, page 4", "Khojaly") in found


def test_scanning_the_shipped_report_is_fast(shipped_build):
    """PDF, DOCX and HTML with 100 protected strings: about 0.1 s on this project's
    machine; the bound leaves room for a busy CI runner."""
    protected = protect(*[f"Person{n} Surname{n}" for n in range(100)])
    formats = {name: shipped_build[name] for name in ("report.pdf", "report.docx", "report.html")}
    scan(formats, protected)  # imports and the character table, once a process
    start = time.perf_counter()
    assert scan(formats, protected) == []
    assert time.perf_counter() - start < 1.0


def test_a_string_marked_twice_at_one_place_is_said_once():
    files = {"notes.txt": f"Met {NAME} and {NAME.upper()}.".encode()}
    assert [d.format() for d in scan(files, protect(NAME, NAME, NAME.lower()))] == [
        leak("notes.txt"), leak("notes.txt", NAME.lower())]
