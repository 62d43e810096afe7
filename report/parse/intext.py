"""A bare ``@label`` in running text, as a markdown-it inline rule.

Pandoc reads ``@key`` as an in-text citation and Quarto ``@fig-gate`` as a
cross-reference. Both become an ``intext`` token (``meta["key"]``, ``meta["offset"]``)
for the model builder, which makes a cross-reference of a reserved label and a
located error of anything else. An ``@`` inside a word (an e-mail address) is
left as text.
"""

from __future__ import annotations

import re

from report.parse.citations import KEY

_KEY = re.compile(KEY)


def intext_rule(state, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "@":
        return False
    if pos > 0 and (src[pos - 1].isalnum() or src[pos - 1] in "_.-+@"):
        return False  # name@example.org
    match = _KEY.match(src, pos + 1, state.posMax)
    if match is None:
        return False
    if not silent:
        token = state.push("intext", "", 0)
        token.meta = {"key": match.group(0), "offset": pos}
        token.content = src[pos:match.end()]
    state.pos = match.end()
    return True
