"""What ``report stats`` prints: a submission's figures at a glance, beside its venue's limits.

:func:`gather` takes a loaded project (report.build.load, in the language asked for) and
returns a JSON-ready dict with stable keys (documented in docs/authors.md, "Venues");
:func:`to_text` turns it into the lines ``report stats`` prints: a table of words per
section, the other counts on one line, then each of the venue's rules with what it asks
and whether the project meets it, and the unmet rules as ``report check`` reports them.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from report import model as m
from report.venues.pages import built_pages
from report.venues.words import section_counted, section_words, totals

WIDTH = 88  # the text output's lines, wrapped for a terminal


def gather(loaded, root: Path) -> dict:
    """The loaded document's counts, the pages of its last build, the venue's rules and
    the ones it does not meet."""
    from report.freshness import up_to_date

    config = loaded.project.config
    document = loaded.document
    language = document.metadata.language
    sections = section_words(document)
    words = totals(sections)
    blocks = [b for s in document.sections for b in m.walk_blocks(s.blocks)]
    notes = document.footnotes()
    # The last build of this language and edition (report.outputs: build/<lang>/<edition>/).
    folder = Path("build") / language / loaded.edition
    pages = built_pages(root / folder)
    venue = config.venue
    parts = venue.counted() if venue else ("body",)
    counted = words.counted(parts)
    data = {
        "language": language,
        "words": {"body": words.body, "notes": words.notes, "annexes": words.annexes},
        "sections": [{"path": s.path, "title": s.title, "body": s.body, "notes": s.notes, "annex": s.annex}
                     for s in sections],
        "paragraphs": sum(isinstance(b, m.Paragraph) for b in blocks),
        "numbered_paragraphs": sum(isinstance(b, m.Paragraph) and b.number is not None for b in blocks),
        "notes": len(notes),
        "sources": len({cite.key for note in notes for cite in note.cites}),
        "figures": sum(isinstance(b, m.Figure) for b in blocks),
        "tables": sum(isinstance(b, m.Table) for b in blocks),
        "pages": pages,
        # Pages come from the files in build/<lang>/: say whether they are this text's.
        "build": {"folder": folder.as_posix(), "up_to_date": any(pages.values()) and up_to_date(
            root, language, tuple(f for f, n in pages.items() if n), loaded.document.metadata.draft,
            loaded.edition)},
        "venue": None,
    }
    if venue is not None:
        data["venue"] = {
            "name": venue.name, "submission": venue.submission, "title": venue.title,
            "guidelines": venue.guidelines, "re_check": list(venue.re_check), "overridden": list(venue.overridden),
            "word_limit": venue.word_limit, "counts": list(parts), "counted_words": counted,
            "over_by": max(0, counted - venue.word_limit) if venue.word_limit else 0,
            "numbered_paragraphs": venue.numbered_paragraphs, "page_numbers": venue.page_numbers,
            "annexes": venue.annexes,
            "formats": list(venue.formats), "languages": list(venue.languages), "required": list(venue.required),
            "largest_sections": [{"path": s.path, "counted": section_counted(s, parts)}
                                 for s in sorted(sections, key=lambda s: -section_counted(s, parts))[:3]],
            "unmet": _unmet(loaded),
        }
    return data


def _unmet(loaded) -> list[dict]:
    """The venue's warnings, as ``report check`` gives them (after report.yaml's
    ``checks: select/ignore``; a ``noqa`` comment is ``report check``'s alone)."""
    from report.checks import CheckContext
    from report.checks.venue import RULES
    from report.diagnostics import Severity, apply_policy, sort_key, to_json

    project = loaded.project
    context = CheckContext(project.config, project.registry, loaded.source, loaded.document, loaded.treaties)
    found = [d for rule in RULES for d in rule(context) if d.severity >= Severity.WARNING]
    return to_json(sorted(apply_policy(found, project.config.select, project.config.ignore), key=sort_key))


def _n(value: int) -> str:
    return f"{value:,}"


def _word_table(data: dict) -> list[str]:
    """Words per section, body and notes in right-aligned columns, then the totals."""
    rows = [(s["path"] + (" (annex)" if s["annex"] else ""), _n(s["body"]), _n(s["notes"])) for s in data["sections"]]
    words = data["words"]
    rows.append(("total", _n(words["body"]), _n(words["notes"])))
    first = max(len("words, as Word counts them"), *(len(r[0]) + 2 for r in rows))
    second = max(len("body"), *(len(r[1]) for r in rows)) + 2
    third = max(len("notes"), *(len(r[2]) for r in rows)) + 2
    lines = [f"{'words, as Word counts them':<{first}}{'body':>{second}}{'notes':>{third}}"]
    lines += [f"  {name:<{first - 2}}{body:>{second}}{notes:>{third}}" for name, body, notes in rows]
    lines.append(f"  {'annexes (body and notes)':<{first - 2}}{_n(words['annexes']):>{second}}")
    return lines


def _pages(data: dict) -> str:
    pages = data["pages"]
    shown = [f"{fmt} {pages[fmt]}" for fmt in ("pdf", "docx") if pages.get(fmt)]
    folder = data["build"]["folder"]
    if not shown:
        return f"pages: not known until a PDF is built in {folder}/"
    state = "up to date" if data["build"]["up_to_date"] else "older than the sources"
    docx = "" if pages.get("docx") else "; docx: Word counts its pages when it opens it"
    return f"pages: {', '.join(shown)} ({folder}/, {state}){docx}"


def _row(label: str, text: str) -> list[str]:
    """``  label       text``, the text wrapped under itself."""
    return textwrap.wrap(text, WIDTH, initial_indent=f"  {label:<11} ", subsequent_indent=" " * 14,
                         break_on_hyphens=False) or [f"  {label}"]


def _met(codes: set[str], code: str, ok: str = "met") -> str:
    return f"not met ({code})" if code in codes else ok


def _venue_lines(venue: dict, language: str) -> list[str]:
    codes = {d["code"] for d in venue["unmet"]}
    label = f"{venue['name']} ({venue['submission']})" if venue["submission"] else venue["name"]
    lines = [f"venue: {label}, {venue['title']}"]
    if venue["word_limit"]:
        spare = venue["word_limit"] - venue["counted_words"]
        status = f"not met, {_n(venue['over_by'])} over (VEN001)" if venue["over_by"] else f"met, {_n(spare)} to spare"
        lines += _row("length", f"{_n(venue['counted_words'])} of {_n(venue['word_limit'])} words "
                                f"({' and '.join(venue['counts'])}): {status}")
    else:
        lines += _row("length", "no limit")
    for label, rule, code in (("paragraphs", "numbered_paragraphs", "VEN003"), ("pages", "page_numbers", "VEN006")):
        lines += _row(label, f"numbered: {_met(codes, code)}" if venue[rule] else "numbering not required")
    if not venue["annexes"]:
        lines += _row("annexes", f"none accepted: {_met(codes, 'VEN007')}")
    if venue["formats"]:
        lines += _row("formats", f"{', '.join(venue['formats'])}: {_met(codes, 'VEN004')}")
    if venue["languages"]:
        lines += _row("languages", f"{', '.join(venue['languages'])}: {_met(codes, 'VEN005', f'met ({language})')}")
    if venue["required"]:
        lines += _row("opening", f"{', '.join(venue['required'])}: {_met(codes, 'VEN002')}")
    if venue["guidelines"]:
        lines += _row("guidelines", venue["guidelines"])
    if venue["re_check"]:
        lines += _row("re-check", f"{', '.join(venue['re_check'])}: compare with the guidelines in force "
                                  "before sending (the figures change between cycles)")
    if venue["unmet"]:
        lines.append("unmet (report check says the same):")
        for d in venue["unmet"]:
            text = f"{d['path']}:{d['line']}:{d['col']}: {d['code']}: {d['message']}"
            lines += textwrap.wrap(text, WIDTH, initial_indent="  ", subsequent_indent="      ",
                                   break_on_hyphens=False)
    return lines


def to_text(data: dict) -> list[str]:
    """The lines ``report stats`` prints for ``data`` (from :func:`gather`)."""
    lines = _word_table(data)
    numbered = f" ({data['numbered_paragraphs']} numbered)" if data["numbered_paragraphs"] else ""
    lines.append(f"paragraphs: {data['paragraphs']}{numbered}, notes: {data['notes']}, sources cited: "
                 f"{data['sources']}, figures: {data['figures']}, tables: {data['tables']}")
    lines.append(_pages(data))
    if data["venue"] is not None:
        lines.append("")
        lines += _venue_lines(data["venue"], data["language"])
    return lines
