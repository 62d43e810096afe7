"""Pandoc's line blocks as a markdown-it block rule: lines that start with ``| ``.

Each ``|`` line is one line of the block (a continuation line starts with a
space); its leading spaces are kept. Emits ``line_block_open``, one ``inline``
token per line (``meta["indent"]``: the leading spaces it keeps), ``line_block_close``.
Runs after the table rule, so a pipe table is never taken for a line block.
"""

from __future__ import annotations


def _line(state, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def line_block_rule(state, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    first = _line(state, start_line)
    if not (first == "|" or first.startswith("| ")):
        return False
    if silent:
        return True
    lines: list[tuple[int, str]] = []
    line = start_line
    while line < end_line:
        text = _line(state, line)
        if text == "|" or text.startswith("| "):
            lines.append((line, text[2:]))
        elif text and state.sCount[line] > state.blkIndent and lines:
            row, previous = lines[-1]
            lines[-1] = (row, previous + " " + text.strip())  # a continuation line
        else:
            break
        line += 1
    token = state.push("line_block_open", "div", 1)
    token.map = [start_line, line]
    for row, text in lines:
        inline = state.push("inline", "", 0)
        kept = len(text) - len(text.lstrip(" "))
        inline.content = text.lstrip(" ")
        inline.meta = {"indent": kept}
        inline.map = [row, row + 1]
        inline.children = []
    state.push("line_block_close", "div", -1)
    state.line = line
    return True
