"""PDF backend: the print HTML of :mod:`report.render.html`, laid out by WeasyPrint.

Takes the resolved document and a render context; returns tagged PDF/UA-1
bytes. Footnotes are CSS ``float: footnote`` spans at their call sites. Every
resource WeasyPrint loads goes through :class:`ConfinedFetcher` (project files
and the configured fonts only); WeasyPrint's log is captured, never printed,
and its errors become ReportErrors. After layout the embedded fonts are checked
so a glyph drawn from another installed font is an error, not a silent swap.
"""

from __future__ import annotations

import gc
import logging
import os
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from report import model as m
from report.config import FontConfig, FontFamily
from report.diagnostics import Diagnostic, Location, Severity, error, warning
from report.errors import ReportError
from report.render.base import RenderContext
from report.render.figures import release_served
from report.render.html import css_family, document_html
from report.render.labels import page_css

_FACES = {  # config face → (font-weight, font-style)
    "regular": ("normal", "normal"),
    "bold": ("bold", "normal"),
    "italic": ("normal", "italic"),
    "bold-italic": ("bold", "italic"),
}


def font_face_css(font: FontConfig | tuple[FontFamily, ...], language: str | None = None) -> str:
    """@font-face rules for the configured families the document needs (a FontConfig:
    its main family alone; a tuple: those families, from
    :func:`report.render.scripts.families_for`), and those families alone, in that
    order, for the whole page: no generic fallback, so a glyph none of them has shows
    up in the font check instead of being drawn from whatever else is installed."""
    families = (font.all_families()[0],) if isinstance(font, FontConfig) else font
    rules = []
    for entry in families:
        family = css_family(entry.family)
        for face, path in entry.files:
            # as_uri() percent-encodes quotes, so the URL cannot end its CSS string.
            weight, style = _FACES[face]
            rules.append(f"@font-face {{ font-family: {family}; font-weight: {weight}; "
                         f"font-style: {style}; src: url(\"{path.as_uri()}\"); }}")
    rules.append(f"html, pre, code, kbd, samp {{ font-family: {family_list(families)}; }}")
    rules += ltr_font_rules(families)
    return "\n".join(rules) + "\n"


def family_list(families) -> str:
    return ", ".join(css_family(entry.family) for entry in families)


def ltr_font_rules(families) -> list[str]:
    """When another script's family comes first (an Arabic report), the left-to-right
    pieces (``[dir=ltr]``: symbols, URLs, Latin titles) take the Latin family first, so
    "A/71/782" is not drawn with the Arabic family's digits."""
    latin = [entry for entry in families if "latin" in entry.scripts]
    if not latin or latin[0] is families[0]:
        return []
    ordered = latin[:1] + [entry for entry in families if entry is not latin[0]]
    return [f"[dir=\"ltr\"] {{ font-family: {family_list(ordered)}; }}"]


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from report.render.figures import PlannedImage, served

    class PlannedResponse(URLFetcherResponse):
        """A photograph's header, with the file its bytes will be in: WeasyPrint sizes
        the image from the header and reads a local image's file only when it writes
        the PDF (how it keeps memory low for large pictures)."""

        def __init__(self, url, body, headers, placeholder: Path):
            super().__init__(url, body, headers)
            self._placeholder = str(placeholder)

        @property
        def path(self):
            return self._placeholder

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
            image = served(url)
            if isinstance(image, PlannedImage):  # its size now, its bytes when the PDF is written
                return PlannedResponse(url, image.plan.header, {"Content-Type": "image/jpeg"}, image.placeholder)
            if image is not None:  # a figure the report prepared (report.render.figures)
                return URLFetcherResponse(url, image.data, {"Content-Type": image.mime})
            reason = self.refusal(url)
            if reason:
                self.refused.append((url, reason))
                raise PermissionError(f"refused {url}: {reason}")
            return super().fetch(url, headers)

    return ConfinedFetcher


def confined_fetcher(root: Path, allowed_files=()):
    """A WeasyPrint URL fetcher confined to ``root`` and ``allowed_files``."""
    return _fetcher_class()(root, allowed_files)


# WeasyPrint says which font file failed only at debug level ("Failed to load font at
# 'file:///…'"), then warns "Font-face 'X' cannot be loaded" without the file.
_FONT_FAILURE = re.compile(r"^Failed to (?:load|handle woff) font at ")
_FONT_FACE_FAILURE = re.compile(r"^Font-face .* cannot be loaded$")


class _Collect(logging.Handler):
    """Keeps warnings and errors, and the debug records naming a font that failed."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        if record.levelno >= logging.WARNING or _FONT_FAILURE.match(str(record.msg)):
            self.records.append(record)


@contextmanager
def captured_log(name: str = "weasyprint"):
    """Collect the logger's warnings and errors (and font-failure debug records);
    nothing reaches stderr meanwhile. Yields the list the records are added to."""
    logger = logging.getLogger(name)
    handler, propagate, level = _Collect(), logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)


def _named_in_template(url: str, context: RenderContext) -> Location | None:
    """The first CSS or HTML template line that names ``url`` (or its file name), or None."""
    try:
        needle = url2pathname(urlsplit(url).path).rsplit("/", 1)[-1] or url
    except ValueError:
        needle = url
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
    return None


def _source_location(url: str, context: RenderContext) -> Location:
    """The template line that names ``url`` (or its file name), else the CSS template."""
    found = _named_in_template(url, context)
    if found is not None:
        return found
    path, where = context.config.template("css")
    return Location(path.relative_to(context.root).as_posix(), 1, 1) if path.is_relative_to(context.root) else where


_CSS_AT = re.compile(r"\bat (\d+):(\d+)\b")


def _font_face(url: str, font: FontConfig) -> tuple[FontFamily, str] | None:
    """The configured family and face whose file ``url`` names, or None."""
    try:
        path = os.path.realpath(url2pathname(urlsplit(url).path)) if url.startswith("file:") else None
    except ValueError:
        return None
    for family in font.all_families():
        for face, configured in family.files:
            if url == configured.as_uri() or path == os.path.realpath(configured):
                return family, face
    return None


def _font_failures(records, context: RenderContext) -> list[Diagnostic]:
    """FNT002 for each font WeasyPrint could not load: at the face's entry in
    report.yaml when the failed URL is a configured font file, else at the
    template line naming the file, else at the ``fonts:`` entry. WeasyPrint's
    "Font-face … cannot be loaded" warnings become FNT002 at ``fonts:`` only when
    no failed file was named."""
    font = context.config.font
    out = []
    for record in records:
        if record.levelno < logging.WARNING and _FONT_FAILURE.match(str(record.msg)):
            url = str(record.args[0]) if isinstance(record.args, tuple) and record.args else ""
            found = _font_face(url, font)
            if found is not None:
                family, face = found
                path = dict(family.files)[face]
                shown = path.relative_to(context.root).as_posix() if path.is_relative_to(context.root) else str(path)
                out.append(error("FNT002", f"font file {shown} ({face} face of '{family.family}') cannot be loaded",
                                 family.where(face), "give a TrueType, OpenType or WOFF font file"))
            else:
                where = _named_in_template(url, context) or font.location
                out.append(error("FNT002", f"font {url} cannot be loaded", where,
                                 "give a TrueType, OpenType or WOFF font file"))
    if not out:
        out = [error("FNT002", f"WeasyPrint: {record.getMessage()}", font.location,
                     "give a TrueType, OpenType or WOFF font file")
               for record in records if _FONT_FACE_FAILURE.match(record.getMessage())]
    return list(dict.fromkeys(out))


def _log_diagnostics(records, context: RenderContext) -> list[Diagnostic]:
    """WeasyPrint's log as diagnostics. Its CSS messages say "at LINE:COL" of the
    stylesheet, which the template puts first in its <style>, so they map to the file.
    Font loading failures are FNT002 errors (:func:`_font_failures`)."""
    path, where = context.config.template("css")
    rel = path.relative_to(context.root).as_posix() if path.is_relative_to(context.root) else str(path)
    out = _font_failures(records, context)
    for record in records:
        message = record.getMessage()
        if record.levelno < logging.WARNING or _FONT_FACE_FAILURE.match(message):
            continue  # font failures, handled above
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


def font_problems(fonts, font: FontConfig, families: tuple[FontFamily, ...] | None = None) -> list[Diagnostic]:
    """FNT002 for each embedded font family other than the configured ones the
    document uses (``families``; the main family alone when not given)."""
    families = families or font.all_families()[:1]
    wanted = [_squash(entry.family) for entry in families]
    others: dict[str, set[str]] = {}
    for used in fonts:
        # A configured face carries its CSS family name (WeasyPrint puts it first in the
        # face's fontconfig pattern); a fallback, its own ("Noto Serif CJK SC", "DejaVu Sans").
        if _squash(used.family) not in wanted:
            others.setdefault(used.family, set()).update("".join(used.to_unicode.values()))
    names = "', '".join(entry.family for entry in families)
    return [error("FNT002", f"font fallback used: {family} (for {''.join(sorted(chars))[:24]!r})", font.location,
                  f"the stylesheet names another font, or the text has characters '{names}' lack")
            for family, chars in sorted(others.items())]


class PdfRenderer:
    """Print HTML → PDF/UA-1 through WeasyPrint; deterministic for a fixed timestamp."""

    format = "pdf"

    def __init__(self):
        # WeasyPrint warnings (e.g. an unknown CSS property) from the last render, and the
        # PDF004 note when the installed WeasyPrint runs without the fixes.
        self.diagnostics: list[Diagnostic] = []

    def render(self, document: m.Document, context: RenderContext) -> bytes:
        """The PDF; photographs not made yet are laid out by their size and made while
        the pages are (report.render.figures.print_images), when this WeasyPrint allows."""
        from report.render.figures import PlanMismatch, defers_photographs

        if defers_photographs():
            try:
                return self._render(document, context, defer=True)
            except PlanMismatch:
                pass  # laid out again, with the photographs made first (and a test fails)
        return self._render(document, context, defer=False)

    def _render(self, document: m.Document, context: RenderContext, defer: bool) -> bytes:
        from report.render import weasyprint_import, weasyprint_patches
        from report.render.figures import make_planned

        weasyprint_patches.apply()  # first: it also imports WeasyPrint, faster than stock
        # PDF004 when another WeasyPrint or pydyf than the fixes' runs stock: said with a
        # rendered PDF (not among errors), the same for every language, so printed once.
        notes = [note] if (note := weasyprint_patches.fallback_note(context.config.where("outputs"))) else []
        weasyprint_import.load_hyphenation(document.metadata.language)  # (a worker did already)
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import FatalURLFetchingError, URLFetchingError
        config = context.config
        families: list[FontFamily] = []

        def font_css(needed: tuple[FontFamily, ...]) -> str:
            families[:] = needed
            return font_face_css(needed)

        html = document_html(document, context, "print", font_css, defer_images=defer)
        missing = [error("FNT001", f"font file for '{face}' of '{entry.family}' not found: {path}", entry.where(face),
                         "install fonts-noto-core and fonts-noto-cjk, or give the project's fonts in report.yaml")
                   for entry in families for face, path in entry.files if not path.is_file()]
        if missing:
            raise ReportError(missing)
        fetcher = confined_fetcher(context.root, [path for entry in families for _, path in entry.files])
        options = {"pdf_variant": "pdf/ua-1", "uncompressed_pdf": False}
        fonts = FontConfiguration()
        with captured_log() as records, _rare_full_collections():
            try:
                # The translated footer and draft mark: a user stylesheet (page_css).
                labels = CSS(string=page_css(document), font_config=fonts, url_fetcher=fetcher)
                source = HTML(string=html, base_url=str(context.root), url_fetcher=fetcher)
                del html  # parsed: the string is not needed while the pages are laid out
                rendered = source.render(stylesheets=[labels], font_config=fonts, **options)
                # Layout leaves cyclic garbage (discarded line and page attempts); collected
                # now, it is not still held when writing the PDF adds its own peak.
                gc.collect()
                make_planned()  # the photographs the pages were laid out with, before they are written
                data = rendered.write_pdf(**options)
            except (FatalURLFetchingError, URLFetchingError) as exc:
                url = _failed_url(exc)
                reason = dict(fetcher.refused).get(url) or _reason(exc)
                raise ReportError(error("PDF001", f"cannot load {url}: {reason}", _source_location(url, context))) from None
            finally:
                release_served()
        # A refusal WeasyPrint caught and skipped is still an error, never a silent gap.
        problems = [error("PDF001", f"cannot load {url}: {reason}", _source_location(url, context))
                    for url, reason in dict(fetcher.refused).items()]
        problems += _log_diagnostics(records, context)
        if not any(p.code == "FNT002" for p in problems):
            # A font that failed to load explains any fallback: that error is enough.
            problems += font_problems(rendered.fonts.values(), config.font, tuple(families))
        self.diagnostics = [p for p in problems if p.severity is Severity.WARNING] + notes
        errors = [p for p in problems if p.severity is Severity.ERROR]
        if errors:
            raise ReportError(errors)
        return data


@contextmanager
def _rare_full_collections(every: int = 100):
    """Python's full garbage collections at most every ``every``-th second-generation
    one, not every 10th, while WeasyPrint lays out and writes. Each full pass visits
    every object the layout holds (millions for 300 pages): at the default that was 11
    passes and 1.7 s of a 287-page PDF, now 2 and 0.8 s, with the same peak memory, since
    the layout's garbage is collected before writing anyway."""
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], max(thresholds[2], every))
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _reason(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    cause = getattr(cause, "reason", cause)  # urllib wraps the OSError in a URLError
    return getattr(cause, "strerror", None) or str(cause)


def _failed_url(exc: BaseException) -> str:
    found = re.search(r'"([^"]+)"', str(exc))
    return found[1] if found else str(exc)
