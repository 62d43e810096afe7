"""The leak check of a public build, run before its files are swapped into place.

:func:`prepare` takes the project root, the loaded project (``report.build.Loaded``:
the marked source, the registry, the protected people) and the public document the
renderers were given; it returns a :class:`LeakCheck`, or None when nothing is
protected (no people.yaml, nothing marked, no confidential source): a project without
secrets has nothing to search for, and its build does not pay for a search.

:meth:`LeakCheck.run` takes every file the build would publish (name → bytes: the new
outputs, those a ``--format`` subset build keeps, the manifest) and returns one LEAK001
error for each protected string, file and place in it (:func:`report.leaks.scan`'s
messages). Each error stands at the source of the leak, the first of:

1. the public document's text that holds the string (a paragraph, a note, a heading, a
   caption, an alternative text), at its line in the section (or translation) file;
2. report.yaml's title, subtitle or organization; a field of a registry entry the public
   edition keeps; an incident's summary;
3. a file the outputs are made of: the templates, the citation style, a figure's image
   (a line of an SVG, the template's line; a binary file such as reference.docx at its
   start);
4. else where the string was marked protected (its line in people.yaml, the span, the
   confidential section).

The hint says where the string was marked, when that is another place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from report import model as m
from report.diagnostics import Diagnostic, Location, error
from report.leaks import CODE, _message, find_in_file
from report.leaks.text import Matcher, Place

_KINDS = {"name": "a protected name, listed at", "source": "from a confidential source, at"}
_PAGE = re.compile(r"page (\d+)")
_REFINE_LINES = 400  # how far below a block's first line its text is looked for


@dataclass(frozen=True)
class LeakCheck:
    root: Path
    protected: tuple  # report.transforms.protected.Protected: text, location, kind
    origins: tuple[tuple[str, Location], ...]  # public texts, each at its place in the sources
    files: tuple[str, ...]  # project files the outputs are made of (templates, style, images)

    def run(self, files: Mapping[str, bytes]) -> list[Diagnostic]:
        """LEAK001 errors for ``files`` (name → bytes), sorted; [] when none leaks."""
        texts = sorted({p.text for p in self.protected})
        matcher = Matcher(texts)
        found: dict[str, set] = {}
        for name in sorted(files):
            for owner, place in find_in_file(matcher, name, files[name]):
                found.setdefault(texts[owner], set()).add((name, place))
        found = _without_parts(found)
        if not found:
            return []
        leaked = sorted(found)
        sources = self._sources(leaked)
        marked = {}
        for item in self.protected:
            marked.setdefault(item.text, item)
        problems = []
        for text in leaked:
            where = sources.get(text) or marked[text].location
            hint = None
            if where != marked[text].location:
                kind = _KINDS.get(marked[text].kind, "marked confidential at")
                hint = f"{kind} {marked[text].location}"
            for name, place in _pages_together(found[text]):
                problems.append(error(CODE, _message(text, name, place), where, hint))
        return problems

    def _sources(self, leaked: list[str]) -> dict[str, Location]:
        """Each leaked string's source (1 to 3 of the module doc), when one is found."""
        matcher = Matcher(leaked)
        where: dict[str, Location] = {}
        for text, location in self.origins:
            for owner in matcher.find_text(text) - {leaked.index(t) for t in where}:
                where[leaked[owner]] = self._line(location, leaked[owner])
            if len(where) == len(leaked):
                return where
        for rel in self.files:
            missing = [t for t in leaked if t not in where]
            if not missing:
                break
            where.update(_in_file(self.root, rel, missing))
        return where

    def _line(self, location: Location, text: str) -> Location:
        """The line and column of ``text`` at or below ``location`` in its file (a block
        starts at its first line; the string may be on its third), else ``location``."""
        lines = _lines(self.root, location.path)
        if lines is None:
            return location
        start = max(location.line - 1, 0)
        found = _find_line(lines[start:start + _REFINE_LINES], text)
        if found is None:
            return location
        line, col = found
        return Location(location.path, start + line, col)


def _without_parts(found: dict[str, set]) -> dict[str, set]:
    """``found`` without the hits of a string at a place where a longer string holding it
    was found too ("Mammadov" where "Farid Mammadov" is): one error says it."""
    out = {}
    for text, places in found.items():
        matcher = Matcher([text])
        wider = [other for other in found if len(other) > len(text) and matcher.find_text(other)]
        kept = {hit for hit in places if not any(hit in found[other] for other in wider)}
        if kept:
            out[text] = kept
    return out


def _pages_together(hits) -> list:
    """(file, place) in order, a file's PDF pages as one place ("pages 1–3, 7"): a name
    in a running header is one error, not one a page."""
    out, pages = [], {}
    for name, place in sorted(hits, key=lambda hit: (hit[0], hit[1].order, hit[1].label)):
        found = _PAGE.fullmatch(place.label)
        if found:
            if name not in pages:
                pages[name] = []
                out.append((name, place))
            pages[name].append(int(found[1]))
        else:
            out.append((name, place))
    for i, (name, place) in enumerate(out):
        numbers = pages.get(name)
        if numbers and len(numbers) > 1 and _PAGE.fullmatch(place.label):
            out[i] = (name, Place(place.order, f"pages {_ranges(numbers)}"))
    return out


def _ranges(numbers: list[int]) -> str:
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{run[0]}\u2013{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def prepare(root: Path, loaded, document: m.Document) -> LeakCheck | None:
    """The leak check of ``document``, the public edition of ``loaded`` as rendered
    (with its evidence annex); None when nothing is protected."""
    from report.transforms.protected import protected_strings

    project = loaded.project
    people = loaded.people
    marked = any(getattr(n, "confidential", False) or "confidential" in getattr(n, "classes", ())
                 for n in _marked_nodes(loaded.source))
    secret_sources = any(ref.confidential for ref in project.registry.entries)
    if not marked and not secret_sources and not (people and people.persons):
        return None
    protected = protected_strings(loaded.source, project.registry, people, document.metadata.language, document)
    if not protected:
        return None
    return LeakCheck(root, tuple(protected), tuple(_origins(loaded, document)), tuple(_made_of(project.config, document)))


def _marked_nodes(document: m.Document):
    """The sections, blocks and spans of ``document`` (where a mark can be)."""
    for section in document.sections:
        yield section
        for block in m.walk_blocks(section.blocks):
            yield block
            for inlines in m.block_inlines(block):
                yield from m.descendants(inlines)


def _origins(loaded, document: m.Document):
    """(text, place) for the public text, in the order of the module doc's 1 and 2."""
    for section in document.sections:
        if section.title:
            yield section.title, section.location
        for block in m.walk_blocks(section.blocks):
            for inlines in m.own_inlines(block):
                yield m.plain_text(inlines), block.location
                for node in m.descendants(inlines, into_notes=False):
                    if isinstance(node, (m.Note, m.Footnote)):
                        yield " ".join(_note_text(node.children)), node.location
            if isinstance(block, m.Figure):
                yield block.alt or "", block.location
                yield block.src, block.location
    config = loaded.project.config
    meta = document.metadata
    for key, value in (("title", meta.title), ("subtitle", meta.subtitle), ("organization", meta.organization)):
        if value:
            yield value, config.where(key)
    from report.transforms.editions import public_registry

    # The registry as the public edition shows it (pseudonyms in it): a name its source
    # entry holds but the outputs do not is not where a leak came from.
    registry = public_registry(loaded.project.registry, loaded.people, meta.language, config.language)
    for ref in registry.entries:
        for field, value in ref.csl.items():
            yield _field_text(value), ref.where(field)
    treaties = loaded.edition_treaties
    for incident in (treaties.incidents if treaties else ()):
        yield " ".join(str(v) for v in (incident.summary, incident.place or "", *incident.victims)), incident.location


def _note_text(nodes) -> list[str]:
    out = [m.plain_text(nodes)]
    for node in m.descendants(nodes, into_notes=False):
        if isinstance(node, (m.Note, m.Footnote)) and node.children is not nodes:
            out += _note_text(node.children)
    return out


def _field_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_field_text(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return "\n|\n".join(_field_text(v) for v in value)
    return ""


def _made_of(config, document: m.Document) -> list[str]:
    """The project files (relative, or absolute for the package's defaults) whose
    content reaches the outputs besides the text: templates, style, figure images."""
    files = []
    for kind, _, _ in config.templates:
        files.append(config.template(kind)[0])
    from report.transforms.csl import style_path

    try:
        files.append(style_path(config.root, config.citation_style, config.citation_style_location))
    except Exception:  # noqa: BLE001 - a stock style by name: no file of the project's
        pass
    for section in document.sections:
        for block in m.walk_blocks(section.blocks):
            if isinstance(block, m.Figure):
                files.append(config.root / block.src)
    shown = []
    for path in files:
        path = Path(path)
        shown.append(path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) else str(path))
    return list(dict.fromkeys(shown))


def _lines(root: Path, rel: str) -> list[str] | None:
    try:
        return (root / rel).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return None


def _find_line(lines: list[str], text: str) -> tuple[int, int] | None:
    """(1-based line, column) of the first line of ``lines`` holding ``text``, or where it
    begins when a line break cuts it; None when no line or pair of lines holds it."""
    matcher = Matcher([text])
    for i, line in enumerate(lines):
        if matcher.find_text(line):
            return i + 1, _column(matcher, line, "")
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if following and matcher.find_text(line + " " + following) and not matcher.find_text(following):
            return i + 1, _column(matcher, line, " " + following)
    return None


def _column(matcher: Matcher, line: str, rest: str) -> int:
    """The last column of ``line`` from which (with ``rest`` after it) the text is still found."""
    col = 0
    while col + 1 < len(line) and matcher.find_text(line[col + 1:] + rest):
        col += 1
    return col + 1


def _in_file(root: Path, rel: str, texts: list[str]) -> dict[str, Location]:
    """The texts of ``texts`` found in the project file ``rel``: at their line in a text
    file, at the start of a binary one (a reference.docx, a photograph's metadata)."""
    path = Path(rel) if Path(rel).is_absolute() else root / rel
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    found: dict[str, Location] = {}
    lines = None
    if not data.startswith((b"PK\x03\x04", b"%PDF")):
        try:
            lines = data.decode("utf-8-sig").split("\n")
        except UnicodeDecodeError:
            lines = None
    if lines is not None:
        for text in texts:
            hit = _find_line(lines, text)
            if hit is not None:
                found[text] = Location(rel, *hit)
        return found
    matcher = Matcher(texts)
    for owner, _ in find_in_file(matcher, path.name, data):
        found.setdefault(texts[owner], Location(rel, 1, 1))
    return found


__all__ = ["LeakCheck", "prepare"]
