"""One side of a diff: a build folder or a git revision → :class:`Side`.

Takes what the user typed (``build/en``, ``v1.0``, ``HEAD``), the project folder and
an optional locale; returns the side's resolved document (rebuilt from its
``model.json``), registry, incidents, manifest and ``report.docx`` bytes. A
revision is built in a temporary ``git worktree`` that is removed afterwards, so
the working tree and its ``build/`` are never touched. Every problem is a located
DIF error (the CLI exits 2).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from report import model as m
from report.diagnostics import Location, error
from report.errors import ReportError
from report.outputs import sha256

_TYPES = {name: cls for name, cls in vars(m).items() if isinstance(cls, type) and dataclasses.is_dataclass(cls)}
_TYPES["Location"] = Location


@dataclass(frozen=True)
class Side:
    """A loaded side. ``sources`` holds the text of the side's inputs whose sha256
    still matches its manifest (to locate registry entries by line); ``docx`` is
    None when the build has no report.docx."""

    label: str
    document: m.Document
    registry: dict
    incidents: tuple[dict, ...]
    manifest: dict
    docx: bytes | None
    sources: dict


def fail(code: str, message: str, where: str, hint: str | None = None) -> ReportError:
    return ReportError(error(code, message, Location(where), hint))


def from_data(value):
    """The inverse of :func:`report.model.to_data`: dicts with a model ``type`` become
    the frozen dataclasses again, lists become tuples; anything else is kept."""
    if isinstance(value, dict):
        cls = _TYPES.get(value.get("type"))
        if cls is None:
            return value
        kwargs = {f.name: from_data(value[f.name]) for f in dataclasses.fields(cls) if f.name in value}
        if cls is m.Metadata and kwargs.get("date"):
            kwargs["date"] = dt.date.fromisoformat(kwargs["date"])
        return cls(**kwargs)
    if isinstance(value, list):
        return tuple(from_data(v) for v in value)
    return value


def _build_folder(path: Path, locale: str | None, edition: str = "public") -> Path | None:
    """The build folder ``path`` names: itself, its ``<edition>`` subfolder (a
    ``build/<lang>``), its ``<locale>`` (or only) language's, or that of a project
    folder's ``build/``. None when there is none."""
    if (path / "model.json").is_file():
        return path
    if (path / edition / "model.json").is_file():
        return path / edition
    for base in (path, path / "build"):
        # build/<lang>/<edition>/, or a kept copy of one language's folder (<lang>/model.json)
        folders = {p.parent.parent.name: p.parent for p in base.glob(f"*/{edition}/model.json")}
        for model in base.glob("*/model.json"):
            folders.setdefault(model.parent.name, model.parent)
        langs = sorted(folders)
        if locale and locale in langs:
            return folders[locale]
        if len(langs) == 1 and not locale:
            return folders[langs[0]]
        if len(langs) > 1 and not locale:
            raise fail("DIF004", f"{base} holds builds in several languages ({', '.join(langs)})", str(path),
                       "pick one with --locale")
    return None


def _project_of(folder: Path) -> Path:
    """The project a build folder belongs to: above its ``build/`` (build/<lang>/<edition>),
    else two levels up (a kept copy of a language's folder)."""
    for parent in folder.parents:
        if parent.name == "build":
            return parent.parent
    return folder.parent.parent


def _read_json(path: Path, shown: str):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        where = Location(shown, exc.lineno, exc.colno)
        raise ReportError(error("DIF003", f"malformed JSON: {exc.msg}", where)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise fail("DIF003", f"cannot read the build: {exc}", shown) from None


def read_build(folder: Path, label: str, shown: str) -> Side:
    """A build folder's model.json, manifest.json and report.docx → Side."""
    model_path, manifest_path = folder / "model.json", folder / "manifest.json"
    if not manifest_path.is_file():
        raise fail("DIF001", "not a build folder (no manifest.json)", shown, "run `report build` first")
    data = _read_json(model_path, f"{shown}/model.json")
    manifest = _read_json(manifest_path, f"{shown}/manifest.json")
    try:
        document = from_data(data["document"])
        if not isinstance(document, m.Document):
            raise TypeError("document")
        registry = {str(k): v for k, v in data["registry"].items()}
        incidents = tuple(data.get("incidents") or ())
        outputs = manifest["outputs"]
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise fail("DIF003", f"model.json or manifest.json is not as `report build` writes it ({exc})", shown,
                   "rebuild with this version of report")
    docx = folder / "report.docx"
    blob = docx.read_bytes() if docx.is_file() and outputs.get("report.docx") else None
    root = _project_of(folder)
    sources = {}
    for rel, digest in sorted((manifest.get("inputs") or {}).items()):
        path = root / rel
        if path.suffix in (".md", ".yaml", ".yml", ".json") and path.is_file():
            raw = path.read_bytes()
            if sha256(raw) == digest:
                sources[rel] = raw.decode("utf-8", errors="replace")
    return Side(label, document, registry, incidents, manifest, blob, sources)


def _git(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)


def read_revision(rev: str, project: Path, locale: str | None, allow_fuzzy: bool = False,
                  edition: str = "public", read=None):
    """Build revision ``rev`` of the git repository holding ``project`` in a temporary
    worktree (with the formats that revision's report.yaml lists; in ``locale``, a
    translation, when given; its ``edition``) and load the build: a :class:`Side`, or
    what ``read(folder, label, rev)`` returns (called while the worktree, and the
    revision's sources beside its build folder, still exist; ``report review --base``)."""
    from report.build import Locale, build

    if shutil.which("git") is None:
        raise fail("DIF002", f"'{rev}' is not a build folder, and git is not installed to read it as a revision", rev)
    top = _git(project, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise fail("DIF002", f"'{rev}' is not a build folder, and {project} is not in a git repository", rev)
    commit = _git(project, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if commit.returncode != 0:
        raise fail("DIF002", f"unknown revision or build folder '{rev}'", rev,
                   "give a build folder such as build/en, or a git revision such as HEAD or v1.0")
    sha = commit.stdout.strip()
    inside = project.resolve().relative_to(Path(top.stdout.strip()).resolve())
    temp = Path(tempfile.mkdtemp(prefix="report-diff-"))
    tree = temp / "tree"
    try:
        added = _git(project, "worktree", "add", "--detach", "--quiet", str(tree), sha)
        if added.returncode != 0:
            raise fail("DIF002", f"cannot check out '{rev}': {added.stderr.strip().splitlines()[-1:]}", rev)
        root = tree / inside
        if not (root / "report.yaml").is_file():
            raise fail("DIF002", f"revision '{rev}' has no {(inside / 'report.yaml').as_posix()}", rev)
        try:
            result = build(root, locale=Locale(locale, allow_fuzzy, edition=edition))
        except ReportError as exc:
            first = next((d for d in exc.diagnostics if d.severity.label == "error"), exc.diagnostics[0])
            raise ReportError(error("DIF005", f"revision '{rev}' does not build: {first.code}: {first.message}",
                                    first.location)) from None
        folder = result.out_dir
        language = folder.parent.name  # build/<lang>/<edition>
        if locale and language != locale:
            raise fail("DIF004", f"revision '{rev}' is in '{language}', not '{locale}'", rev)
        label = f"{rev} ({sha[:12]})" + (f", {edition} edition" if edition != "public" else "")
        return (read or read_build)(folder, label, rev)
    finally:
        _git(project, "worktree", "remove", "--force", str(tree))
        _git(project, "worktree", "prune")
        shutil.rmtree(temp, ignore_errors=True)


def load_side(spec: str, project: Path, locale: str | None, allow_fuzzy: bool = False,
              edition: str = "public") -> Side:
    """A build folder when ``spec`` is a folder (or a path to one), else a git revision;
    of ``edition`` when the folder holds both, or when the revision is built."""
    path = Path(spec)
    if not path.is_absolute():
        path = (Path.cwd() / path)
    if path.is_dir():
        folder = _build_folder(path, locale, edition)
        if folder is None:
            raise fail("DIF001", "not a build folder (no model.json)", spec,
                       "give build/<lang> after `report build`, or a git revision")
        # A build found below the folder given is named in the label, so the report
        # says which build was compared (build-old → build-old/en).
        label = spec if folder == path else f"{spec.rstrip('/')}/{folder.relative_to(path).as_posix()}"
        return read_build(folder, label, spec)
    if path.exists():
        raise fail("DIF001", "not a build folder (a file)", spec)
    return read_revision(spec, project, locale, allow_fuzzy, edition)


def load_sides(old: str, new: str, project: Path, locale: str | None, allow_fuzzy: bool = False,
               editions: tuple[str, str] = ("public", "public")) -> tuple[Side, Side]:
    """Both sides (OLD of ``editions[0]``, NEW of ``editions[1]``), checked to be builds
    of one language."""
    a = load_side(old, project, locale, allow_fuzzy, editions[0])
    b = load_side(new, project, locale, allow_fuzzy, editions[1])
    la, lb = a.document.metadata.language, b.document.metadata.language
    if locale and la != locale:
        raise fail("DIF004", f"OLD is in '{la}', not '{locale}'", old)
    if la != lb:
        raise fail("DIF004", f"builds of different languages: OLD is '{la}', NEW is '{lb}'", new,
                   "compare two builds of one language (--locale)")
    return a, b
