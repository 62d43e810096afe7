"""Comments, each at its place in the sources, its thread after it.

Takes the reviewed :class:`~report.review.wordfile.WordFile` (its comments, their
anchors and threads: ``commentsExtended.xml``, or Google Docs' comments on one range),
its :class:`~report.review.pairing.Pairing` and the source files; returns one
:class:`~report.review.finding.Finding` per comment, located at the first character it
is anchored to (``fallback``, report.yaml, for one on the title page or in the
contents), each reply right after the comment it answers, naming it (``reply_to``: its
id; ``reply_to_author``), a resolved one saying so.
"""

from __future__ import annotations

from report.diagnostics import Location
from report.review.finding import Finding
from report.review.mapping import anchor_location, base_spans, to_base
from report.review.pairing import Pairing
from report.review.sourcefile import SourceFile
from report.review.wordfile import WordFile


def comment_findings(reviewed: WordFile, pairing: Pairing, sources: dict[str, SourceFile],
                     fallback: Location) -> list[Finding]:
    """See the module doc."""
    found: list[Finding] = []
    replies: dict[str, list] = {}
    for comment in reviewed.comments.values():
        if comment.reply_to is not None:
            replies.setdefault(comment.reply_to, []).append(comment)
    for cid, anchor in sorted(reviewed.anchors.items(), key=lambda item: item[0]):
        comment = reviewed.comments.get(cid)
        if comment is None or comment.reply_to is not None:
            continue
        paired = pairing.body[anchor.index] if anchor.part == "body" and anchor.index < len(pairing.body) \
            else pairing.notes.get(anchor.part)
        where = fallback
        if paired is not None and paired.unit is not None:
            where = paired.unit.location
            source = sources.get(where.path)
            if source is not None and paired.base is not None:
                spans = base_spans(paired.unit, paired.base, source).spans
                at = to_base(paired.reviewed.original, paired.base, anchor.offset)
                where = anchor_location(spans, at, source, paired.unit)
        part = paired.label if paired else "body"
        thread = [(comment, None)]
        while thread:
            one, answered = thread.pop(0)
            found.append(Finding("comment", where, (one.author,), one.date, part, text=one.text,
                                 reply_to=answered.id if answered else "", resolved=one.resolved, id=one.id,
                                 reply_to_author=answered.author if answered else ""))
            thread[:0] = [(reply, one) for reply in replies.get(one.id, ())]
    return found
