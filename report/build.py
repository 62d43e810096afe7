"""The build recipe: sources → parse → transforms → render → outputs, one call a stage.

``load`` stops at the resolved document (what ``report check`` needs, without
importing any renderer); ``build`` renders and writes ``build/<lang>/``.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from report import model as m
from report.diagnostics import Diagnostic, error, has_errors
from report.errors import ReportError
from report.outputs import manifest, write_outputs
from report.parse.markdown import parse_section
from report.sources.project import Project, read_project
from report.transforms.csl import CslEngine, style_path
from report.transforms.notes import resolve_notes


@dataclass(frozen=True)
class Loaded:
    project: Project
    document: m.Document
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    files: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


def load(root: Path) -> Loaded:
    """Read and resolve the project. Raises ReportError when anything is an error."""
    project = read_project(root)
    config = project.config
    problems: list[Diagnostic] = []
    sections = []
    for source in project.sections:
        section, found = parse_section(source)
        sections.append(section)
        problems.extend(found)
    metadata = m.Metadata(config.title, config.organization, config.language, config.date, config.subtitle)
    document = m.Document(metadata, tuple(sections))
    engine = CslEngine(style_path(root, config.citation_style, config.citation_style_location),
                       project.registry, config.language, config.citation_style_location)
    document, found = resolve_notes(document, engine, project.registry)
    problems.extend(found)
    if has_errors(problems):
        raise ReportError(problems)
    return Loaded(project, document, tuple(problems))


def build_timestamp(config) -> dt.datetime | None:
    """SOURCE_DATE_EPOCH when set, else midnight UTC of the report date, else None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    if config.date:
        return dt.datetime.combine(config.date, dt.time(), tzinfo=dt.timezone.utc)
    return None


def check_assets(config, formats) -> list[Diagnostic]:
    """Templates and fonts the requested formats need, before any rendering starts."""
    problems = []
    needs = {"docx": ["docx"], "html": ["html", "css"], "pdf": ["html", "css"]}
    kinds = sorted({kind for fmt in formats for kind in needs[fmt]})
    for kind in kinds:
        path, where = config.template(kind)
        if not path.is_file():
            problems.append(error("TPL001", f"template not found: {path.relative_to(config.root) if path.is_relative_to(config.root) else path}", where))
    if "pdf" in formats or "html" in formats:
        for face, path in config.font.files:
            if not path.is_file():
                problems.append(error("FNT001", f"font file for '{face}' not found: {path}", config.font.where(face),
                                      "install fonts-noto-core or point fonts.files at the project's fonts"))
    return problems


def build(root: Path, formats: tuple[str, ...] | None = None) -> BuildResult:
    from report.render.base import RenderContext, get_renderer

    loaded = load(root)
    config = loaded.project.config
    formats = tuple(formats or config.outputs)
    problems = check_assets(config, formats)
    if problems:
        raise ReportError(list(loaded.diagnostics) + problems)
    context = RenderContext(config, build_timestamp(config))
    outputs = {}
    warnings = list(loaded.diagnostics)
    for fmt in formats:
        renderer = get_renderer(fmt)
        outputs[f"report.{fmt}"] = renderer.render(loaded.document, context)
        warnings.extend(renderer.diagnostics)
    out_dir = root / "build" / config.language
    files = dict(outputs)
    files["manifest.json"] = manifest(root, loaded.project.input_files(), outputs)
    write_outputs(out_dir, files)
    return BuildResult(out_dir, tuple(sorted(files)), tuple(warnings))

