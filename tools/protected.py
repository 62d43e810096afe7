"""Protected people for the benchmark's copy of the shipped report (scripts/bench).

The shipped report marks nothing confidential: its two editions would be the same and
its public build would run no leak check. The benchmark's copy protects two of the
people it names, as a team would protect a witness, so that the public edition writes
their pseudonyms in every language and searches every file it would publish for their
names (report.leaks) before writing it.
"""

from __future__ import annotations

from pathlib import Path

PEOPLE = """\
- name: Dilgam Asgarov
  variants:
    en: [Asgarov]
    ru: [Дильгам Аскеров, Дильгама Аскерова, Аскеров, Аскерова]
  pseudonym: {en: Witness A, ru: Свидетель А}
- name: Shahbaz Guliyev
  variants:
    en: [Guliyev]
    ru: [Шахбаз Гулиев, Шахбаза Гулиева, Гулиев, Гулиева]
  pseudonym: {en: Witness B, ru: Свидетель Б}
"""


def add_protected_people(root: Path) -> None:
    """Write ``references/people.yaml`` into the project at ``root``."""
    (root / "references" / "people.yaml").write_text(PEOPLE, encoding="utf-8")
