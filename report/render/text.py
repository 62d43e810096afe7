"""Text every backend can carry, and the links every backend may make live.

:func:`visible` drops characters that XML 1.0 forbids, C1 controls, Unicode
noncharacters (never meant as text; HTML5 and Word reject them) and the bidi
embeddings and overrides U+202A–U+202E, whose effect runs on past the text they
came with (an override in a registry title reverses the rest of its note); the
backends escape what is left. :func:`safe_href` is the one rule for which link
targets become live links in HTML, PDF and DOCX.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_UNWANTED = re.compile("[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\u2029\u202f-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd"
                       "\U00010000-\U0010ffff]"
                       "|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")

# Only these schemes become live links; javascript:, data:, file: and relative
# targets are shown as their text so a source cannot smuggle behaviour in, and a
# file path would point at nothing once the document leaves the build machine.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def visible(text: str) -> str:
    """``text`` without the characters no output may carry (see the module doc)."""
    return _UNWANTED.sub("", text)


def plain_label(text: str) -> str:
    """``text`` as one line for a label (bookmark, attribute): visible characters,
    runs of white space (line breaks included) made one space, ends trimmed."""
    return " ".join(visible(text).split())


def safe_href(href: str) -> str | None:
    """``href`` (stripped, unwanted characters dropped) when its scheme is http,
    https or mailto, else None."""
    href = visible(href).strip()
    try:
        # urlsplit drops the tabs and newlines browsers ignore, so "java\tscript:" is seen as javascript.
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return None
    return href if scheme in SAFE_SCHEMES else None
