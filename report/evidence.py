"""The evidence matrix: documented incidents × the provisions they engage, each cell
holding the footnote numbers of the incident's sources.

Takes the resolved document and the treaties; gives the matrix as rows of plain
values (for ``evidence.csv``), as a standalone HTML page (``evidence.html``) and
as a model Table for the optional annex.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from markupsafe import escape

from report import model as m
from report.checks.provisions import resolve
from report.diagnostics import Location


@dataclass(frozen=True)
class Matrix:
    provisions: tuple[str, ...]                 # canonical instrument:article, sorted
    rows: tuple[tuple[object, tuple[str, ...]], ...]  # (incident, one cell per provision)


def _notes_in(inlines) -> list[m.Footnote]:
    return [n for n in m.descendants(inlines, into_notes=False) if isinstance(n, m.Footnote)]


def _incident_notes(document: m.Document) -> dict[str, list[m.Footnote]]:
    """Incident id → the footnotes of the paragraph that describes it."""
    found: dict[str, list] = {}
    for section in document.sections:
        for block in section.blocks:
            for inlines in m.block_inlines(block):
                notes = _notes_in(inlines)
                if isinstance(block, m.Paragraph) and "incident" in block.classes and block.id:
                    found.setdefault(block.id, notes)
                for node in m.descendants(inlines, into_notes=False):
                    if isinstance(node, m.Span) and "incident" in node.classes and node.id:
                        found.setdefault(node.id, notes)
    return found




def build_matrix(document: m.Document, treaties) -> Matrix:
    notes_by_incident = _incident_notes(document)
    engaged = {}
    for incident in treaties.incidents:
        refs = set()
        for ref, where in incident.provisions:
            canonical, problem = resolve(ref, where, treaties)
            if canonical:
                refs.add(canonical)
        engaged[incident.id] = refs
    order = {instrument_id: n for n, instrument_id in enumerate(treaties.instruments)}

    def position(canonical: str):  # as instruments.yaml lists them, then by article
        instrument_id, article = canonical.split(":")
        return order.get(instrument_id, len(order)), int(article)

    provisions = tuple(sorted({p for refs in engaged.values() for p in refs}, key=position))
    rows = []
    for incident in treaties.incidents:
        keys = {key.lower() for key, _ in incident.sources}
        numbers = sorted({note.number for note in notes_by_incident.get(incident.id, [])
                          if any(c.key.lower() in keys for c in note.cites)})
        cell = ", ".join(str(n) for n in numbers) or "–"
        rows.append((incident, tuple(cell if p in engaged[incident.id] else "" for p in provisions)))
    return Matrix(provisions, tuple(rows))


def _label(canonical: str, treaties, short: bool = False) -> str:
    instrument_id, article = canonical.split(":")
    instrument = treaties.instruments[instrument_id]
    return f"{instrument.abbreviation} {article}" if short else f"{instrument.short_title}, art. {article}"


def to_csv(matrix: Matrix, treaties) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["incident", "summary", "date", *matrix.provisions])
    for incident, cells in matrix.rows:
        writer.writerow([incident.id, incident.summary, incident.date or "", *cells])
    return out.getvalue().encode("utf-8")


def to_html(matrix: Matrix, treaties, title: str, language: str) -> bytes:
    head = "".join(f'<th scope="col" title="{escape(_label(p, treaties))}">{escape(p)}</th>' for p in matrix.provisions)
    body = []
    for incident, cells in matrix.rows:
        tds = "".join(f"<td>{escape(c)}</td>" for c in cells)
        body.append(f'<tr><th scope="row" title="{escape(incident.summary)}">{escape(incident.id)}</th>{tds}</tr>')
    page = (f'<!DOCTYPE html>\n<html lang="{escape(language)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}: evidence matrix</title>\n"
            "<style>body{font-family:serif;margin:2em}table{border-collapse:collapse}"
            "th,td{border:1px solid #999;padding:.3em .5em;text-align:center}th[scope=row]{text-align:left}</style>\n"
            f"</head>\n<body>\n<h1>Evidence matrix</h1>\n<p>Incidents × provisions; each cell lists the "
            f"footnotes that source the incident.</p>\n<table>\n<thead><tr><th>incident</th>{head}</tr></thead>\n"
            f"<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>\n</body>\n</html>\n")
    return page.encode("utf-8")


def annex_section(matrix: Matrix, treaties, where: Location, language: str = "en") -> m.Section:
    """The matrix as a document section (an annex after the report's own sections),
    its headings and caption in ``language``."""
    from report.i18n.strings import tool_strings

    _ = tool_strings(language)
    def cell(text: str):
        return (m.Text(text, where),)

    header = (cell(_("Incident")),) + tuple(cell(_label(p, treaties, short=True)) for p in matrix.provisions)
    rows = tuple((cell(incident.summary),) + tuple(cell(c) for c in cells) for incident, cells in matrix.rows)
    caption = cell(_("Documented incidents and the provisions they engage (article numbers); each cell gives "
                     "the footnotes that source the incident."))
    key = "; ".join(f"{i.abbreviation}: {i.title}" for i in treaties.instruments.values()
                    if any(p.startswith(i.id + ":") for p in matrix.provisions))
    widths = (8.0,) + (1.0,) * len(matrix.provisions)  # the summary column takes the room
    blocks = (m.Table(header, rows, where, caption, widths), m.Paragraph((m.Text(key + ".", where),), where))
    return m.Section("annex-evidence-matrix", _("Annex: Evidence matrix"), blocks, where)
