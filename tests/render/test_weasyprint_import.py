"""The fast WeasyPrint import (report.render.weasyprint_import) gives the same PDF as
stock, takes effect (no library search, no C parsing), and falls back to the stock
import when its cache cannot be written or was damaged. Each run is a new process:
the import happens once per process."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.render.weasyprint_support import on_written_for_versions

pytestmark = on_written_for_versions  # (the fast import runs only on the versions it was written for)

HTML = ("<html lang=en><head><style>@page { size: A6 } body { font-family: serif }</style></head>"
        "<body><h1>Title</h1><p>Some words, <em>emphasis</em> and a number: 42.</p></body></html>")

RENDER = """
import ctypes.util, json, sys
searched = []
real = ctypes.util.find_library
ctypes.util.find_library = lambda name: searched.append(name) or real(name)
if sys.argv[1] == "fast":
    from report.render import weasyprint_import
    weasyprint_import.load()
from weasyprint import HTML
import weasyprint.text.ffi as ffi
pdf = HTML(string=sys.stdin.read()).write_pdf(pdf_variant="pdf/ua-1", identifier=b"same")
print(json.dumps({"pdf": pdf.hex(), "searched": len(searched), "compiled": type(ffi.ffi).__module__ != "cffi.api",
                  "pycparser": "pycparser" in sys.modules}))
"""


def _run(variant: str, cache, **env) -> dict:
    import os

    environment = {**os.environ, "XDG_CACHE_HOME": str(cache), "SOURCE_DATE_EPOCH": "1700000000", **env}
    done = subprocess.run([sys.executable, "-c", RENDER, variant], input=HTML, capture_output=True, text=True,
                          env=environment, check=True, timeout=120)
    assert done.stderr == ""
    return json.loads(done.stdout)


def test_fast_import_writes_the_same_pdf_without_searching_or_parsing_c(tmp_path):
    stock = _run("stock", tmp_path / "unused")
    first = _run("fast", tmp_path)  # compiles the declarations into the cache
    cached = list((tmp_path / "report").glob("weasyprint_ffi_*.py"))
    assert len(cached) == 1
    made = cached[0].stat().st_mtime_ns
    second = _run("fast", tmp_path)  # loads them
    assert cached[0].stat().st_mtime_ns == made
    assert stock["searched"] > 5 and stock["pycparser"] and not stock["compiled"]  # what the fix removes
    for fast in (first, second):
        assert fast["pdf"] == stock["pdf"]
        assert fast["searched"] == 0 and fast["compiled"]
    assert not second["pycparser"]


def test_without_a_writable_cache_the_import_is_stock_and_the_pdf_the_same(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    stock = _run("stock", tmp_path / "unused")
    fast = _run("fast", blocker)
    assert fast["pdf"] == stock["pdf"]
    assert not fast["compiled"] and fast["searched"] == 0  # libraries still opened by name


def test_a_damaged_cache_file_is_replaced(tmp_path):
    _run("fast", tmp_path)
    [cached] = (tmp_path / "report").glob("weasyprint_ffi_*.py")
    cached.write_text("import _cffi_backend\nffi = _cffi_backend.FFI(_types=b'broken'\n")
    damaged = _run("fast", tmp_path)
    assert not damaged["compiled"] and not cached.exists()
    assert _run("fast", tmp_path)["compiled"] and cached.exists()
    assert damaged["pdf"] == _run("stock", tmp_path / "unused")["pdf"]


def test_hyphenation_patterns_are_kept_and_a_damaged_copy_is_replaced(tmp_path, monkeypatch):
    import pyphen

    from report.render.weasyprint_import import load_hyphenation

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(pyphen, "hdcache", {})
    words = ["international", "investigation", "humanitarian", "detention"]
    stock = [pyphen.Pyphen(lang="en_US").inserted(word) for word in words]  # read from pyphen's file
    assert any("-" in word for word in stock)

    pyphen.hdcache.clear()
    load_hyphenation("en-US")  # reads the file, keeps the table
    [kept] = (tmp_path / "report").glob("hyphenation_*.pickle")
    pyphen.hdcache.clear()
    load_hyphenation("en-US")  # unpickles it
    source = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    assert source in pyphen.hdcache
    assert [pyphen.Pyphen(lang="en_US").inserted(word) for word in words] == stock

    kept.write_bytes(b"not a pickle")
    pyphen.hdcache.clear()
    load_hyphenation("en-US")  # damaged: read the file again, and keep it again
    assert [pyphen.Pyphen(lang="en_US").inserted(word) for word in words] == stock
    assert kept.read_bytes() != b"not a pickle"

    load_hyphenation("xx-unknown")  # no patterns for the language: nothing, no error
