"""One top-level text value of a YAML file (report.yaml's ``title``…), edited in place.

:func:`top_scalar` takes the file's text and a key; returns the value's :class:`Scalar`
(its range in the text, its quoting, where each character of the value stands), or why
it is not edited here: no such key, an alias, an anchor other values may use, a block
scalar (``|``, ``>``), a value written over several lines, not a text. The parser's
events say what the loaded data hides. :func:`escaped` writes inserted text as the
scalar's quoting needs it; :func:`reads_as` checks an edited file loads as the old one
with just that value changed, the only proof an edit is right.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

HAND = " (edit it there by hand)"


@dataclass(frozen=True)
class Scalar:
    key: str
    start: int  # the scalar in the file's text, quotes included
    end: int
    style: str | None  # None (plain), "'" or '"'
    value: str
    chars: tuple[tuple[int, int], ...] | None  # each value character's range in the text; None: not read here


def top_scalar(text: str, key: str, name: str = "report.yaml") -> tuple[Scalar | None, str | None, int]:
    """(the scalar of the top-level ``key``, or None with the reason; where the value
    starts, or -1 when the file has no such key). ``name`` names the file in reasons."""
    event = _value_event(text, key)
    if event is None:
        return None, f"{name} has no {key} (add it there)", -1
    at, own = event.start_mark.index, f"{name}'s {key}"
    if isinstance(event, yaml.AliasEvent):
        return None, f"{own} is an alias (*) of another value" + HAND, at
    if not isinstance(event, yaml.ScalarEvent):
        return None, f"{own} is not a text" + HAND, at
    if event.anchor is not None:
        return None, f"{own} has an anchor (&) that other values may use" + HAND, at
    if event.style in ("|", ">"):
        return None, f"{own} is a block scalar ({event.style}), which is not edited safely here" + HAND, at
    if event.start_mark.line != event.end_mark.line:
        return None, f"{own} is written over several lines" + HAND, at
    start, end = at, event.end_mark.index
    read = _characters(text[start:end], start, event.style)
    chars = tuple((a, b) for a, b, _ in read) if read is not None and \
        "".join(c for _, _, c in read) == event.value else None
    return Scalar(key, start, end, event.style, event.value, chars), None, at


def _value_event(text: str, key: str):
    """The parser's event for the value of the top-level ``key``, or None."""
    depth, position, wanted = 0, 0, False
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
                continue
            if not isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent, yaml.CollectionStartEvent)):
                continue
            if depth == 1:  # the top mapping's keys and values, in turn
                if wanted:
                    return event
                wanted = position % 2 == 0 and isinstance(event, yaml.ScalarEvent) and event.value == key
                position += 1
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
    except yaml.YAMLError:
        return None
    return None


def _characters(raw: str, start: int, style: str | None) -> list[tuple[int, int, str]] | None:
    """(start, end, character) of each character a one-line scalar ``raw`` at ``start``
    reads as; None when an escape reads as other than one character."""
    if style is None:
        return [(start + i, start + i + 1, ch) for i, ch in enumerate(raw)]
    inner, out, i = raw[1:-1], [], 0
    while i < len(inner):
        size, ch = 1, inner[i]
        if style == "'" and inner.startswith("''", i):
            size = 2
        elif style == '"' and ch == "\\":
            size = 2 + {"x": 2, "u": 4, "U": 8}.get(inner[i + 1:i + 2], 0)
            try:
                ch = yaml.safe_load('"' + inner[i:i + size] + '"')
            except yaml.YAMLError:
                return None
            if not isinstance(ch, str) or len(ch) != 1:
                return None
        out.append((start + 1 + i, start + 1 + i + size, ch))
        i += size
    return out


def raw_range(scalar: Scalar, start: int, end: int) -> tuple[int, int]:
    """The range of the text that holds the value's characters ``[start, end)`` (an
    insertion: where it goes). Needs ``scalar.chars``."""
    chars = scalar.chars
    inner_end = chars[-1][1] if chars else scalar.start + (0 if scalar.style is None else 1)
    first = chars[start][0] if start < len(chars) else inner_end
    return first, (chars[end - 1][1] if end > start else first)


def escaped(text: str, style: str | None) -> str:
    """``text`` as it stands inside a scalar of ``style`` (:func:`reads_as` checks it)."""
    if style == "'":
        return text.replace("'", "''")
    if style == '"':
        return json.dumps(text, ensure_ascii=False)[1:-1]
    return text


def rewritten(new: str) -> str:
    """``new`` as a double-quoted scalar, which holds any one-line text."""
    return json.dumps(new, ensure_ascii=False)


def mapping(text: str) -> dict | None:
    """``text`` (report.yaml's) loaded as the build loads it
    (:func:`report.sources.yamlfile.load_yaml`); None when it does not load as a mapping:
    malformed YAML, a duplicate key, a value that is no value (``date: 2024-13-45``)."""
    from report.errors import ReportError
    from report.sources.yamlfile import load_yaml

    try:
        data = load_yaml(text, "report.yaml").data
    except ReportError:
        return None
    return data if isinstance(data, dict) else None


def reads_as(text: str, key: str, new: str, loaded: dict) -> bool:
    """Whether ``text`` loads as ``loaded`` (the file before) with ``key`` now ``new``."""
    data = mapping(text)
    return data is not None and data.get(key) == new and \
        {k: v for k, v in data.items() if k != key} == {k: v for k, v in loaded.items() if k != key}
