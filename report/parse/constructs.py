"""Recognisers shared by the model builder and the translation segments: what a
figure paragraph, a table caption, a stray fence or a leftover piece of markup
looks like in markdown-it's tokens and in text.

Each function takes tokens or text and returns what it found, never a model node,
so that :mod:`report.parse.segments` offers a translator exactly the pieces the
builder later looks up (a figure's caption and alternative text, a box title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report.parse.attributes import Attributes, leading_block, parse_attributes

CAPTION = re.compile(r"^(?:[Tt]able)?:\s+")
_STRAY_FENCE = re.compile(r"^:{3,}\s*$")
_GRID_TABLE = re.compile(r"^\+[-=:+]{3,}")
_RAW_TEX = re.compile(r"^\\[A-Za-z]+(?:\{[^}]*\})*\s*$")
_TITLE_BLOCK = re.compile(r"^%\s")
_PANDOC_LIST = re.compile(r"^(?:#\.|\(@[\w-]*\))\s")
_TASK = re.compile(r"^\[([ xX])\]\s")

# Markup that must never reach a reader as text: what is left of a construct the
# builder did not turn into a node (checked on text the parser made, not on
# escapes, which are separate text tokens).
_LEFTOVERS = (
    (re.compile(r"\{\{<.*?>\}\}"), "Quarto shortcodes are not supported",
     "a page break, a video or an include has no place in the sources: remove it", "MD029"),
    (re.compile(r"!\[[^\]]*\]\("), "an image inside running text, or one whose path is not a file's",
     "put the image in a paragraph of its own, with a project file's path, to make it a figure"),
    (re.compile(r"\[[^\]\n]*\]\([^)\s]*\)"), "a link whose target cannot be used",
     "links go to http:, https: or mailto: addresses"),
    (re.compile(r"\^\[[^\]]*\]"), "a note where notes cannot be read (inside a subscript or superscript)",
     "put the note after it: H~2~O^[The note.]"),
    (re.compile(r"\{(?:[#.][\w:-]|-\}|=\w)"), "an attribute block that belongs to nothing",
     "attributes go at the end of a heading or paragraph, after an image, or after a [span]"),
    (re.compile(r"\[\^[^\]\s]+\]"), "a note label with no note",
     "define it on a line of its own: [^label]: the note's text"),
    (re.compile(r"^:{3,}"), "a ':::' fence that opens or closes nothing",
     "a fenced div opens with ::: {.class} and closes with a bare :::"),
)


@dataclass(frozen=True)
class FigureParts:
    """A paragraph that is one image: the caption's Markdown, the path as written
    and the attributes after it (empty when none)."""

    caption: str
    src: str
    attrs: Attributes


def figure_parts(inline_token) -> FigureParts | None:
    """The figure a paragraph's inline token holds, or None when it holds more than
    one image and its attribute block (or no image at all)."""
    children = list(inline_token.children or ())
    if not children or children[0].type != "image":
        return None
    image, rest = children[0], children[1:]
    if any(t.type not in _RAW_TEXT for t in rest):
        return None
    # The attribute block as written, from the tokens markdown-it made of it: an escape or
    # an entity is its own token whose markup ("\\\"", "&amp;") is the source text, and a
    # quoted value may look like a tag ("<EXIT>") or a citation.
    after = "".join(_raw(t) for t in rest).strip()
    attrs = Attributes()
    if after:
        found = leading_block(after)
        if found is None or found[1] != len(after):
            return None
        attrs = found[0]
    return FigureParts(image.content, str(image.attrs.get("src", "")), attrs)


_RAW_TEXT = frozenset({"text", "text_special", "softbreak", "html_inline", "citation", "intext"})


def _raw(token) -> str:
    if token.type == "text_special":
        return token.markup or token.content
    return "\n" if token.type == "softbreak" else token.content


def div_attributes(info: str) -> Attributes | None:
    """A fenced div's attributes: ``{#id .class key=value}`` or a single class name."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        return parse_attributes(info[1:-1])
    if re.fullmatch(r"[\w:.-]+", info):
        return Attributes(classes=(info,))
    return None


def caption_text(text: str) -> str | None:
    """A table caption paragraph's text without its ``:`` or ``Table:``; None when the
    paragraph is no caption."""
    match = CAPTION.match(text)
    return text[match.end():] if match else None


def paragraph_refusal(text: str) -> tuple[str, str, str] | None:
    """(code, message, hint) when a whole paragraph is a construct the tool refuses."""
    if _STRAY_FENCE.match(text):
        return ("MD012", "a ':::' fence that closes no fenced div", "remove it, or open the div with ::: {.class}")
    if _GRID_TABLE.match(text):
        return ("MD013", "grid tables are not supported", "write a pipe table: | a | b | then | --- | --- |")
    if _TITLE_BLOCK.match(text):
        return ("MD026", "a Pandoc title block ('% Title') is not supported",
                "the title, subtitle and organization go in report.yaml")
    if _PANDOC_LIST.match(text):
        return ("MD027", f"Pandoc's '{text.split()[0]}' list markers are not supported",
                "number the items yourself: 1. 2. 3.")
    if _RAW_TEX.match(text.strip()):
        return ("MD014", f"raw LaTeX '{text.strip()[:30]}' is not supported",
                "the outputs are Word, PDF and HTML: write the text itself, or remove the command")
    return None


def is_task(text: str) -> bool:
    """Whether a list item's text opens with a task box, ``[ ]`` or ``[x]``."""
    return _TASK.match(text) is not None


_LATEX = re.compile(r"\\[A-Za-z]{2,}\{")


def raw_latex(text: str) -> int | None:
    """The offset of a LaTeX command with an argument (``\\textbf{``, ``\\begin{``) in a
    run of text, or None. Escaped characters carry no backslash in the run."""
    match = _LATEX.search(text)
    return match.start() if match else None


_YAML_KEY = re.compile(r"^[A-Za-z_][\w-]*:(?:\s|$)")


def yaml_block_starts(lines: list[str]) -> list[int]:
    """The first line (0-based) of each Pandoc YAML metadata block in ``lines``: a
    ``---`` line not followed by a blank one, then ``key: value`` lines, closed by
    ``---`` or ``...`` (CommonMark would show a rule and a heading). Fenced code is skipped."""
    starts, fence, n = [], None, 0
    while n < len(lines):
        opened = _FENCE_LINE.match(lines[n])
        if fence is not None or opened:
            if fence is None:
                fence = opened.group(1)
            elif opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            n += 1
            continue
        if lines[n].rstrip() == "---" and n + 1 < len(lines) and _YAML_KEY.match(lines[n + 1]):
            end = n + 1
            while end < len(lines) and lines[end].rstrip() not in ("---", "...") and lines[end].strip():
                end += 1
            if end < len(lines) and lines[end].rstrip() in ("---", "..."):
                starts.append(n)
                n = end + 1
                continue
        n += 1
    return starts


_ATTRIBUTE_LINE = re.compile(r"^ {0,3}\{[#.][^{}]*\}\s*$")


def dropped_attribute_lines(lines: list[str], tokens) -> list[int]:
    """Body lines (0-based) holding an attribute block alone that no block took: the
    attribute plugin gives such a line to the block that follows, and drops it when
    none does (the end of the section). Lines inside any block are not looked at."""
    covered, starts = set(), []
    for tok in tokens:
        if tok.map:
            covered.update(range(*tok.map))
            starts.append(tok.map[0])
    last = max(starts, default=-1)
    return [n for n, line in enumerate(lines) if n not in covered and n > last and _ATTRIBUTE_LINE.match(line)]


def leftover_markup(text: str) -> tuple[int, str, str, str] | None:
    """(offset, message, hint, code) of the first piece of unparsed markup in ``text``."""
    for pattern, message, hint, *code in _LEFTOVERS:
        match = pattern.search(text)
        if match:
            return match.start(), message, hint, code[0] if code else "MD021"
    return None


_COLUMN_RULE = re.compile(r"^ {0,3}-{3,}(?:[ \t]+-{3,})+[ \t]*$")
_FENCE_LINE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def pandoc_table_starts(lines: list[str]) -> list[int]:
    """The first line (0-based) of each Pandoc simple or multiline table in ``lines``:
    a block holding a rule of dashed columns (``-----  ------``), which CommonMark would
    show as paragraphs, rules and code. Fenced code is skipped."""
    starts, fence, last = [], None, -1
    for number, line in enumerate(lines):
        opened = _FENCE_LINE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        if _COLUMN_RULE.match(line):
            start = number
            while start > 0 and lines[start - 1].strip():
                start -= 1
            if start > last:  # one error a table, however many rules it has
                starts.append(start)
            end = number
            while end + 1 < len(lines) and lines[end + 1].strip():
                end += 1
            last = end
    return starts


def closing_token(tokens, i: int) -> int:
    """Index of the token that closes the one opened at ``i``."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
