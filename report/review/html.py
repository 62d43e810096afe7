"""``review.html``: each change and comment of a review beside its source text.

Takes the findings in reading order (:class:`~report.review.finding.Finding`) and the
source files' texts; returns one self-contained UTF-8 page (no script, no external
resource: a Content-Security-Policy says so to the browser), grouped by source file.
Every text in it comes from the reviewer's file or the sources and is escaped: a
comment reading ``<script>`` shows as those characters.
"""

from __future__ import annotations

from html import escape

from report.review.edits import UNTRACKED

CONTEXT_LINES = 1  # source lines shown before and after the one a finding is on
WINDOW = 240  # characters of a long line shown each side of a finding's place (a paragraph is often one line)

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2em auto; max-width: 62em; padding: 0 1em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 2em; border-bottom: 1px solid #ccc; }
.finding { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; padding: .6em 0; border-bottom: 1px solid #eee; }
.what p { margin: .2em 0; } .meta { color: #555; font-size: .9em; }
.source { font: 13px/1.45 ui-monospace, monospace; background: #f7f7f7; padding: .4em .6em; white-space: pre-wrap;
          overflow-wrap: anywhere; margin: 0; }
.source .here { background: #fff3b0; } .lineno { color: #999; user-select: none; }
del { background: #fdd; } ins { background: #dfd; text-decoration: none; }
.refused { color: #a00; } .applied { color: #070; } .comment { border-left: 3px solid #88a; padding-left: .5em; }
"""


def review_html(reviewed: str, build: str, identity: str, findings, sources: dict[str, str]) -> bytes:
    """The page for ``findings`` of the file ``reviewed`` (as shown), read against
    ``build``; ``sources`` maps project-relative paths to their text."""
    changes = [f for f in findings if f.kind != "comment"]
    placed = sum(1 for f in changes if f.source is not None)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           f"<title>Review of {escape(reviewed)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>Review of {escape(reviewed)}</h1>",
           f'<p class="meta">Read against {escape(build)} (build {escape(identity[:12])}). '
           f"{len(changes)} change(s): {placed} placed in the sources, {len(changes) - placed} not applied; "
           f"{len(findings) - len(changes)} comment(s).</p>"]
    path = None
    for finding in findings:
        if finding.location.path != path:
            path = finding.location.path
            out.append(f"<h2>{escape(path)}</h2>")
        out.append(_finding(finding, sources.get(path)))
    out.append("</body></html>\n")
    return "\n".join(out).encode("utf-8")


def _finding(finding, text: str | None) -> str:
    where = finding.location
    who = ", ".join("untracked" if a == UNTRACKED else a for a in finding.authors) or (
        "made with tracking off" if finding.kind == UNTRACKED else "unknown")
    meta = f"{escape(str(where))} · {escape(who)}" + (f" · {escape(finding.date[:10])}" if finding.date else "")
    if finding.part != "body":
        meta += f" · {escape(finding.part)}"
    if finding.kind == "comment":
        if finding.reply_to:  # a link to the comment it answers
            meta += f' · <a href="#comment-{escape(finding.reply_to)}">reply to {escape(finding.reply_to_author)}</a>'
        if finding.resolved:
            meta += " · resolved"
        body = f'<p class="comment" id="comment-{escape(finding.id)}">{escape(finding.text)}</p>'
    else:
        status = ('<p class="applied">placed in the source</p>' if finding.source is not None
                  else f'<p class="refused">not applied: {escape(finding.reason or "")}</p>')
        label = {"untracked": "untracked change", "move": "moved", "conflict": "conflict"}.get(finding.kind, "change")
        if finding.kind == "conflict":  # the source's words now, beside the reviewer's
            status += f'<p class="refused">the source now reads: <q>{escape(finding.now)}</q></p>'
        body = f"<p><strong>{label}</strong>: <del>{escape(finding.old)}</del> → <ins>{escape(finding.new)}</ins></p>{status}"
    return (f'<div class="finding" id="{escape(str(where))}"><div class="what"><p class="meta">{meta}</p>{body}</div>'
            f"{_context(text, where.line, where.col)}</div>")


def _context(text: str | None, line: int, col: int) -> str:
    """The source lines around ``line``, the finding's place marked from ``col`` to the
    end of its word; of a long line, the words within :data:`WINDOW` characters of it (of
    the lines around, their start), cut with "…"."""
    if text is None:
        return '<pre class="source">(source not found)</pre>'
    lines = text.splitlines()
    first, last = max(1, line - CONTEXT_LINES), min(len(lines), line + CONTEXT_LINES)
    shown = []
    for number in range(first, last + 1):
        content = lines[number - 1]
        if number == line:
            start = min(max(col - 1, 0), len(content))
            end = start
            while end < len(content) and not content[end].isspace():
                end += 1
            lo, hi = _window(content, start - WINDOW, end + WINDOW)
            marked = (("…" if lo else "") + escape(content[lo:start])
                      + f'<span class="here">{escape(content[start:end]) or " "}</span>'
                      + escape(content[end:hi]) + ("…" if hi < len(content) else ""))
        else:
            lo, hi = _window(content, 0, WINDOW // 2)
            marked = escape(content[:hi]) + ("…" if hi < len(content) else "")
        shown.append(f'<span class="lineno">{number:>4} </span>{marked}')
    return f'<pre class="source">{chr(10).join(shown)}</pre>'


def _window(content: str, lo: int, hi: int) -> tuple[int, int]:
    """``[lo, hi)`` within ``content``, widened to whole words."""
    lo, hi = max(lo, 0), min(hi, len(content))
    while 0 < lo and not content[lo - 1].isspace():
        lo -= 1
    while hi < len(content) and not content[hi].isspace():
        hi += 1
    return lo, hi
