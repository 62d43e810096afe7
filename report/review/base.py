"""Which build a reviewed file came from, and whether the sources are still that build's.

Takes the reviewed file's ``ReportBuild`` identity (or None), the project folder and
an optional ``--base`` folder; returns the :class:`Base`: the build folder, its
document model (from ``model.json``), its report.docx (when it has one) and the text
of the section files it was built from. The build is ``--base`` when given, else the
``build/<lang>/`` whose model has the file's identity. Every problem is one located
REV diagnostic in a ReportError (the CLI exits 2):

* REV007: the file names no build (not made by ``report build``) and no ``--base``;
* REV008: no build folder has the file's identity (the build it came from was
  replaced) and the file names no git revision this repository can build
  (``ReportRevision``: when it names one, that revision is built again, as with
  ``--base REV``: :mod:`.revision`), or ``--base`` is another build than the file's;
* REV009: ``--base`` is not a build folder, or its model.json is unreadable;
* REV010: a section file changed since that build (its sha256 differs from the
  manifest's) and git does not hold the text the build read, or it is gone (a
  section that changed and is in git is read as it was, its text now kept in
  ``Base.current``: :mod:`.merge`); for a public edition,
  references/people.yaml too (its pseudonyms are traced back to its names);
* REV012: the build is a translation and its ``locales/<lang>.po`` changed since
  (or is gone): its entries are where the reviewed text goes
  (:mod:`.translation`), read as the build read them (``--base REV``: the PO file
  now is not the revision's; the review is not merged three ways into a PO file).

``--base REV`` (a git revision built again) and ``--locale`` are :mod:`.revision`'s
(REV013, REV014).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from report import model as m
from report.diagnostics import Location, error
from report.errors import ReportError
from report.outputs import sha256
from report.sources.people import PEOPLE, People, read_people
from report.buildid import REVISION_PROPERTY, build_identity
from report.review.merge import built_text, renamed


@dataclass(frozen=True)
class Base:
    folder: Path
    identity: str
    document: m.Document
    docx: bytes | None
    sources: dict[str, str]  # project-relative path → text, for every section the model comes from
    people: People | None = None  # a public edition's protected people (its pseudonyms); None: not public
    shown_keys: frozenset[str] = frozenset()  # the registry entries the build shows (a public one: no confidential)
    # path → text now, for each section changed since the build (``sources`` holds its
    # text as built, from git: report.review.merge merges the review three ways)
    current: dict[str, str] = field(default_factory=dict)
    # a translation's build: (locales/<lang>.po, its text as built); None: the source language
    translation: tuple[str, str] | None = None
    label: str = ""  # how the build is shown when it has no folder any more (``--base REV``: "v1 (abc…)")
    # path the build read → path now, for each section renamed since (git mv): its text
    # now is read there, and the review written there (report.review.merge.moved_to)
    moved: dict[str, str] = field(default_factory=dict)
    # ``--base REV``: (path, text) of the registry the revision's build read (its folder is
    # gone: report.review.registry merges a corrected value into the registry now); None: read it there
    registry: tuple[str, str] | None = None


# ReportRevision: a full commit id (SHA-1 or SHA-256).
_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def fail(code: str, message: str, where: str, hint: str | None = None) -> ReportError:
    return ReportError(error(code, message, Location(where), hint))


def identity_of(folder: Path) -> tuple[str, dict] | None:
    """(identity, model.json data) of a build folder, or None when it has no readable model."""
    try:
        data = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        return build_identity(data["document"]), data
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError):
        return None


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def build_label(base: Base, root: Path) -> str:
    """How the review names its build (review.json, review.html, the summary): the
    revision it was built from (``Base.label``), else its folder; a translation's with
    its language, which neither need say ("v1 (abc…), ru translation")."""
    shown = base.label or _shown(base.folder, root)
    return shown + (f", {base.document.metadata.language} translation" if base.translation is not None else "")


def find_base(identity: str | None, root: Path, base: Path | None, shown_docx: str,
              properties: dict | None = None) -> Base:
    """The build the reviewed file came from (see the module doc); when ``build/`` no
    longer holds it and the file's ``properties`` name the git revision its sources were
    (``ReportRevision``), that revision built again
    (:func:`report.review.revision.revision_base`)."""
    if base is not None:
        folder = base if (base / "model.json").is_file() else None
        if folder is None:
            found = sorted(base.glob("*/model.json"))  # build/<lang>: its editions (the public one first)
            public = [path for path in found if path.parent.name == "public"]
            folder = found[0].parent if len(found) == 1 else public[0].parent if public else None
        if folder is None:
            raise fail("REV009", "--base is not a build folder (no model.json)", str(base),
                       "give the build/<lang>/<edition> folder the reviewed file was made in")
        read = identity_of(folder)
        if read is None:
            raise fail("REV009", "the build's model.json cannot be read", str(folder / "model.json"),
                       "rebuild it with `report build`")
        if identity is not None and read[0] != identity:
            raise fail("REV008", f"{shown_docx} was not built from {base}", shown_docx,
                       "give the build folder it came from, or leave out --base")
        return load_base(folder, read, root)
    if identity is None:
        raise fail("REV007", f"{shown_docx} was not made by `report build` (it names no build)", shown_docx,
                   "give the build it came from with --base BUILD_DIR; a file saved by Google Docs has lost "
                   "the property that names it")
    # build/<lang>/<edition>/ (report.outputs.edition_folder)
    for model in sorted((root / "build").glob("*/*/model.json")):
        read = identity_of(model.parent)
        if read is not None and read[0] == identity:
            return load_base(model.parent, read, root)
    recorded = (properties or {}).get(REVISION_PROPERTY) or ""
    if _COMMIT.fullmatch(recorded):
        from report.review.revision import revision_base  # it builds on this module's Base

        try:
            base = revision_base(recorded, identity, root, shown_docx, properties)
            return dataclasses.replace(base, label=f"revision {recorded[:12]}, named by the file "
                                       "(build/ no longer holds its build)" + base.label.partition(")")[2])
        except ReportError as exc:
            if not any(d.code == "REV013" for d in exc.diagnostics):
                raise  # the revision built, and says why the review cannot be made against it
        raise fail("REV008", f"{shown_docx} came from a build that build/ no longer holds, of revision "
                   f"{recorded[:12]}, which this repository cannot build", shown_docx,
                   "fetch that commit (or give the build you sent with --base BUILD_DIR)")
    raise fail("REV008", f"{shown_docx} came from a build that build/ no longer holds", shown_docx,
               "keep a copy of the build you send for review and give it with --base; or rebuild the "
               "revision it was made from")


def load_base(folder: Path, read: tuple[str, dict], root: Path) -> Base:
    """The :class:`Base` of build ``folder`` (``read``: its identity and model.json data,
    :func:`identity_of`), its sources read in ``root`` (see the module doc)."""
    from report.diff.load import from_data

    identity, data = read
    shown = _shown(folder, root)
    try:
        document = from_data(data["document"])
        if not isinstance(document, m.Document):
            raise TypeError("document")
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        inputs = dict(manifest["inputs"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise fail("REV009", f"{shown} is not a build as `report build` writes it ({type(exc).__name__})", shown,
                   "rebuild with this version of report") from None
    from report.config import load_config

    try:
        config = load_config(root)
    except ReportError:
        config = None
    language = document.metadata.language
    translation = _translation(root, language, inputs) if config is not None and language != config.language else None
    sources, current, moved = {}, {}, {}
    for path in sorted({s.location.path for s in document.sections}):
        file = root / path
        if not file.exists() and (now := renamed(root, path, inputs.get(path))) is not None:
            moved[path], file = now, root / now  # renamed since the build: read where it is now
        try:
            raw = file.read_bytes()
        except OSError:
            raise fail("REV010", f"{path} is gone since the build the reviewed file came from", path) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise fail("REV010", f"{path} is not UTF-8", path) from None
        if inputs.get(path) != sha256(raw):
            built = built_text(root, path, inputs.get(path))
            if built is None:
                raise fail("REV010", f"{path} changed since the build the reviewed file came from, and git does "
                           "not hold the text it was built from", path,
                           "commit the sources you build for review; or apply the review to a checkout of them")
            current[path] = text
            text = built
        sources[path] = text
    docx = folder / "report.docx"
    people = _people(root, inputs) if document.metadata.edition == "public" else None
    registry = data.get("registry")
    keys = frozenset(registry) if isinstance(registry, dict) else frozenset()
    return Base(folder, identity, document, docx.read_bytes() if docx.is_file() else None, sources, people, keys,
                current=current, translation=translation, moved=moved)


def _translation(root: Path, language: str, inputs: dict) -> tuple[str, str]:
    """(path, text) of the PO file a translation's build read (REV012 when it changed
    since: its entries are located by line, and a reviewed msgstr must be the one shown)."""
    from report.i18n.catalog import po_path

    rel = po_path(language)
    try:
        raw = (root / rel).read_bytes()
    except OSError:
        raw = None
    if raw is None or inputs.get(rel) != sha256(raw):
        raise fail("REV012", f"{rel} {'is gone' if raw is None else 'changed'} since the build of the '{language}' "
                   "translation the reviewed file came from", rel,
                   "review against the PO file that build read, or rebuild and send the new file")
    try:
        return rel, raw.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("REV012", f"{rel} is not UTF-8", rel) from None


def _people(root: Path, inputs: dict) -> People:
    """The protected people the public build wrote pseudonyms for: people.yaml as it was
    then (REV010 when it changed: a pseudonym would be traced to the wrong name)."""
    file = root / PEOPLE
    try:
        raw = file.read_bytes()
    except OSError:
        raw = None
    if raw is None and inputs.get(PEOPLE) is None:  # none then, none now
        return People(PEOPLE)
    if raw is None or inputs.get(PEOPLE) != sha256(raw):
        raise fail("REV010", f"{PEOPLE} changed since the build the reviewed file came from", PEOPLE,
                   "the public edition's pseudonyms are traced back to the names it lists: review against the "
                   "people.yaml of that build")
    return read_people(root)
