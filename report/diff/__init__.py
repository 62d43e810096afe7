"""``report diff``: compare two builds' document models, footnote-aware.

The stages, one module each:

- :mod:`.load`: a build folder or a git revision → :class:`~.load.Side` (model, manifest, report.docx);
- :mod:`.view`: a document → units (title, paragraph, list…) and footnotes, with located words;
- :mod:`.align`: OLD and NEW views → :class:`~.align.Alignment` (pairs by content, moves, a merged script);
- :mod:`.changes` and :mod:`.facts`: the alignment → the located :class:`~.changes.Change` list and counts;
- :mod:`.renumbered`: references whose target's number changed, each target once;
- :mod:`.text`, :mod:`.html`, :mod:`.redline`: the terminal summary and JSON, diff.html, redline.docx.

:func:`compare` runs the pure part on two sides; :func:`run_diff` loads them,
compares, renders and writes the files into the output folder atomically.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Location, error
from report.errors import ReportError


@dataclass(frozen=True)
class Comparison:
    old: object  # Side
    new: object
    alignment: object
    changes: tuple
    summary: dict
    outputs: dict
    files: tuple = ()  # names written to the output folder
    remarks: tuple = ()  # what could not be produced, and why


def compare(old, new) -> Comparison:
    """Two loaded sides → the comparison (alignment, ordered changes, counts)."""
    from report.diff.align import align
    from report.diff.changes import document_changes, summarize
    from report.diff.facts import fact_changes, output_changes
    from report.diff.renumbered import renumbered_references
    from report.diff.view import build_view

    alignment = align(build_view(old.document, old.sources), build_view(new.document, new.sources))
    changed_keys = {k for k in set(old.registry) & set(new.registry) if old.registry[k] != new.registry[k]}
    changes = sorted(document_changes(alignment, changed_keys), key=lambda c: c.order)
    changes += renumbered_references(old.document, new.document)
    changes += fact_changes(alignment, old, new)
    return Comparison(old, new, alignment, tuple(changes), summarize(changes), output_changes(old, new))


def render_files(result: Comparison) -> tuple[dict[str, bytes], list[str]]:
    """diff.html, changes.json and (when NEW has a report.docx) redline.docx."""
    from report.diff.html import to_html
    from report.diff.text import to_json

    files = {"diff.html": to_html(result).encode("utf-8")}
    remarks = []
    if result.new.docx is None:
        remarks.append("redline.docx not written: NEW has no report.docx (build it with --format docx)")
    else:
        files["redline.docx"] = _checked_redline(result)
    names = sorted(files) + ["changes.json"]
    files["changes.json"] = (to_json(Comparison(**{**result.__dict__, "files": tuple(names)})) + "\n").encode()
    return files, remarks


def _checked_redline(result) -> bytes:
    import zipfile

    from lxml import etree

    from report.diff.redline import redline

    try:
        return redline(result)
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError) as exc:
        raise ReportError(error("DIF007", f"NEW's report.docx cannot be read ({type(exc).__name__}: {exc})",
                                Location("report.docx"), "rebuild NEW with `report build`")) from None


OUR_FILES = frozenset({"diff.html", "redline.docx", "changes.json"})


def write_folder(out_dir: Path, files: dict[str, bytes]) -> None:
    """Replace ``out_dir`` by a folder holding exactly ``files``: written into a
    staging folder beside it, then renamed in, so a reader never sees half a diff.
    A folder holding anything else (``--out build/en`` by mistake) is not replaced."""
    if out_dir.is_dir() and any(p.name not in OUR_FILES for p in out_dir.iterdir()):
        raise ReportError(error("DIF006", "the output folder holds files that are not a diff's; not replacing it",
                                Location(str(out_dir)), "choose another --out"))
    from report.outputs import replace_folder

    try:
        replace_folder(out_dir, files)
    except OSError as exc:
        raise ReportError(error("DIF006", f"cannot write the diff: {exc.strerror or exc}", Location(str(out_dir)))) \
            from None


def run_diff(old: str, new: str, project: Path, out_dir: Path, locale: str | None = None,
             allow_fuzzy: bool = False, editions: tuple[str, str] = ("public", "public")) -> Comparison:
    """Load both sides, compare, and write diff.html, changes.json and redline.docx to
    ``out_dir``. ``locale`` and ``allow_fuzzy`` are for revisions built in a translation;
    ``editions`` (OLD's, NEW's) for revisions, and folders that hold both editions:
    ("confidential", "public") lists what the public edition withholds."""
    from report.diff.load import load_sides

    sides = load_sides(old, new, project, locale, allow_fuzzy, editions)
    result = compare(*sides)
    files, remarks = render_files(result)
    write_folder(out_dir, files)
    return Comparison(**{**result.__dict__, "files": tuple(sorted(files)), "remarks": tuple(remarks)})
