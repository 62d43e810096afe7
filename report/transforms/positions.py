"""CSL note positions (first, subsequent, ibid, ibid-with-locator), computed here.

citeproc-py's own position test compares locators by identity and sorts the
cites of a citation, so we derive positions ourselves, following CSL 1.0.2
§ "Position", and tell the style which branch to take. Each position comes
with a reason a person can read in ``report notes``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    position: str
    reason: str
    near_note: bool
    first_note: int = 0  # the note that first cited the source (OSCOLA's "(n 1)")


@dataclass(frozen=True)
class CiteRef:
    """What positions depend on: the cited key, its locator, and where it stands."""

    key: str
    locator: tuple[str | None, str | None]
    note: int
    citation: int
    section: int = 0  # index of the section holding the note


def compute_positions(cites: list[CiteRef], citation_sizes: dict[int, int], near_note_distance: int = 5,
                      ibid: bool = True, ibid_after_several: bool = False, restart_per_section: bool = False) -> list[Position]:
    """One Position per cite, in order. ``citation_sizes`` maps a citation index to
    its number of cites (CSL allows Ibid. only after a one-source citation, unless
    ``ibid_after_several``). ``ibid=False`` turns every Ibid. into the short form;
    ``restart_per_section`` makes a section's first citation of a source a full one."""
    seen: dict[str, int] = {}  # key → last note that cited it
    first: dict[str, int] = {}  # key → first note that cited it (since the last restart)
    out = []
    prev: CiteRef | None = None
    for cite in cites:
        if restart_per_section and prev is not None and cite.section != prev.section:
            seen, prev, first = {}, None, {}
        key = cite.key.lower()
        last_note = seen.get(key)
        if last_note is None:
            result = Position("first", "first citation of this source", False)
        else:
            near = cite.note - last_note <= near_note_distance
            same_group = prev is not None and prev.citation == cite.citation
            ibid_possible = ibid and prev is not None and prev.key.lower() == key and (
                same_group or ibid_after_several or citation_sizes.get(prev.citation, 1) == 1)
            where = "earlier in this note" if same_group else f"note {prev.note}" if prev else ""
            if not ibid_possible:
                if not ibid and prev is not None and prev.key.lower() == key:
                    reason = f"same source as note {prev.note}, but the house rules turn Ibid. off"
                elif prev is not None and prev.key.lower() == key:
                    reason = f"note {prev.note} cites several sources, so no Ibid. after it"
                else:
                    reason = f"cited before in note {last_note}, other sources in between"
                result = Position("subsequent", reason, near)
            elif cite.locator == prev.locator:
                result = Position("ibid", f"same source and locator as {where}", near)
            elif cite.locator[1] is None:
                result = Position("subsequent", f"same source as {where}, which gave a locator this cite lacks", near)
            else:
                result = Position("ibid-with-locator", f"same source as {where}, other locator", near)
        out.append(dataclasses.replace(result, first_note=first.setdefault(key, cite.note)))
        seen[key] = cite.note
        prev = cite
    return out
