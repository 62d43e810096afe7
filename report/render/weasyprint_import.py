"""Importing WeasyPrint in 0.19 s instead of 0.34 s, its first page without 0.05 s of
C parsing, and its hyphenation patterns in 4 ms instead of 45.

The first two costs are in ``weasyprint.text.ffi``, which declares Pango, HarfBuzz
and fontconfig to cffi and opens them; none of the three depends on the document, so
a PDF of ten pages pays them in full, on the critical path of the build:

- **Libraries opened by name, not searched for.** WeasyPrint tries up to seven names
  per library, for every platform, and cffi hands each name that is not a file to
  ``ctypes.util.find_library``, which on Linux runs ``ldconfig`` and the C compiler
  to look (0.15 s in all). On Linux the import runs with that search answering "not
  found", so each library is opened by its soname, the last of its names, which the
  dynamic loader finds just as the search would have.
- **Declarations parsed once per machine.** cffi parses the 450 lines of C
  declarations with pycparser at every import, and each C type WeasyPrint later names
  in ``ffi.new`` again on first use. The declarations are compiled once into a cffi
  out-of-line module (cffi's own format: a Python file holding the type tables, kept
  in the user's cache folder and keyed by the declarations and cffi's version), which
  later imports load in milliseconds; its types are looked up, not parsed.
- **Hyphenation patterns kept.** pyphen reads its dictionary file into a table of
  patterns for each process; :func:`load_hyphenation` keeps that table pickled in the
  same cache folder, keyed by pyphen's version and the file.

The cache folder is the user's own (``$XDG_CACHE_HOME/report``), trusted as their
Python installation is: what it holds is executed and unpickled. Whatever goes wrong
on the way (no cache folder, a damaged file, an unusual install where only the search
finds a library) ends in WeasyPrint's stock import and pyphen's own reading: slower,
never different.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sys
from pathlib import Path

from report import cache

_DECLARE = "ffi.cdef('''"


def load() -> None:
    """Import WeasyPrint (once per process), by the fast path where it works."""
    if "weasyprint" in sys.modules:
        return
    if sys.platform.startswith("linux"):
        try:
            _import_fast()
            return
        except Exception:  # noqa: BLE001 - any failure: forget the attempt, import as stock
            for name in [name for name in sys.modules if name == "weasyprint" or name.startswith("weasyprint.")]:
                del sys.modules[name]
    import weasyprint  # noqa: F401


def _import_fast() -> None:
    import ctypes.util

    import cffi

    try:
        compiled = _compiled_declarations()
    except Exception:  # noqa: BLE001 - no cache folder, a damaged file: cffi parses them, as stock
        compiled = None
    search, make_ffi = ctypes.util.find_library, cffi.FFI
    ctypes.util.find_library = _not_searched
    if compiled is not None:
        cffi.FFI = compiled
    try:
        # A library not found makes WeasyPrint print its install help before raising;
        # the stock import that follows prints it, once.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    finally:
        ctypes.util.find_library, cffi.FFI = search, make_ffi


def _not_searched(name):
    return None


def _declarations() -> str | None:
    """The C declarations WeasyPrint's ffi module gives cdef, or None."""
    from importlib.util import find_spec

    spec = find_spec("weasyprint")  # not of weasyprint.text.ffi: that would import the package
    if spec is None or not spec.submodule_search_locations:
        return None
    origin = Path(spec.submodule_search_locations[0]) / "text" / "ffi.py"
    source = origin.read_text(encoding="utf-8")
    start = source.find(_DECLARE)
    end = source.find("''')", start)
    if start < 0 or end < 0 or source.count(_DECLARE) != 1:
        return None  # not the module this was written for: import as stock
    return source[start + len(_DECLARE):end]


def _compiled_declarations():
    """A callable standing in for ``cffi.FFI`` during the import: it returns the
    compiled declarations as an FFI whose ``cdef`` does nothing. None if they cannot
    be had (then the import parses them, as stock)."""
    import _cffi_backend
    import cffi

    text = _declarations()
    if text is None:
        return None
    key = hashlib.sha256(f"{cffi.__version__}\0{sys.implementation.cache_tag}\0{text}".encode()).hexdigest()[:16]
    path = cache.folder() / f"weasyprint_ffi_{key}.py"
    if not path.exists():
        _compile(text, path)
    code = path.read_text(encoding="utf-8")
    if "import _cffi_backend\n" not in code:
        return None

    class Declared(_cffi_backend.FFI):
        """The compiled FFI; WeasyPrint's ``cdef`` call finds its work done."""

        def cdef(self, *args, **kwargs):
            pass

    namespace = {"__name__": "report_weasyprint_ffi", "_cffi_backend": type("backend", (), {"FFI": Declared})}
    try:
        exec(compile(code.replace("import _cffi_backend\n", "", 1), str(path), "exec"), namespace)  # noqa: S102
        ffi = namespace["ffi"]
    except Exception:
        path.unlink(missing_ok=True)  # damaged: made again by the next build
        raise
    return lambda: ffi


def _compile(text: str, path: Path) -> None:
    """Write cffi's out-of-line module for ``text`` to ``path`` (whole or not at all)."""
    import cffi

    builder = cffi.FFI()
    builder.cdef(text)
    builder.set_source("report_weasyprint_ffi", None)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # cffi says "generating …"
            builder.emit_python_code(str(partial))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def load_hyphenation(language: str) -> None:
    """Have pyphen hold ``language``'s hyphenation patterns before WeasyPrint asks for
    them: unpickled from the cache folder (4 ms) where they were kept, else read from
    pyphen's dictionary file (45 ms for English) and kept for the next build."""
    import pickle

    import pyphen

    tag = pyphen.language_fallback(language.replace("-", "_"))
    if not tag or pyphen.LANGUAGES[tag] in pyphen.hdcache:
        return
    source = pyphen.LANGUAGES[tag]
    try:
        stat = Path(source).stat()
        key = hashlib.sha256(f"{pyphen.__version__}\0{source}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
        kept = cache.folder() / f"hyphenation_{key.hexdigest()[:16]}.pickle"
    except OSError:
        kept = None
    try:
        if kept is None:
            raise FileNotFoundError(source)
        patterns = pickle.loads(kept.read_bytes())  # noqa: S301 - our own cache file
        if not isinstance(patterns, pyphen.HyphDict):
            raise TypeError(kept)
    except Exception:  # noqa: BLE001 - not kept yet, or damaged: read the dictionary
        patterns = pyphen.HyphDict(source)
        if kept is not None:
            cache.keep(kept, pickle.dumps(patterns, pickle.HIGHEST_PROTOCOL))
    pyphen.hdcache[source] = patterns
