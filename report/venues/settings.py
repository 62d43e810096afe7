"""report.yaml's ``venue:`` and ``submission:`` → a :class:`Venue` and the submission's
opening information, every problem located (never a traceback).

``venue: upr-stakeholder`` names a profile; the mapping form chooses the kind of
submission and overrides any rule::

    venue: {name: upr-stakeholder, submission: joint, count-notes: false}

``venue: upr-stakeholder-joint`` is refused with the mapping to write instead: one
spelling per setting.
"""

from __future__ import annotations

from report.diagnostics import Location, closest_hint, error
from report.errors import ReportError
from report.venues import RULES, Profile, Venue, check_rules, profile_names, read_profile

SUBMISSION_KEYS = {"contact": str, "state": str, "session": (str, int), "committee": str, "members": list}


def read_settings(data: dict, doc, problems: list) -> tuple[Venue | None, tuple[tuple[str, object], ...]]:
    """Takes report.yaml's data and its Located document; returns (the venue or None when
    report.yaml names none, the ``submission:`` entries); appends problems (CFG004,
    CFG005, CFG011) to ``problems`` rather than raising."""
    submission = _submission(data.get("submission"), doc, problems) if "submission" in data else ()
    given = data.get("venue")
    if given is None:
        return None, submission
    mapping = given if isinstance(given, dict) else {"name": given}
    path = ("venue",) if isinstance(given, dict) else ()

    def where(*keys) -> Location:
        return doc.where("venue", *keys) if path else doc.where("venue")

    name = mapping.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(error("CFG005", "'venue' needs a profile name", where("name"), f"one of {', '.join(profile_names())}"))
        return None, submission
    if name not in profile_names():
        problems.append(error("CFG011", f"unknown venue '{name}'", where("name"), _name_hint(name)))
        return None, submission
    try:
        profile = read_profile(name)
    except ReportError as exc:  # a broken shipped profile: said, not a traceback
        problems.extend(exc.diagnostics)
        return None, submission
    kind = mapping.get("submission")
    kinds = dict(profile.submissions)
    if "submission" in mapping and (not isinstance(kind, str) or kind not in kinds):
        choices = ", ".join(kinds) if kinds else None
        problems.append(error("CFG005", f"'venue.submission' of {name} must be one of {choices}" if choices
                              else f"{name} has no kinds of submission", where("submission"),
                              closest_hint(str(kind), kinds) if kinds else "remove venue.submission"))
        kind = None
    overrides = {k: v for k, v in mapping.items() if k not in ("name", "submission")}
    overrides = check_rules(overrides, lambda key: where(key), problems)
    return _venue(profile, kind, overrides, where(), tuple((k, where(k)) for k in overrides)), submission


def _venue(profile: Profile, kind: str | None, overrides: dict, location: Location, wheres: tuple) -> Venue:
    """The profile's rules, then its kind's (the first kind when none is chosen: the
    UPR's individual submission, the stricter limit), then report.yaml's."""
    kinds = dict(profile.submissions)
    rules = {**dict(profile.rules), **dict(kinds.get(kind) or (next(iter(kinds.values())) if kinds else ())),
             **overrides}
    return Venue(
        name=profile.name, title=profile.title, guidelines=profile.guidelines, submission=kind,
        word_limit=rules.get("word-limit"), count_notes=rules.get("count-notes", False),
        count_annexes=rules.get("count-annexes", False), annexes=rules.get("annexes", True),
        numbered_paragraphs=rules.get("numbered-paragraphs", False), page_numbers=rules.get("page-numbers", False),
        formats=tuple(rules.get("formats", ())), languages=tuple(rules.get("languages", ())),
        required=tuple(rules.get("required", ())),
        re_check=tuple(r for r in profile.re_check if r not in overrides),  # a figure the project set is its own
        overridden=tuple(k for k in RULES if k in overrides), location=location, rule_locations=wheres)


def _name_hint(name: str) -> str:
    """Why a venue name is unknown: a kind of submission written into it, or a typo."""
    base, _, kind = name.rpartition("-")
    if base in profile_names() and kind in dict(read_profile(base).submissions):
        return f"write venue: {{name: {base}, submission: {kind}}}"
    return closest_hint(name, profile_names()) or f"one of {', '.join(profile_names())}"


def _submission(given, doc, problems: list) -> tuple[tuple[str, object], ...]:
    """``submission:``'s entries, each checked (a session may be a number: ``session: 47``)."""
    if not isinstance(given, dict):
        problems.append(error("CFG005", "'submission' must be a mapping", doc.where("submission"),
                              "e.g. submission: {state: Armenia, session: 47, contact: …}"))
        return ()
    found = []
    for key, value in given.items():
        where = doc.where("submission", key)
        if key not in SUBMISSION_KEYS:
            problems.append(error("CFG004", f"unknown key '{key}' in submission", where,
                                  closest_hint(str(key), SUBMISSION_KEYS)))
        elif key == "members":
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(error("CFG005", "'submission.members' must be a list of organisations", where))
            else:
                found.append((key, tuple(v.strip() for v in value)))
        elif isinstance(value, bool) or not isinstance(value, SUBMISSION_KEYS[key]) or not str(value).strip():
            problems.append(error("CFG005", f"'submission.{key}' must be a non-empty text", where))
        else:
            found.append((key, str(value).strip()))
    return tuple(found)
