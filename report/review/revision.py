"""``--base REV`` and ``--locale``: the build of the git revision a reviewed file came from.

Takes a git revision, the reviewed file's ``ReportBuild`` identity and custom
properties (language, edition, draft: :func:`built_for`) and the project folder;
returns the :class:`~report.review.base.Base` of that revision's build, made in a
temporary worktree (:func:`revision_base`; :func:`report.review.base.find_base` too,
for the revision a file names when build/ no longer holds its build).
:func:`with_language` gives the properties with ``--locale``'s language. Every
problem is one located REV diagnostic in a ReportError (the CLI exits 2):

* REV008: the revision's build is another build than the file's;
* REV010: a section file is gone since the revision or is not UTF-8, or a public
  edition's references/people.yaml changed since;
* REV012: the build is a translation and its ``locales/<lang>.po`` changed since the
  revision (or is gone);
* REV013: ``--base`` is a git revision that does not exist, the project is not in a
  git repository, or the revision does not build (in the language and edition the
  reviewed file was built for);
* REV014: ``--locale`` is not a language tag, or not the language the file was built in.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from report.buildid import DRAFT_PROPERTY, EDITION_PROPERTY, LANGUAGE_PROPERTY
from report.errors import ReportError
from report.review.base import Base, fail, identity_of, load_base
from report.sources.people import PEOPLE

# A language tag as report.yaml and --locale give it (en, az, pt-BR): never a path.
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def with_language(properties: dict | None, locale: str, shown_docx: str) -> dict:
    """The reviewed file's ``properties`` with ``--locale`` as its language: REV014 when
    the file names another (a file that lost them, from Google Docs, gets it)."""
    properties = dict(properties or {})
    named = properties.get(LANGUAGE_PROPERTY)
    if not _LANGUAGE.fullmatch(locale):
        raise fail("REV014", f"--locale '{locale}' is not a language tag", shown_docx)
    if named and named != locale:
        raise fail("REV014", f"{shown_docx} was built in '{named}', not '{locale}'", shown_docx,
                   "leave out --locale: the file says its language")
    properties[LANGUAGE_PROPERTY] = locale
    return properties


def built_for(properties: dict | None) -> tuple[str | None, str, bool]:
    """(language, edition, draft) the reviewed file's custom properties
    (:data:`report.buildid.BUILT_FOR`) say its build was made in; a file without them
    (made before they were written, or a value no build writes): (None: the source
    language, "public", False)."""
    properties = properties or {}
    language = properties.get(LANGUAGE_PROPERTY)
    edition = properties.get(EDITION_PROPERTY)
    return (language if language and _LANGUAGE.fullmatch(language) else None,
            edition if edition in ("public", "confidential") else "public", properties.get(DRAFT_PROPERTY) == "true")


def revision_base(rev: str, identity: str | None, root: Path, shown_docx: str, properties: dict | None = None) -> Base:
    """``--base REV``: the build of git revision ``rev`` in the language and edition the
    reviewed file's ``properties`` name (:func:`built_for`), made in a temporary worktree
    as ``report diff`` makes one (:func:`report.diff.load.read_revision`). Its sources
    are the revision's; each section that reads otherwise in ``root`` now is in
    ``Base.current``, and the review is merged three ways into it (:mod:`.merge`); the
    registry as the revision had it is ``Base.registry``. A translation's PO file must
    read now as the revision's (REV012)."""
    from report.diff.load import read_revision

    language, edition, draft = built_for(properties)

    def read(folder: Path, label: str, _rev: str) -> Base:
        found = identity_of(folder)
        if found is None:
            raise fail("REV013", f"the build of revision '{rev}' has no readable model.json", rev)
        if identity is not None and found[0] != identity:
            raise fail("REV008", f"{shown_docx} was not built from revision '{rev}'", shown_docx,
                       "give the revision (or the build folder) the reviewed file was made from, or leave out --base")
        tree = folder.parents[2]  # the revision's project folder: build/<lang>/<edition>
        base = load_base(folder, found, tree)
        if base.people is not None and _bytes(tree / PEOPLE) != _bytes(root / PEOPLE):
            raise fail("REV010", f"{PEOPLE} changed since revision '{rev}'", PEOPLE,
                       "the public edition's pseudonyms are traced back to the names it lists")
        if base.translation is not None and _bytes(tree / base.translation[0]) != _bytes(root / base.translation[0]):
            po = base.translation[0]  # its entries are located by line: a msgstr edited since is not guessed at
            raise fail("REV012", f"{po} {'is gone' if _bytes(root / po) is None else 'changed'} since revision "
                       f"'{rev}' the reviewed file was built from", po,
                       "the reviewed text goes to its entries as that build read them: send a build of the PO file "
                       "as it is now, or apply the review in a checkout of that revision")
        return dataclasses.replace(base, label=label, registry=_registry(tree))

    try:
        base = read_revision(rev, root, language, allow_fuzzy=draft, edition=edition, read=read)
    except ReportError as exc:  # report diff's DIF002/DIF004/DIF005: no such revision, no git, does not build
        raise ReportError([dataclasses.replace(d, code="REV013") if d.code.startswith("DIF") else d
                           for d in exc.diagnostics]) from None
    current = {}
    for path, text in base.sources.items():
        now = _bytes(root / path)
        if now is None:
            raise fail("REV010", f"{path} is gone since revision '{rev}' the reviewed file came from", path)
        try:
            now_text = now.decode("utf-8")
        except UnicodeDecodeError:
            raise fail("REV010", f"{path} is not UTF-8", path) from None
        if now_text != text:
            current[path] = now_text
    return dataclasses.replace(base, current=current)


def _registry(tree: Path) -> tuple[str, str] | None:
    """(path, text) of the registry a revision's report.yaml names, or None (unreadable)."""
    from report.config import load_config

    try:
        path = load_config(tree).registry
        return path, (tree / path).read_bytes().decode("utf-8")
    except (ReportError, OSError, UnicodeDecodeError):
        return None


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None
