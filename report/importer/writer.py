"""The imported project on disk: section files, report.yaml, the registry, templates.

:func:`project_files` takes the imported document (title-page values, the images
its figures show), the body blocks (notes already citations or free text), the
registry entries and the templates folder; it returns every file of the new
project as relative path → bytes, and where each
note was written. Sections are split at level-1 headings: a heading becomes the
section's title, text before the first one an untitled section.
:func:`place` then writes those files into a staging folder beside the target
and renames them into place, so a failed import writes nothing, and never
touches an existing project unless told to.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

import yaml

from report import model as m
from report.importer.markdown import LIST_BREAK, MarkdownWriter
from report.importer.package import fail

TEMPLATES = ("reference.docx", "report.html.j2", "report.css", "notes.csl")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
FIELD_ORDER = ("id", "type", "author", "title", "title-short", "note", "genre", "number", "container-title",
               "publisher", "publisher-place", "issued", "URL", "accessed", "annote")


def _scalar(value) -> str:
    return yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True).strip().removesuffix("\n...")


def split_sections(blocks: list) -> list[tuple[str | None, list]]:
    """(title, blocks) per section: a level-1 heading without notes opens a titled
    section; one with notes opens an untitled section that keeps the heading."""
    sections: list[tuple[str | None, list]] = [(None, [])]
    for block in blocks:
        if isinstance(block, m.Heading) and block.level == 1:
            has_note = any(isinstance(n, (m.Note, m.Citation)) for n in m.descendants(block.children))
            title = " ".join(m.plain_text(block.children).split())
            if has_note or not title:
                sections.append((None, [block]))
            else:
                sections.append((title, []))
        else:
            sections[-1][1].append(block)
    if sections[0][1] == [] and len(sections) > 1:
        sections.pop(0)
    return sections


def _slug(title: str | None, first: bool, taken: set) -> str:
    text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", text.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 40 and slug:
            break
        slug = f"{slug}-{word}" if slug else word
    slug = slug or ("preamble" if first and title is None else "section")
    base, n = slug, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def project_files(doc, blocks: list, entries: dict[str, dict], comments: dict[str, list[str]], templates: Path,
                  source_name: str, plans_by_note: dict) -> tuple[dict[str, bytes], dict, dict, int]:
    """Every file of the project; where each note was written (note number → (file,
    line)); the first line of each entry in sources.yaml (line → key); and how many
    blocks lost formatting Markdown could not express."""
    writer = MarkdownWriter()
    files: dict[str, bytes] = {}
    where: dict[int, tuple[str, int]] = {}
    names = []
    taken: set = set()
    for number, (title, section_blocks) in enumerate(split_sections(blocks), start=1):
        name = f"{number:02d}-{_slug(title, number == 1, taken)}.md"
        names.append(name)
        text = f"---\ntitle: {_scalar(title)}\n---\n\n" if title else ""
        for i, block in enumerate(section_blocks):
            if i and isinstance(block, m.ListBlock) and isinstance(section_blocks[i - 1], m.ListBlock):
                text += LIST_BREAK + "\n\n"  # two lists in a row, not one
            line = text.count("\n") + 1
            markdown = writer.write_block(block)
            for node in _notes_in(block):
                if id(node) in plans_by_note:
                    where[plans_by_note[id(node)]] = (f"sections/{name}", line, line + markdown.count("\n"))
            text += markdown + "\n\n"
        files[f"sections/{name}"] = (text.rstrip("\n") + "\n").encode("utf-8")
    files.update(doc.images)  # images/figure-N.<ext>, named by the import
    files["report.yaml"] = _report_yaml(doc, names, source_name).encode("utf-8")
    registry_text, entry_lines = registry_yaml(entries, comments, source_name)
    files["references/sources.yaml"] = registry_text.encode("utf-8")

    for name in TEMPLATES:
        path = templates / name
        try:
            files[f"templates/{name}"] = path.read_bytes()
        except OSError:
            raise fail("IMP009", f"template not found: {path}", str(templates),
                       "pass --templates with a folder holding " + ", ".join(TEMPLATES)) from None
    return files, where, entry_lines, writer.degraded


def _notes_in(block):
    for inlines in m.block_inlines(block):
        for node in m.descendants(inlines):
            if isinstance(node, (m.Note, m.Citation)):
                yield node


def _report_yaml(doc, sections: list[str], source_name: str) -> str:
    language = doc.language if doc.language and _LANGUAGE.match(doc.language) else "en"
    lines = [f"# Imported from {source_name} by `report import`. Format: see the README, \"The sources\".",
             f"title: {_scalar(doc.title or Path(source_name).stem)}"]
    for key in ("subtitle", "organization"):
        if getattr(doc, key):
            lines.append(f"{key}: {_scalar(getattr(doc, key))}")
    lines.append(f"language: {language}")
    if isinstance(doc.date, dt.date):
        lines.append(f"date: {doc.date.isoformat()}")
    lines.append("sections:")
    lines += [f"  - {name}" for name in sections]
    lines += ["citation-style: templates/notes.csl", "registry: references/sources.yaml",
              "outputs: [docx, pdf, html]"]
    return "\n".join(lines) + "\n"


def registry_yaml(entries: dict[str, dict], comments: dict[str, list[str]], source_name: str) -> tuple[str, dict]:
    """The registry's YAML, each entry after comment lines quoting the notes it came
    from; and the first line of each entry (line → key)."""
    out = [f"# Citation registry (CSL-YAML), imported from the notes of {source_name}.",
           "# Every entry was read from a footnote by `report import`: check each field against the source."]
    if not entries:
        out.append("[]")
    lines: dict[int, str] = {}
    for key, csl in entries.items():
        entry = {"id": key, **csl}
        ordered = {k: entry[k] for k in FIELD_ORDER if k in entry}
        ordered.update({k: v for k, v in entry.items() if k not in ordered})
        out.append("")
        out += [f"# {' '.join(line.split())}" for line in comments.get(key, [])]
        lines[sum(part.count("\n") + 1 for part in out) + 1] = key
        out.append(yaml.safe_dump([ordered], allow_unicode=True, sort_keys=False, width=10**9).rstrip("\n"))
    return "\n".join(out) + "\n", lines


def check_target(into: Path, force: bool, shown: str) -> bool:
    """Whether ``into`` holds files already; IMP007 when it is a file, or not empty without ``force``."""
    if into.exists() and not into.is_dir():
        raise fail("IMP007", f"{shown} exists and is not a folder", shown)
    existing = into.is_dir() and any(into.iterdir())
    if existing and not force:
        raise fail("IMP007", f"{shown} already exists and is not empty", shown,
                   "choose a new folder, or pass --force to replace its report.yaml, sections/, "
                   "references/sources.yaml and templates")
    return existing


def place(files: dict[str, bytes], into: Path, force: bool, shown: str) -> None:
    """Write ``files`` under ``into``: into a staging folder first, then renamed into place.

    An existing, non-empty ``into`` is refused (IMP007) unless ``force``; then the
    imported files and folders (report.yaml, sections/, references/sources.yaml and
    the four templates) replace theirs and everything else in it stays."""
    existing = check_target(into, force, shown)
    parent = into.parent
    stage = None
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".report-import-", dir=parent))
        for rel, data in sorted(files.items()):
            path = stage / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as handle:
                handle.write(data)
        os.chmod(stage, 0o755)
        if not existing:
            if into.is_dir():
                into.rmdir()
            os.replace(stage, into)
            stage = None
            return
        _swap_in(stage, into, files)
    except OSError as exc:
        raise fail("IMP008", f"cannot write the project into {shown}: {exc.strerror or exc}", shown) from None
    finally:
        if stage is not None and stage.exists():
            shutil.rmtree(stage, ignore_errors=True)


def _swap_in(stage: Path, into: Path, files: dict) -> None:
    """Replace the imported items of an existing project, putting the old ones back on failure."""
    items = sorted({rel.split("/")[0] if rel.startswith("sections/") else rel for rel in files})
    aside = Path(tempfile.mkdtemp(prefix=".report-import-old-", dir=into.parent))
    moved: list[str] = []
    try:
        for item in items:
            target = into / item
            if target.exists() or target.is_symlink():
                (aside / item).parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, aside / item)
            moved.append(item)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / item, target)
    except OSError:
        for item in reversed(moved):
            if (aside / item).exists():
                if (into / item).is_dir():
                    shutil.rmtree(into / item)
                os.replace(aside / item, into / item)
        raise
    finally:
        shutil.rmtree(aside, ignore_errors=True)

