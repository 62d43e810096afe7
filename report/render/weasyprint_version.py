"""The one place that knows which WeasyPrint and pydyf report's fixes were written for.

The fixes in ``report.render.weasyprint_*`` replace internals of these two versions
(private functions, a pydyf property, the C declarations WeasyPrint gives cffi), so
they are applied only when exactly these versions are installed: with any other,
``weasyprint_patches.apply`` imports WeasyPrint as it is and installs nothing (but
the figure fix where its code is unchanged, see ``weasyprint_figure_alt``). To
upgrade: change :data:`WRITTEN_FOR`, then run ``tests/render``; every fix is
compared there with the new version's own output.
"""

from __future__ import annotations

import re
import sys
from importlib.util import find_spec
from pathlib import Path

# Package → the version the fixes were written for (as its ``__version__`` says).
WRITTEN_FOR = {"WeasyPrint": "70.0", "pydyf": "0.13.0"}

# WeasyPrint's __init__.py sets ``VERSION = __version__ = '70.0'`` before its imports.
_VERSION = re.compile(r"""^(?:VERSION\s*=\s*)?__version__\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)


def installed() -> dict[str, str | None]:
    """Package → its installed version (None when not installed or not found), read
    without importing WeasyPrint: importing it is what the fast import speeds up, and
    that fix must not run on another version."""
    return {"WeasyPrint": _weasyprint_version(), "pydyf": _pydyf_version()}


def differences() -> list[tuple[str, str | None, str]]:
    """(package, installed version, version written for) for each package that differs;
    empty when the fixes may be applied."""
    found = installed()
    return [(name, found.get(name), wanted) for name, wanted in WRITTEN_FOR.items() if found.get(name) != wanted]


def _weasyprint_version() -> str | None:
    module = sys.modules.get("weasyprint")
    if module is not None:  # imported already: it says
        return getattr(module, "__version__", None)
    spec = find_spec("weasyprint")  # finds the package without running it
    if spec is None or not spec.origin:
        return None
    try:
        found = _VERSION.search(Path(spec.origin).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return found[1] if found else None  # not said plainly: not the version the fixes know


def _pydyf_version() -> str | None:
    try:
        import pydyf  # one small module, 3 ms: imported as WeasyPrint would
    except ImportError:
        return None
    return getattr(pydyf, "__version__", None)
