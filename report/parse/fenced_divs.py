"""Pandoc's fenced divs as a markdown-it block rule.

``::: {#box-kharkiv .box title="…"}`` (or ``::: warning``, a single class) opens a
div; a line of three or more colons and nothing else closes it. As in Pandoc, a
fence with attributes always opens and a bare fence always closes, so divs nest
with fences of any length. Emits ``div_open`` (``meta["attrs"]``: the text after
the colons; ``meta["closed"]``: whether a closing fence was found) and
``div_close`` around the div's blocks.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^(:{3,})\s*(.*?)\s*:*\s*$")


def _fence(state, line: int) -> tuple[str, str] | None:
    start = state.bMarks[line] + state.tShift[line]
    text = state.src[start:state.eMarks[line]]
    if not text.startswith(":::"):
        return None
    match = _FENCE.match(text)
    return (match.group(1), match.group(2)) if match else None


def fenced_div_rule(state, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # an indented code block
    opened = _fence(state, start_line)
    if opened is None or not opened[1]:
        return False  # a bare fence closes; alone, the builder reports it
    if silent:
        return True
    depth, line, closed = 1, start_line + 1, False
    while line < end_line:
        if state.sCount[line] < state.blkIndent:
            break  # the container this div is in ended
        fence = _fence(state, line) if state.sCount[line] - state.blkIndent < 4 else None
        if fence is not None:
            depth += 1 if fence[1] else -1
            if depth == 0:
                closed = True
                break
        line += 1
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "div"
    state.lineMax = line
    token = state.push("div_open", "div", 1)
    token.map = [start_line, line]
    token.meta = {"attrs": opened[1], "closed": closed}
    state.md.block.tokenize(state, start_line + 1, line)
    state.push("div_close", "div", -1)
    state.parentType, state.lineMax = old_parent, old_max
    state.line = line + 1 if closed else line
    return True
