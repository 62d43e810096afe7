"""Where each value the title page shows comes from: report.yaml's scalar or a PO entry's msgstr.

Takes one value as the build showed it (``title``, ``subtitle``, ``organization``:
:func:`report.render.docx.properties.title_values`; the ``date``) and where the build
read it: report.yaml's text (:func:`yaml_target`, :func:`date_target`) or, for a
translation, its PO file and entries (:func:`msgstr_target`). Returns its
:class:`Target`: the scalar or msgstr a change of it is written to, or why it is not
edited (changed since the build, a fuzzy or untranslated entry, a file that cannot be
read). :mod:`.titlepage` places the changes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from report.diagnostics import Location
from report.review.sourcefile import SourceFile
from report.review.yamlvalue import Scalar, mapping, top_scalar


@dataclass(frozen=True)
class Target:
    """Where one shown value comes from: report.yaml's ``scalar`` (in ``source``), a
    ``msgstr`` (a :class:`~report.review.translation.MsgstrSource`; ``lead``: the blanks
    the build stripped before it), or only ``reason``: why it is not edited."""

    key: str
    where: Location
    reason: str | None = None
    source: SourceFile | None = None
    scalar: Scalar | None = None
    msgstr: object = None
    lead: int = 0


def yaml_target(key: str, value: str, source: SourceFile, fallback: Location) -> Target:
    """report.yaml's top-level ``key`` (in ``source``), when it still holds the ``value`` the build showed."""
    scalar, reason, at = top_scalar(source.text, key)
    where = source.location(at) if at >= 0 else fallback
    if scalar is not None and scalar.value != value:
        reason = f"report.yaml's {key} changed since the build (edit it there by hand)"
    return Target(key, where, reason, source, scalar if reason is None else None)


def msgstr_target(key: str, value: str, po: str, po_text: str, entries: dict) -> Target:
    """A translation's ``report:<key>`` entry: its msgstr, when the build showed it."""
    from babel.messages.pofile import read_po

    from report.review.translation import MsgstrSource

    try:
        message = next((m for m in read_po(io.StringIO(po_text)) if m.context == f"report:{key}"), None)
    except Exception:  # noqa: BLE001 - the build read it; a file not read here is not edited
        message = None
    entry = entries.get((message.lineno or 1) + 1) if message is not None else None
    if entry is None:
        return Target(key, Location(po, 1, 1), f"{po} has no entry for report.yaml's {key}, so the build showed "
                      "its source text; report.yaml is not changed (translate it there)")
    if not entry.text.strip() or entry.text.strip() != value:
        state = "untranslated" if not entry.text.strip() else "fuzzy"
        return Target(key, Location(po, entry.line, 1), f"the build showed report.yaml's {key}: its entry at "
                      f"{po}:{entry.line} is {state}; report.yaml is not changed (translate it there)")
    msgstr = MsgstrSource(po, entry)
    return Target(key, msgstr.location(0), msgstr=msgstr, lead=len(entry.text) - len(entry.text.lstrip()))


def date_target(root: Path, date, fallback: Location) -> Target:
    """report.yaml's ``date`` (YYYY-MM-DD), which the title page writes in full in the
    build's language: a change there is read back (report.review.datevalue) and written
    as the date it names."""
    from report.config import CONFIG_NAME

    try:
        text = (root / CONFIG_NAME).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return Target("date", fallback, "report.yaml cannot be read")
    source = SourceFile(CONFIG_NAME, text)
    scalar, reason, at = top_scalar(text, "date")
    where = source.location(at) if at >= 0 else fallback
    if scalar is not None and (date is None or scalar.value.strip() != date.isoformat()):
        scalar, reason = None, "report.yaml's date changed since the build (edit it there by hand)"
    return Target("date", where, reason, source, scalar)


def yaml_mapping(text: str) -> dict:
    """report.yaml's ``text`` as a mapping; {} when it does not load as one."""
    return mapping(text) or {}
