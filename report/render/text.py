"""Text every backend can carry: characters that XML 1.0 forbids, C1 controls and
Unicode noncharacters are dropped (they are never meant as text, and HTML5 and
Word reject them); everything else is kept and escaped by the backend."""

from __future__ import annotations

import re

_UNWANTED = re.compile("[^\u0009\u000a\u000d\u0020-\u007e\u00a0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd\U00010000-\U0010ffff]"
                       "|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U000ffffe\U000fffff\U0010fffe\U0010ffff]")


def visible(text: str) -> str:
    return _UNWANTED.sub("", text)
