"""``report import``: a Word report (.docx) with footnotes → a report project.

The stages, each in its own module:

* :mod:`.package` opens the untrusted zip and parses its XML parts within limits;
* :mod:`.docx` (with :mod:`.styles`, :mod:`.runs` and :mod:`.blocks`) reads the
  body and notes into :mod:`report.model` blocks, accepting tracked changes;
  :mod:`.drawing` and :mod:`.figures` make its pictures figures and their images
  project files, :mod:`.captions` gives them (and tables) their Word captions and
  labels, and turns REF fields to those captions into cross-references;
* :mod:`.notes` (with :mod:`.refs`) recognises references in the notes and plans
  citations and registry entries;
* :mod:`.verify` builds the project in a scratch folder until every note renders
  as the original did, writing :mod:`.markdown` (checked block by block with
  :mod:`.signature`) through :mod:`.writer`;
* :func:`.writer.place` renames the project into place, all or nothing.

:func:`import_docx` runs them and returns an :class:`ImportResult`; every user
error is a :class:`~report.errors.ReportError` with one IMP diagnostic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from report import model as m
from report.errors import ReportError
from report.importer.package import Limits, fail, open_package

# The stages are imported in import_docx: report review reads Word files through
# report.importer.package and needs none of them (they import the Markdown parser).


@dataclass(frozen=True)
class ImportResult:
    into: Path
    sections: int
    notes: int
    cited: int        # notes written as citations (wholly or in part)
    entries: int      # registry entries
    statements: list[str] = field(default_factory=list)


def default_templates() -> Path:
    """The tool's default templates, shipped inside the package (``report/templates/``)."""
    from report.scaffold import templates_dir

    return templates_dir()


def import_docx(source: Path, into: Path, force: bool = False, templates: Path | None = None,
                limits: Limits = Limits(), shown: str | None = None, shown_into: str | None = None) -> ImportResult:
    """Import ``source`` into the project folder ``into`` (see the module doc).

    ``shown`` and ``shown_into`` are the paths as the user wrote them, for messages."""
    from report.importer.docx import read_document
    from report.importer.log import ImportLog
    from report.importer.notes import plan_notes
    from report.importer.verify import settle
    from report.importer.writer import check_target, place

    shown = shown or str(source)
    shown_into = shown_into or str(into)
    check_target(into, force, shown_into)  # refuse before any work; place() checks again
    templates = templates or default_templates()
    if not templates.is_dir():
        raise fail("IMP009", f"templates folder not found: {templates}", shown,
                   "pass --templates with a folder holding reference.docx, report.html.j2, report.css, notes.csl")
    log = ImportLog()
    try:
        package = open_package(source, shown, limits)
        try:
            doc = read_document(package, log)
        finally:
            package.close()
        plans, registry = plan_notes(_notes_in_order(doc.blocks))
        settled = settle(doc, plans, registry, templates, Path(shown).name, log, shown)
    except ReportError:
        raise
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - an untrusted file must end in one line
        raise fail("IMP011", f"cannot import {shown}: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}", shown,
                   "the file is unusual in a way the import does not handle; please report it") from None
    place(settled.files, into, force, shown_into)
    if settled.degraded:
        log.count("converted", "block to plain text (Markdown cannot express its emphasis)", settled.degraded)
    entries = sum(1 for line in settled.files["references/sources.yaml"].decode().splitlines() if line.startswith("- id:"))
    return ImportResult(into, settled.sections, len(plans), sum(1 for p in plans if not p.free), entries,
                        log.statements())


def _notes_in_order(blocks: list) -> list[m.Note]:
    """The Word notes in reading order, as the note transform will number them."""
    return [node for block in blocks for inlines in m.block_inlines(block)
            for node in m.descendants(inlines, into_notes=False) if isinstance(node, m.Note)]


__all__ = ["ImportResult", "Limits", "import_docx", "default_templates"]
