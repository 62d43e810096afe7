"""Venue profiles: the rules a venue (a UN treaty body, the Universal Periodic Review…)
sets for a submission, and the :class:`Venue` a project submits to.

A profile is a YAML file shipped beside this module (``upr-stakeholder.yaml``…): its
rules (the length limit and what it counts, numbered paragraphs and pages, accepted
formats and languages, the opening information required), the guidelines its figures
come from, and which figures must be re-checked. ``report.yaml``'s ``venue:`` names one
and may override any rule (report.venues.settings); the checks (report.checks.venue)
and ``report stats`` (report.venues.stats) read the resulting Venue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from report.diagnostics import Location, closest_hint, error
from report.errors import ReportError

PROFILES = Path(__file__).resolve().parent
NONE = "none"  # no venue: no rule, unless report.yaml sets some
FORMATS = ("docx", "pdf", "html")  # as report.config.FORMATS (not imported: config imports us)

# The rules, as report.yaml and the profiles spell them; each a figure a project may override.
RULES = ("word-limit", "count-notes", "count-annexes", "annexes", "numbered-paragraphs", "page-numbers",
         "formats", "languages", "required")
# The opening information a venue may require: where it is set → (what it is, how to add it).
FIELDS = {
    "organization": ("the submitting organisation", "organization: …"),
    "venue.submission": ("the kind of submission, individual or joint",
                         "venue: {{name: {venue}, submission: individual}} (or joint)"),
    "submission.contact": ("a contact, name and email", "submission: {{contact: …}}"),
    "submission.state": ("the State under review", "submission: {{state: …}}"),
    "submission.session": ("the session", "submission: {{session: …}}"),
    "submission.committee": ("the committee", "submission: {{committee: …}}"),
    "submission.members": ("the organisations of the joint submission", "submission: {{members: […]}}"),
}
_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Profile:
    """A shipped profile as read: its rules (rule → value), the rules of each kind of
    submission it distinguishes (UPR: individual, joint), where its figures come from."""

    name: str
    title: str
    guidelines: str  # the document, its date and address, on one line
    rules: tuple[tuple[str, object], ...]
    submissions: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    re_check: tuple[str, ...] = ()


@dataclass(frozen=True)
class Venue:
    """The rules a project's submission is checked against: a profile's, for the kind of
    submission chosen, with report.yaml's overrides applied."""

    name: str
    title: str
    guidelines: str
    submission: str | None       # the kind (individual, joint), when the profile has kinds
    word_limit: int | None
    count_notes: bool
    count_annexes: bool
    numbered_paragraphs: bool
    page_numbers: bool
    formats: tuple[str, ...]     # () accepts every format
    languages: tuple[str, ...]   # () accepts every language
    required: tuple[str, ...]    # of FIELDS
    re_check: tuple[str, ...]    # the profile's figures to compare with the current guidelines
    overridden: tuple[str, ...]  # the rules report.yaml set
    location: Location           # report.yaml's ``venue`` line
    rule_locations: tuple[tuple[str, Location], ...] = ()
    annexes: bool = True         # False: the venue accepts no annexes (VEN007 at each)

    def where(self, rule: str) -> Location:
        """Where report.yaml sets ``rule``, else the ``venue`` line."""
        return dict(self.rule_locations).get(rule, self.location)

    @property
    def label(self) -> str:
        """``upr-stakeholder (joint)``: the name and the kind of submission."""
        return f"{self.name} ({self.submission})" if self.submission else self.name

    def counted(self) -> tuple[str, ...]:
        """What the word limit counts, of "body", "notes" and "annexes"."""
        return ("body",) + ("notes",) * self.count_notes + ("annexes",) * self.count_annexes

    def accepts_language(self, tag: str) -> bool:
        """True when ``tag`` (``en-GB``) or its language (``en``) is accepted."""
        tag = tag.lower()
        return not self.languages or any(tag == lang.lower() or tag.split("-")[0] == lang.lower()
                                         for lang in self.languages)


def profile_names() -> tuple[str, ...]:
    """Every venue report.yaml may name, ``none`` first."""
    return (NONE,) + tuple(sorted(p.stem for p in PROFILES.glob("*.yaml")))


def check_rules(rules: dict, where, problems: list, prefix: str = "venue") -> dict:
    """The valid entries of a mapping of rules (report.yaml's ``venue:``, or a profile's),
    each invalid one reported at ``where(key)`` (CFG004 unknown, CFG005 wrong value)."""
    valid = {}
    for key, value in rules.items():
        spot = where(key)
        if key not in RULES:
            problems.append(error("CFG004", f"unknown key '{key}' in {prefix}", spot, closest_hint(str(key), RULES)))
        elif key == "word-limit":
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                problems.append(error("CFG005", f"'{prefix}.word-limit' must be a number of words, or null for none",
                                      spot, "e.g. word-limit: 3300"))
            else:
                valid[key] = value
        elif key in ("formats", "languages", "required"):
            allowed = {"formats": FORMATS, "required": tuple(FIELDS)}.get(key)
            if not isinstance(value, list):
                problems.append(error("CFG005", f"'{prefix}.{key}' must be a list", spot))
                continue
            bad = [v for v in value if not isinstance(v, str)
                   or (allowed and v not in allowed) or (key == "languages" and not _TAG.match(v))]
            for item in bad:
                known = f"one of {', '.join(allowed)}" if allowed else "a BCP 47 language tag, e.g. en, fr"
                problems.append(error("CFG005", f"'{item}' in '{prefix}.{key}' is not {known}", spot,
                                      closest_hint(str(item), allowed) if allowed else None))
            if not bad:
                valid[key] = tuple(dict.fromkeys(value))
        elif not isinstance(value, bool):
            problems.append(error("CFG005", f"'{prefix}.{key}' must be true or false", spot))
        else:
            valid[key] = value
    return valid


@lru_cache(maxsize=None)
def read_profile(name: str) -> Profile:
    """The shipped profile ``name`` (``none``: no rule). A broken profile file is the
    package's fault, raised as ReportError at its own line."""
    if name == NONE:
        return Profile(NONE, "no venue", "", ())
    from report.sources.yamlfile import load_yaml

    path = PROFILES / f"{name}.yaml"
    shown = f"report/venues/{path.name}"
    doc = load_yaml(path.read_text(encoding="utf-8"), shown, code="VEN010")
    data = doc.data if isinstance(doc.data, dict) else {}
    problems: list = []
    rules = check_rules(data.get("rules") or {}, lambda key: doc.where("rules", key), problems, shown)
    kinds = []
    for kind, given in (data.get("submissions") or {}).items():
        kinds.append((str(kind), tuple(check_rules(given or {}, lambda key: doc.where("submissions", kind, key),
                                                   problems, shown).items())))
    guidelines = data.get("guidelines") or {}
    text = "; ".join(str(guidelines[k]).strip() for k in ("document", "date", "url") if guidelines.get(k))
    if not isinstance(data.get("title"), str) or not text:
        problems.append(error("VEN010", "a profile needs a title and the guidelines its figures come from", doc.where()))
    if problems:
        raise ReportError(problems)
    return Profile(name, data["title"], " ".join(text.split()), tuple(rules.items()), tuple(kinds),
                   tuple(str(r) for r in data.get("re-check") or ()))
