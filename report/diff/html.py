"""diff.html: NEW's text with OLD's deletions and NEW's insertions inline.

Takes a :class:`~report.diff.Comparison`; returns one self-contained HTML page
(no script, no external resource; every text escaped). It walks the alignment's
script: paired units show word-level ``<del>``/``<ins>``, removed and added units
are struck or underlined whole, and each unit's footnotes follow it with their own
changes shown at the note (added, removed, edited, moved, renumbered). The list
of changes at the top links to an anchor on each; each anchor's badge links to
the next change, so a reviewer can step through them.
"""

from __future__ import annotations

from html import escape

from report.diff.changes import ACTIONS
from report.diff.text import change_id
from report.diff.view import Call, Token, word_key
from report.diff.words import opcodes

CSS = """
body{font:16px/1.5 Georgia,serif;max-width:50em;margin:2em auto;padding:0 1em;color:#222}
ins{background:#d7f5dd;text-decoration:underline}del{background:#fbdada;text-decoration:line-through}
.unit{margin:.6em 0;padding:.1em .5em;border-left:3px solid transparent}
.unit.same{color:#666}.unit.added{border-color:#3a3}.unit.removed{border-color:#c33}
.unit.changed,.unit.moved{border-color:#c90}
.notes{font-size:.85em;margin:.2em 0 1em 1.5em;padding:0;list-style:none;color:#444}
.notes li{margin:.2em 0}.notes .label{font-weight:bold;margin-right:.4em}
.call{font-size:.7em;vertical-align:super;line-height:0}
.badge{display:inline-block;font:bold 11px/16px sans-serif;color:#fff;background:#c60;border-radius:8px;
padding:0 6px;margin-right:.4em;text-decoration:none;vertical-align:middle}
.where{font:12px monospace;color:#666}nav li{margin:.15em 0}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th:first-child{text-align:left}
.zero{color:#bbb}
"""


class Page:
    def __init__(self, result):
        self.result = result
        self.al = result.alignment
        self.paired_new = {n: o for o, n in self.al.notes.items()}
        self.moved_from = {self.al.units[i]: i for i in self.al.moved_units}
        self.anchors: dict[tuple, list[int]] = {}
        self.placed: set[int] = set()
        for index, change in enumerate(result.changes):
            o, n = change.notes
            i, j = change.units
            if n is not None:
                key = ("note-new", n)
            elif o is not None:
                key = ("note-old", o)
            else:
                key = ("new", j) if j is not None else ("old", i) if i is not None else ("other",)
            self.anchors.setdefault(key, []).append(index)

    def badges(self, key) -> str:
        out = []
        total = len(self.result.changes)
        for index in self.anchors.get(key, ()):
            self.placed.add(index)
            target = change_id(index + 1) if index + 1 < total else "changes"
            out.append(f'<a class="badge" id="{change_id(index)}" href="#{target}" title="next change">'
                       f'{index + 1}</a>')
        return "".join(out)

    # --- text ------------------------------------------------------------------

    def call(self, number: int, old: bool = False) -> str:
        anchor = f"o{number}" if old else f"n{number}"
        return f'<sup class="call"><a href="#{anchor}">{number}</a></sup>'

    def tokens(self, tokens, old: bool = False) -> str:
        return "".join(self.call(t.number, old) if isinstance(t, Call) else escape(t.text) for t in tokens)

    def merged(self, old_tokens, new_tokens) -> str:
        """Word-level merge: equal words from NEW, OLD's in <del>, NEW's in <ins>."""
        def key(t, side):
            if isinstance(t, Token):
                return word_key(t)
            number = t.number if side == "new" else self.al.notes.get(t.number, ("gone", t.number))
            return ("call", number)

        a = [key(t, "old") for t in old_tokens]
        b = [key(t, "new") for t in new_tokens]
        if a == b:
            return self.tokens(new_tokens)
        out = []
        for tag, i1, i2, j1, j2 in opcodes(a, b):
            if tag == "equal":
                out.append(self.tokens(new_tokens[j1:j2]))
                continue
            if i2 > i1:
                out.append(f"<del>{self.tokens(old_tokens[i1:i2], old=True)}</del>")
            if j2 > j1:
                out.append(f"<ins>{self.tokens(new_tokens[j1:j2])}</ins>")
        return "".join(out)

    # --- units and their notes ---------------------------------------------------

    def unit(self, op: str, i, j) -> str:
        old = self.al.old.units[i] if i is not None else None
        new = self.al.new.units[j] if j is not None else None
        shown = new or old
        if op == "pair":
            body = self.merged(old.tokens, new.tokens)
            state = "changed" if old.text != new.text else "same"
        elif op == "delete":
            body, state = f"<del>{self.tokens(old.tokens, old=True)}</del>", "removed"
            if i in self.al.units:
                moved_to = self.al.new.units[self.al.units[i]].location
                body += f' <span class="where">(moved to {escape(str(moved_to))})</span>'
        else:
            body, state = f"<ins>{self.tokens(new.tokens)}</ins>", "added"
            back = self.moved_from.get(j)
            if back is not None:  # a moved unit shows only its own edits
                state, before = "moved", self.al.old.units[back]
                body = self.merged(before.tokens, new.tokens)
                body += f' <span class="where">(moved from {escape(str(before.location))})</span>'
        tag = {"title": "h2", "heading": "h3"}.get(shown.kind, "p")
        badges = (self.badges(("new", j)) if j is not None else "") + (self.badges(("old", i)) if i is not None else "")
        where = f'<span class="where">{escape(str(shown.location))}</span>'
        notes = self.notes(op, old, new)
        return (f'<div class="unit {state}">{badges}{where}<{tag}>{body}</{tag}>'
                f'{notes}</div>')

    def notes(self, op: str, old, new) -> str:
        """NEW's notes of the unit, then OLD's notes that are not among them (removed,
        or moved to another unit)."""
        items = [self.new_note(number) for number in (new.notes if new is not None else ())]
        for number in old.notes if old is not None else ():
            target = self.al.notes.get(number)
            if op == "delete" or target is None or self.al.new.notes[target].unit != new.index:
                items.append(self.old_note(number))
        return f'<ol class="notes">{"".join(items)}</ol>' if items else ""

    def new_note(self, number: int) -> str:
        note = self.al.new.notes[number]
        badges = self.badges(("note-new", number))
        old_number = self.paired_new.get(number)
        if old_number is None:
            return (f'<li id="n{number}">{badges}<span class="label">{number}</span>'
                    f'<ins>{self.tokens(note.tokens)}</ins> <span class="where">(added)</span></li>')
        old = self.al.old.notes[old_number]
        label = f"{number}" + (f" (was {old_number})" if old_number != number else "")
        moved = self.al.units.get(old.unit) != note.unit
        extra = f' <span class="where">(moved from {escape(str(old.location))})</span>' if moved else ""
        return f'<li id="n{number}">{badges}<span class="label">{escape(label)}</span>' \
               f'{self.merged(old.tokens, note.tokens)}{extra}</li>'

    def old_note(self, number: int) -> str:
        note = self.al.old.notes[number]
        badges = self.badges(("note-old", number))
        target = self.al.notes.get(number)
        where = f"moved to note {target}" if target is not None else "removed"
        return f'<li id="o{number}">{badges}<span class="label">old {number}</span>' \
               f'<del>{self.tokens(note.tokens, old=True)}</del> <span class="where">({where})</span></li>'

    # --- the page -------------------------------------------------------------------

    def summary(self) -> str:
        head = "".join(f"<th>{a}</th>" for a in ACTIONS)
        rows = []
        for kind, counts in self.result.summary.items():
            cells = "".join(f'<td class="{"" if counts[a] else "zero"}">{counts[a]}</td>' for a in ACTIONS)
            rows.append(f"<tr><th>{kind}</th>{cells}</tr>")
        outputs = "; ".join(f"{action}: {', '.join(map(escape, names))}"
                            for action, names in self.result.outputs.items() if names)
        return (f"<table><tr><th></th>{head}</tr>{''.join(rows)}</table>"
                f"<p>Output files {escape(outputs) if outputs else 'unchanged'}.</p>")

    def change_list(self) -> str:
        items = [f'<li><a href="#{change_id(k)}"><span class="where">{escape(str(c.location))}</span> '
                 f'{escape(c.message)}</a></li>' for k, c in enumerate(self.result.changes)]
        count = f"{len(items)} change" + ("" if len(items) == 1 else "s")
        return f'<nav id="changes"><h2>{count}</h2><ol>{"".join(items)}</ol></nav>'

    def others(self) -> str:
        items = []
        for index, change in enumerate(self.result.changes):
            if index in self.placed:
                continue
            self.anchors[("left", index)] = [index]
            rows = "".join(f"<tr><th>{escape(n)}</th><td><del>{escape(a or '')}</del></td>"
                           f"<td><ins>{escape(b or '')}</ins></td></tr>" for n, a, b in change.fields)
            table = f"<table>{rows}</table>" if rows else ""
            items.append(f'<li>{self.badges(("left", index))}<span class="where">{escape(str(change.location))}'
                         f"</span> {escape(change.message)}{table}</li>")
        body = f"<ul>{''.join(items)}</ul>" if items else "<p>None.</p>"
        return f'<section id="other"><h2>Sources, incidents and settings</h2>{body}</section>'

    def render(self) -> str:
        r = self.result
        units = "".join(self.unit(op, i, j) for op, i, j in self.al.script)
        others = self.others()
        title = escape(f"Changes: {r.old.label} → {r.new.label}")
        lang = escape(r.new.document.metadata.language)
        return (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
                f"<style>{CSS}</style></head><body><header><h1>{title}</h1>{self.summary()}</header>"
                f"{self.change_list()}<main><h2>{escape(r.new.document.metadata.title)}</h2>{units}</main>"
                f"{others}</body></html>\n")


def to_html(result) -> str:
    return Page(result).render()
