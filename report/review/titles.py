"""Where a box's or callout's title stands in its section's source.

Takes a caption :class:`~report.review.located.Unit` of a :class:`~report.model.Div`
and its :class:`~report.review.sourcefile.SourceFile`; :func:`title_value` returns
where a title written in the div's attributes (``::: {#box-x .box title="…"}``,
``::: {.callout-tip title='…'}``) has its value, and :func:`heading_start` where a
callout's first heading (Quarto's other way of titling one) starts. :mod:`.trace`
traces the title's text there; :mod:`.mapping` writes an edit of a ``title="…"`` with
the attribute's escapes.
"""

from __future__ import annotations

import bisect
import re

from report import model as m

_FENCE = re.compile(r"[ \t]*:{3,}[ \t]*")
# One key=value of an attribute block (report.parse.attributes' grammar): a value in
# quotes is read whole, so a "title=" inside another value is not taken for the title.
_PAIR = re.compile(r"""([A-Za-z_][\w:.-]*)=(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|([^\s"'}]+))""")


def _fence(unit, source) -> re.Match | None:
    """The ``:::`` opening the div on the unit's line, or None (a caption of another
    block, or a unit located elsewhere: a translation's PO entry)."""
    if unit.kind != "caption" or type(unit.node) is not m.Div:
        return None
    at = source.offset(unit.location)
    if at is None:
        return None
    return _FENCE.match(source.text, source.starts[bisect.bisect_right(source.starts, at) - 1])


def in_div(unit, source) -> bool:
    """Whether ``unit`` is a box's or callout's title located at its div's opening line."""
    return _fence(unit, source) is not None


def title_value(unit, source) -> tuple[int, int, str] | None:
    """(start, end, quote) of the value of the div's ``title=`` in the source (quote: the
    value's ``"`` or ``'``, "" when bare); None when the title is not written there."""
    fence = _fence(unit, source)
    text = source.text
    if fence is None or not text.startswith("{", fence.end()):
        return None
    stop = text.find("\n", fence.end())
    for pair in _PAIR.finditer(text, fence.end(), len(text) if stop < 0 else stop):
        if pair.group(1) == "title":
            group = next(g for g in (2, 3, 4) if pair.group(g) is not None)
            return pair.start(group), pair.end(group), {2: '"', 3: "'", 4: ""}[group]
    return None


def heading_start(unit, source) -> int | None:
    """Where the line of a callout's first heading, its title, starts (its title's nodes
    carry that heading's line); None when the title is not a heading below the div's line."""
    lines = [node.location.line for node in unit.node.title
             if getattr(node, "location", None) is not None and node.location.path == source.path]
    if not lines or lines[0] <= unit.location.line or lines[0] > len(source.starts):
        return None
    return source.starts[lines[0] - 1]
