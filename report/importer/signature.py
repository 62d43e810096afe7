"""What a block means, for :mod:`.markdown` to compare a block with its Markdown parsed back.

:func:`signature` takes model blocks and returns a comparable value without
locations: the structure, the text with white space collapsed, emphasis, links,
notes, citations, cross-references, and a figure's file, alternative text, label,
width and caption (a table's caption and label too).
"""

from __future__ import annotations

from markdown_it.common.normalize_url import normalizeLink

from report import model as m


def signature(blocks) -> list:
    """What a block means, without locations: structure, text (white space collapsed), notes."""
    out = []
    for block in blocks:
        if isinstance(block, m.Paragraph):
            out.append(("P", _inl(block.children)))
        elif isinstance(block, m.Heading):
            out.append(("H", block.level, _inl(block.children)))
        elif isinstance(block, m.BlockQuote):
            out.append(("Q", signature(block.children)))
        elif isinstance(block, m.ListBlock):
            out.append(("L", block.ordered, block.start if block.ordered else 1, [signature(i) for i in block.items]))
        elif isinstance(block, m.CodeBlock):
            out.append(("C", block.text.rstrip("\n")))
        elif isinstance(block, m.Table):
            out.append(("T", [_inl(c) for c in block.header], [[_inl(c) for c in r] for r in block.rows],
                        _inl(block.caption), block.id))
        elif isinstance(block, m.Figure):
            alt = " ".join(block.alt.split()) if block.alt is not None else None
            out.append(("F", block.src, alt, block.id, block.width, _inl(block.caption)))
        else:
            out.append((type(block).__name__,))
    return out


def _inl(nodes) -> list:
    tokens: list = []
    for node in nodes:
        if isinstance(node, m.Text):
            if tokens and tokens[-1][0] == "t":
                tokens[-1] = ("t", tokens[-1][1] + node.text)
            else:
                tokens.append(("t", node.text))
        elif isinstance(node, m.Span):
            tokens.extend(_inl(node.children))
        elif isinstance(node, m.Citation):
            tokens.append(("cite", tuple((i.key, i.prefix, i.locator_label, i.locator, i.suffix) for i in node.items)))
        elif isinstance(node, m.LineBreak):
            tokens.append(("br",))
        elif isinstance(node, m.CrossRef):
            tokens.append(("x", node.labels, node.bare, node.prefix))
        elif isinstance(node, m.Code):
            tokens.append(("c", node.text.strip()))
        elif type(node) in (m.Emph, m.Strong) and len(_solid(node.children)) == 1 and \
                type(_solid(node.children)[0]) in (m.Emph, m.Strong) and type(_solid(node.children)[0]) is not type(node):
            tokens.append(("Emph+Strong", _inl(_solid(node.children)[0].children)))  # ***x***, either nesting
        else:
            extra = (normalizeLink(node.href),) if isinstance(node, m.Link) else ()
            tokens.append((type(node).__name__,) + extra + (_inl(node.children),))
    out = []
    for i, token in enumerate(tokens):
        if token[0] == "t":
            text = " ".join(token[1].split())
            text = (" " if token[1][:1].isspace() and i and tokens[i - 1][0] != "br" else "") + text
            text += " " if token[1][-1:].isspace() and i + 1 < len(tokens) and tokens[i + 1][0] != "br" and text else ""
            if text:
                out.append(("t", text))
        else:
            out.append(token)
    return out


def _solid(nodes) -> list:
    return [n for n in nodes if not (type(n) is m.Text and not n.text)]
