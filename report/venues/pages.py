"""Page counts of built files, read cheaply from the files themselves.

A PDF's page count is the ``/Count`` of its page tree's root, the largest ``/Count``
of its ``/Type /Pages`` dictionaries, which WeasyPrint writes inside compressed object
streams: those are inflated and searched too (no PDF library: pypdf is only a test
dependency, and this runs in ``report stats``, which loads no renderer).

A DOCX holds a page count only when a word processor saved it (``<Pages>`` in
docProps/app.xml): the build leaves it out, since only Word's own layout knows it
(report.render.docx.properties, STALE_APP_PROPERTIES). Then the count is None.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

_PAGES = re.compile(rb"/Type\s*/Pages(?![A-Za-z])")
_COUNT = re.compile(rb"/Count\s+(\d+)")
_OBJECT_STREAM = re.compile(rb"<<((?:(?!<<|>>).){0,400}?/Type\s*/ObjStm(?:(?!<<|>>).){0,400}?)>>\s*stream\r?\n", re.S)
_APP_PAGES = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>")


def _largest_count(data: bytes) -> int | None:
    """The largest /Count of the page-tree dictionaries in ``data``: each found from its
    /Type /Pages to the ``<<`` and ``>>`` around it (a page tree node holds no nested
    dictionary), so the search is linear however large the file's images are."""
    counts = []
    for match in _PAGES.finditer(data):
        start, end = data.rfind(b"<<", 0, match.start()), data.find(b">>", match.end())
        if start >= 0 and end >= 0:
            counts += [int(c) for c in _COUNT.findall(data, start, end)]
    return max(counts) if counts else None


def pdf_pages(path: Path) -> int | None:
    """The number of pages of the PDF at ``path``, or None when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    found = [_largest_count(data)]
    for match in _OBJECT_STREAM.finditer(data):
        if b"/FlateDecode" not in match.group(1):
            continue
        end = data.find(b"endstream", match.end())
        try:
            found.append(_largest_count(zlib.decompressobj().decompress(data[match.end():end])))
        except zlib.error:
            continue
    counts = [c for c in found if c is not None]
    return max(counts) if counts else None


def docx_pages(path: Path) -> int | None:
    """The page count a word processor saved in the DOCX at ``path``, or None."""
    try:
        with zipfile.ZipFile(path) as package:
            found = _APP_PAGES.search(package.read("docProps/app.xml"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    return int(found.group(1)) if found else None


def built_pages(out_dir: Path) -> dict[str, int | None]:
    """Pages of each format in a build folder (``build/en``): None when the file is
    missing or holds no count (an HTML page has none)."""
    return {"docx": docx_pages(out_dir / "report.docx"), "pdf": pdf_pages(out_dir / "report.pdf"), "html": None}
