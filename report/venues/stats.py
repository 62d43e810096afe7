"""What ``report stats`` prints: a submission's figures at a glance, beside its venue's limits.

:func:`gather` takes a loaded project (report.build.load, in the language asked for) and
returns a JSON-ready dict with stable keys (documented in docs/authors.md, "Venues");
:func:`to_text` turns it into the lines ``report stats`` prints.
"""

from __future__ import annotations

from pathlib import Path

from report import model as m
from report.venues.pages import built_pages
from report.venues.words import section_counted, section_words, totals


def gather(loaded, root: Path) -> dict:
    """The loaded document's counts, the pages of its last build, the venue's rules."""
    from report.freshness import up_to_date

    config = loaded.project.config
    document = loaded.document
    language = document.metadata.language
    sections = section_words(document)
    words = totals(sections)
    blocks = [b for s in document.sections for b in m.walk_blocks(s.blocks)]
    notes = document.footnotes()
    out_dir = root / "build" / language
    pages = built_pages(out_dir)
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
        "build": {"folder": f"build/{language}", "up_to_date": any(pages.values()) and up_to_date(
            root, language, tuple(f for f, n in pages.items() if n), loaded.document.metadata.draft)},
        "venue": None,
    }
    if venue is not None:
        data["venue"] = {
            "name": venue.name, "submission": venue.submission, "title": venue.title,
            "guidelines": venue.guidelines, "re_check": list(venue.re_check), "overridden": list(venue.overridden),
            "word_limit": venue.word_limit, "counts": list(parts), "counted_words": counted,
            "over_by": max(0, counted - venue.word_limit) if venue.word_limit else 0,
            "numbered_paragraphs": venue.numbered_paragraphs, "page_numbers": venue.page_numbers,
            "formats": list(venue.formats), "languages": list(venue.languages),
            "largest_sections": [{"path": s.path, "counted": section_counted(s, parts)}
                                 for s in sorted(sections, key=lambda s: -section_counted(s, parts))[:3]],
        }
    return data


def _n(value: int) -> str:
    return f"{value:,}"


def to_text(data: dict) -> list[str]:
    """The lines ``report stats`` prints for ``data`` (from :func:`gather`)."""
    words = data["words"]
    lines = [f"{s['path']}: {_n(s['body'])} words, {_n(s['notes'])} in notes" + (" (annex)" if s["annex"] else "")
             for s in data["sections"]]
    lines.append(f"words: {_n(words['body'])} in the body, {_n(words['notes'])} in the notes, "
                 f"{_n(words['annexes'])} in annexes")
    numbered = f" ({data['numbered_paragraphs']} numbered)" if data["numbered_paragraphs"] else ""
    lines.append(f"paragraphs: {data['paragraphs']}{numbered}; notes: {data['notes']}; sources cited: "
                 f"{data['sources']}; figures: {data['figures']}; tables: {data['tables']}")
    known = [f"{fmt} {n}" for fmt, n in data["pages"].items() if n]
    if known:
        state = "up to date" if data["build"]["up_to_date"] else "older than the sources"
        lines.append(f"pages: {', '.join(known)} ({data['build']['folder']}/, {state})")
    else:
        lines.append(f"pages: not known before a PDF is built in {data['build']['folder']}/ "
                     "(Word counts a .docx's pages when it opens it)")
    venue = data["venue"]
    if venue is None:
        return lines
    label = f"{venue['name']} ({venue['submission']})" if venue["submission"] else venue["name"]
    lines.append(f"venue: {label}, {venue['title']}")
    if venue["word_limit"]:
        over = f": {_n(venue['over_by'])} over" if venue["over_by"] else ""
        lines.append(f"  length: {_n(venue['counted_words'])} of {_n(venue['word_limit'])} words "
                     f"({' and '.join(venue['counts'])}){over}")
    required = [rule for rule, on in (("numbered paragraphs", venue["numbered_paragraphs"]),
                                      ("page numbers", venue["page_numbers"])) if on]
    if required:
        lines.append(f"  required: {', '.join(required)}")
    for key in ("formats", "languages"):
        if venue[key]:
            lines.append(f"  {key}: {', '.join(venue[key])}")
    if venue["guidelines"]:
        lines.append(f"  guidelines: {venue['guidelines']}")
    if venue["re_check"]:
        lines.append(f"  re-check against the current guidelines: {', '.join(venue['re_check'])}")
    return lines
