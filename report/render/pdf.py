"""PDF backend: the print HTML of :mod:`report.render.html`, laid out by WeasyPrint.

Takes the resolved document and a render context; returns tagged PDF/UA-1
bytes. Footnotes are CSS ``float: footnote`` spans at their call sites. Every
resource WeasyPrint loads goes through :class:`ConfinedFetcher` (project files
and the configured fonts only); WeasyPrint's log is captured, never printed,
and its errors become ReportErrors. After layout the embedded fonts are checked
so a glyph drawn from another installed font is an error, not a silent swap.
"""

from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from report import model as m
from report.config import FontConfig
from report.diagnostics import Diagnostic, Location, Severity, error, warning
from report.errors import ReportError
from report.render.base import RenderContext
from report.render.html import css_family, document_html

_FACES = {  # config face → (font-weight, font-style)
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bold-italic": ("bold", "italic"),
}


def font_face_css(font: FontConfig) -> str:
    """@font-face rules for the configured family, and that family alone for the
    whole page: no fallback list, so a glyph the family lacks shows up in the
    font check instead of being drawn from whatever else is installed."""
    family = css_family(font.family)
    rules = []
    for face, path in font.files:
        # as_uri() percent-encodes quotes, so the URL cannot end its CSS string.
        weight, style = _FACES[face]
        rules.append(f"@font-face {{ font-family: {family}; font-weight: {weight}; "
                     f"font-style: {style}; src: url(\"{path.as_uri()}\"); }}")
    rules.append(f"html, pre, code, kbd, samp {{ font-family: {family}; }}")
    return "\n".join(rules) + "\n"


def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class ConfinedFetcher(URLFetcher):
        """Loads only ``file:`` URLs whose real path lies inside the project folder
        or is a configured font file; anything else raises, and with
        ``fail_on_errors`` WeasyPrint stops instead of skipping the resource."""

        def __init__(self, root: Path, allowed_files=()):
            super().__init__(fail_on_errors=True)
            self.root = Path(os.path.realpath(root))
            self.allowed = {Path(os.path.realpath(p)) for p in allowed_files}
            self.refused: list[tuple[str, str]] = []

        def refusal(self, url: str) -> str | None:
            """Why ``url`` may not be loaded, or None when it may."""
            try:
                parts = urlsplit(url)
            except ValueError:
                return "malformed URL"
            if parts.scheme.lower() != "file":
                return f"{parts.scheme or 'relative'} URLs are not loaded, only project files"
            if parts.netloc not in ("", "localhost"):
                return "file URLs on another host are not loaded"
            real = Path(os.path.realpath(url2pathname(parts.path)))
            if real.is_relative_to(self.root) or real in self.allowed:
                return None
            return "outside the project folder"

        def fetch(self, url, headers=None):
            reason = self.refusal(url)
            if reason:
                self.refused.append((url, reason))
                raise PermissionError(f"refused {url}: {reason}")
            return super().fetch(url, headers)

    return ConfinedFetcher


def confined_fetcher(root: Path, allowed_files=()):
    """A WeasyPrint URL fetcher confined to ``root`` and ``allowed_files``."""
    return _fetcher_class()(root, allowed_files)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@contextmanager
def captured_log(name: str = "weasyprint"):
    """Collect the logger's warnings and errors; nothing reaches stderr meanwhile."""
    logger = logging.getLogger(name)
    handler, propagate = _Collect(), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _source_location(url: str, context: RenderContext) -> Location:
    """The template line that names ``url`` (or its file name), else the CSS template."""
    needle = url2pathname(urlsplit(url).path).rsplit("/", 1)[-1] or url
    for kind in ("css", "html"):
        path, _ = context.config.template(kind)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if url in line or needle in line:
                rel = path.relative_to(context.root).as_posix() if path.is_relative_to(context.root) else str(path)
                return Location(rel, number, line.find(needle) + 1 if needle in line else 1)
    path, where = context.config.template("css")
    return Location(path.relative_to(context.root).as_posix(), 1, 1) if path.is_relative_to(context.root) else where


_CSS_AT = re.compile(r"\bat (\d+):(\d+)\b")


def _log_diagnostics(records, context: RenderContext) -> list[Diagnostic]:
    """WeasyPrint's log as diagnostics. Its CSS messages say "at LINE:COL" of the
    stylesheet, which the template puts first in its <style>, so they map to the file."""
    path, where = context.config.template("css")
    rel = path.relative_to(context.root).as_posix() if path.is_relative_to(context.root) else str(path)
    out = []
    for record in records:
        message = record.getMessage()
        found = _CSS_AT.search(message)
        at = Location(rel, int(found[1]), int(found[2])) if found else Location(rel, 1, 1)
        if message.startswith(".notdef glyph rendered"):
            out.append(error("FNT003", f"no font has a glyph: {message.split(': ', 1)[-1]}",
                             context.config.font.location, "use a font family that covers the text"))
        elif record.levelno >= logging.ERROR:
            out.append(error("PDF002", f"WeasyPrint: {message}", at))
        else:
            out.append(warning("PDF003", f"WeasyPrint: {message}", at))
    return out


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def font_problems(fonts, font: FontConfig) -> list[Diagnostic]:
    """FNT002 for each embedded font family other than the configured one."""
    wanted = _squash(font.family)
    others: dict[str, set[str]] = {}
    for used in fonts:
        name = used.name.decode("latin-1") if isinstance(used.name, bytes) else str(used.name)
        if wanted not in _squash(used.family) and wanted not in _squash(name):
            others.setdefault(used.family, set()).update("".join(used.to_unicode.values()))
    return [error("FNT002", f"font fallback used: {family} (for {''.join(sorted(chars))[:24]!r})", font.location,
                  f"the stylesheet names another font, or the text has characters '{font.family}' lacks")
            for family, chars in sorted(others.items())]


class PdfRenderer:
    """Print HTML → PDF/UA-1 through WeasyPrint; deterministic for a fixed timestamp."""

    format = "pdf"

    def __init__(self):
        # WeasyPrint warnings (e.g. an unknown CSS property) from the last render.
        self.diagnostics: list[Diagnostic] = []

    def render(self, document: m.Document, context: RenderContext) -> bytes:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import FatalURLFetchingError, URLFetchingError

        config = context.config
        html = document_html(document, context, "print", font_face_css(config.font))
        fetcher = confined_fetcher(context.root, [path for _, path in config.font.files])
        options = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
        with captured_log() as records:
            try:
                rendered = HTML(string=html, base_url=str(context.root), url_fetcher=fetcher).render(
                    font_config=FontConfiguration(), **options)
                data = rendered.write_pdf(**options)
            except (FatalURLFetchingError, URLFetchingError) as exc:
                url = _failed_url(exc)
                reason = dict(fetcher.refused).get(url) or _reason(exc)
                raise ReportError(error("PDF001", f"cannot load {url}: {reason}", _source_location(url, context))) from None
        # A refusal WeasyPrint caught and skipped is still an error, never a silent gap.
        problems = [error("PDF001", f"cannot load {url}: {reason}", _source_location(url, context))
                    for url, reason in dict(fetcher.refused).items()]
        problems += _log_diagnostics(records, context)
        problems += font_problems(rendered.fonts.values(), config.font)
        self.diagnostics = [p for p in problems if p.severity is Severity.WARNING]
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors:
            raise ReportError(errors)
        return data


def _reason(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    cause = getattr(cause, "reason", cause)  # urllib wraps the OSError in a URLError
    return getattr(cause, "strerror", None) or str(cause)


def _failed_url(exc: BaseException) -> str:
    found = re.search(r'"([^"]+)"', str(exc))
    return found[1] if found else str(exc)
