"""``--comments-in-source``: each reviewer's comment kept in the Markdown as an HTML comment.

Takes the comment findings and the source texts; returns, for each comment, the source
edit that inserts ``<!-- review Reviewer A 2026-12-01: Source for this date? -->``
right before the first word it is anchored to (a reply after it, saying whose comment it
answers; a resolved comment or thread not at all), or the reason it is not placed. The
outputs never show HTML comments (the parser drops them), so the discussion travels
with the text in version control and the report reads the same.

The place is moved out of any construct a comment cannot sit in (a citation group,
an attribute block, a link's destination, a code span, another comment), and each
file is parsed with and without its comments: a comment that would change anything
the outputs show is left out, with that reason.
"""

from __future__ import annotations

import re

from report.review.mapping import SourceEdit
from report.review.sourcefile import SourceFile

_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def comment_text(author: str, date: str, text: str) -> str:
    """The HTML comment for a reviewer's comment: one line, and nothing in it can end
    it early (``--`` becomes ``- -``)."""
    words = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    body = f"review {author} {date[:10]}: {words}".replace("\r", " ")
    while "--" in body:
        body = body.replace("--", "- -")
    return f"<!-- {body.rstrip('-').rstrip()} -->"


def safe_offset(source: SourceFile, offset: int) -> int:
    """``offset`` moved back to the start of any construct it falls inside."""
    text = source.text
    moved = True
    while moved:
        moved = False
        for start, end in source.jumps.items():
            if start < offset < end:
                offset, moved = start, True
        for open_, close in source.pairs.items():
            if open_ < offset <= close and text[open_ + 1:open_ + 3].lstrip("-").startswith("@"):
                offset, moved = open_, True  # a citation group: [@key, p. 3]
        line_start = text.rfind("\n", 0, offset) + 1
        line_end = text.find("\n", offset)
        for match in _CODE_SPAN.finditer(text, line_start, len(text) if line_end < 0 else line_end):
            if match.start() < offset < match.end():
                offset, moved = match.start(), True
    return offset


def comment_edits(findings, sources: dict[str, str]) -> tuple[list[tuple[object, SourceEdit]], dict[int, str]]:
    """([(comment finding, its insertion)], {id(finding): why not placed})."""
    files = {path: SourceFile(path, text) for path, text in sources.items()}
    placed, refused = [], {}
    for finding in findings:
        if finding.kind != "comment" or finding.resolved:
            continue  # a resolved discussion is over: nothing to carry in the text
        source = files.get(finding.location.path)
        offset = source.offset(finding.location) if source is not None else None
        if offset is None:
            refused[id(finding)] = "its place is not in a source file"
            continue
        at = safe_offset(source, offset)
        author = finding.authors[0] if finding.authors else "reviewer"
        if finding.reply_to:  # after its parent, at the same place (insertions keep their order)
            author += f" (reply to {finding.reply_to_author})"
        placed.append((finding, SourceEdit(source.path, at, at, comment_text(author, finding.date, finding.text))))
    return placed, refused


def changed_by_comments(path: str, without: str, with_comments: str) -> bool:
    """Whether the section ``path`` reads differently with its comments (the model, its
    source locations aside, or its diagnostics)."""
    return _shown(path, without) != _shown(path, with_comments)


def _shown(path: str, text: str):
    from report import model as m
    from report.errors import ReportError
    from report.parse.markdown import parse_section
    from report.sources.sections import section_from_text

    try:
        section, found = parse_section(section_from_text(path, text))
    except ReportError as exc:
        return ("error", sorted(d.code for d in exc.diagnostics))
    return _without_locations(m.to_data(section)), sorted(d.code for d in found)


def _without_locations(data):
    """The model's data without source locations, and adjacent texts joined (a comment
    inside a sentence parts its text node in two: the same words shown)."""
    if isinstance(data, dict):
        return {k: _without_locations(v) for k, v in data.items() if k != "location"}
    if isinstance(data, list):
        out = []
        for item in map(_without_locations, data):
            if out and _is_text(item) and _is_text(out[-1]):
                out[-1] = {**out[-1], "text": out[-1]["text"] + item["text"]}
            else:
                out.append(item)
        return out
    return data


def _is_text(item) -> bool:
    return isinstance(item, dict) and item.get("type") == "Text"
