"""The renderer interface shared by every output format.

A renderer takes a resolved :class:`~report.model.Document` (every note a
numbered Footnote) and a :class:`RenderContext`, and returns the output file's
bytes. It never writes files itself: the build writes atomically. It raises
ReportError for user errors (a missing template or font) and must fail loudly
on a model node it does not know (:func:`unknown_node`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from report.config import Config
from report.model import Document


@dataclass(frozen=True)
class RenderContext:
    config: Config
    # The one build timestamp (SOURCE_DATE_EPOCH, else the report date), or None
    # when neither exists: then outputs carry no date at all.
    timestamp: dt.datetime | None
    # The git commit the build's sources are (report.sources.revision), or None.
    revision: str | None = None

    @property
    def root(self) -> Path:
        return self.config.root


class Renderer(Protocol):
    """``diagnostics`` holds the warnings of the last ``render`` (e.g. WeasyPrint's)."""

    format: str
    diagnostics: list

    def render(self, document: Document, context: RenderContext) -> bytes: ...


class UnknownNodeError(TypeError):
    """A renderer met a model node it has no rule for: a programming error."""


def unknown_node(renderer: str, node) -> UnknownNodeError:
    return UnknownNodeError(f"{renderer} renderer cannot render {type(node).__name__}")


def get_renderer(fmt: str) -> Renderer:
    """Import the backend only when its format is built (keeps `report check` light)."""
    if fmt == "html":
        from report.render.html import HtmlRenderer
        return HtmlRenderer()
    if fmt == "pdf":
        from report.render.pdf import PdfRenderer
        return PdfRenderer()
    if fmt == "docx":
        from report.render.docx import DocxRenderer
        return DocxRenderer()
    raise ValueError(fmt)
