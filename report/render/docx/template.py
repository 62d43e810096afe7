"""Open the reference document and fill its placeholders.

Takes the reference.docx path (with the config location that named it) and the
title-page values; returns a python-docx ``Document`` whose title page, headers
and footers have been rendered by docxtpl. Every way the file can be unusable
becomes a located ReportError: TPL001 missing or unreadable, TPL003 not a Word
document, TPL002 a placeholder Jinja cannot render.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from report.diagnostics import Location, error
from report.errors import ReportError

MAIN_PART = "word/document.xml"

# Reference documents opened ahead of the render by a worker process (see prepare), by
# path and file identity (inode, size, mtime and ctime, which no copy tool can set);
# each is used once, since rendering fills it in.
_prepared: dict[tuple, object] = {}


def _stamp(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return str(path), stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def prepare(path: Path) -> None:
    """Open and parse ``path`` now, for the next :func:`render_reference` of the same,
    unchanged file. A file that cannot be opened is left for that call to report."""
    from docxtpl import DocxTemplate

    stamp = _stamp(path)
    try:
        template = DocxTemplate(io.BytesIO(_read_package(path, str(path), Location(str(path), 1, 1))))
        template.init_docx()
    except Exception:  # noqa: BLE001 - render_reference reports it, located
        return
    if stamp is not None and _stamp(path) == stamp:
        _prepared[stamp] = template


def _open(path: Path, shown: str, where: Location):
    """A DocxTemplate of ``path``: the prepared one if the file is unchanged, else read now."""
    from docxtpl import DocxTemplate

    stamp = _stamp(path)
    prepared = _prepared.pop(stamp, None) if stamp is not None else None
    if prepared is not None:
        return prepared
    data = _read_package(path, shown, where)
    template = DocxTemplate(io.BytesIO(data))
    try:
        template.init_docx()
    except Exception as exc:  # noqa: BLE001 - any parse failure of a user's file is a user error
        raise ReportError(error("TPL003", f"{shown} is not a readable Word document: {exc}", where,
                                "open and re-save it in Word, or regenerate it")) from None
    return template


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _read_package(path: Path, shown: str, where: Location) -> bytes:
    """The file's bytes, once we know it is a zip holding a main document part."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(error("TPL001", f"cannot read the DOCX reference document {shown}: {exc.strerror or exc}",
                                where, "check 'templates: docx:' in report.yaml")) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        raise ReportError(error("TPL003", f"{shown} is not a Word document (not a zip file)", where,
                                "save it from Word as .docx")) from None
    if MAIN_PART not in names or "[Content_Types].xml" not in names:
        raise ReportError(error("TPL003", f"{shown} is not a Word document (no {MAIN_PART})", where,
                                "save it from Word as .docx")) from None
    return data


def render_reference(path: Path, where: Location, root: Path, values: dict[str, str]):
    """The reference document (a python-docx ``Document``) with ``values`` rendered
    into its Jinja placeholders, in the body, headers, footers and footnotes.

    ``values`` are plain strings; docxtpl's autoescape makes ``<``, ``&`` and quotes
    safe, and the caller has already removed characters XML cannot hold. A name the
    values lack is TPL002, located at the reference document and naming the part.
    """
    from jinja2 import TemplateError
    from lxml.etree import XMLSyntaxError

    shown = _relative(path, root)
    template = _open(path, shown, where)
    # docxtpl also renders the core properties as templates; the build replaces them
    # anyway, so they are emptied first rather than rendered (an error there would be
    # reported against the last part docxtpl rendered).
    core = template.docx.core_properties
    for name in ("author", "comments", "identifier", "language", "subject", "title"):
        setattr(core, name, "")
    try:
        template.render(values, jinja_env=_placeholders(), autoescape=True)
    except TemplateError as exc:
        # Jinja's line number counts lines of docxtpl's rewritten XML: useless to a
        # designer. The part (document, header, footer) does say where to look.
        part = getattr(template, "current_rendering_part", None)
        detail = f" ({part.partname.membername})" if part is not None else ""
        raise ReportError(error("TPL002", f"placeholder error in {shown}{detail}: {exc.message or exc}",
                                Location(shown, 1, 1), "placeholders are {{ title }}, {{ subtitle }}, "
                                "{{ organization }}, {{ date }}, {{ draft }}, {{ page_prefix }}, "
                                "{{ page_infix }} and {{ page_suffix }}")) from None
    except XMLSyntaxError as exc:
        raise ReportError(error("TPL002", f"placeholders in {shown} produce broken XML: {exc}",
                                Location(shown, 1, 1), "keep each {% if %} … {% endif %} inside one paragraph")) from None
    return template.docx


_environment = None


def _placeholders():
    """The Jinja environment for the reference's placeholders, one a process. StrictUndefined:
    a mistyped placeholder ({{ titel }}) is an error, not a blank. It compiles each part's
    XML once: an --all-locales build renders the same reference for every language."""
    global _environment
    if _environment is None:
        from jinja2 import Environment, StrictUndefined

        class CompiledOnce(Environment):
            def from_string(self, source, globals=None, template_class=None):
                if globals is not None or template_class is not None or not isinstance(source, str):
                    return super().from_string(source, globals, template_class)
                compiled = self.compiled.get(source)
                if compiled is None:
                    compiled = self.compiled[source] = super().from_string(source)
                return compiled

        _environment = CompiledOnce(undefined=StrictUndefined, autoescape=True)
        _environment.compiled = {}
    return _environment
