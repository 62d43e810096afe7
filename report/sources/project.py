"""Read a whole project: config, sections and registry, with every problem collected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.config import PACKAGE_TEMPLATES, Config, load_config
from report.diagnostics import Diagnostic, error
from report.errors import ReportError
from report.sources.registry import Registry, read_registry
from report.sources.sections import SectionSource, read_section


@dataclass(frozen=True)
class Project:
    config: Config
    sections: tuple[SectionSource, ...]
    registry: Registry


def input_files(config: Config) -> list[str]:
    """Paths of every source file of ``config``'s project that shapes the outputs (known
    before any is read: see report.build): project-relative, or absolute for the
    package's default templates and style used in place of missing project copies
    (see report.config.default_file) and for font files outside the project. Then the
    project paths whose absence the outputs depend on (the project copy a default stands
    in for, the optional incidents, instruments, people and abbreviations files): a file added there later
    makes the next build run again (their digest in the manifest is null)."""
    files = ["report.yaml", config.registry] + [f"sections/{name}" for name, _ in config.sections]
    files += [rel for _, rel, _ in config.templates]
    files += ["references/instruments.yaml", "references/incidents.yaml", "references/people.yaml",
              "references/abbreviations.yaml"]
    if config.citation_style.endswith(".csl"):
        files.append(config.citation_style)
    # Font files may live outside the project (Debian's fonts): keyed by their path.
    files += [str(path) for _, path in config.font.files]
    present = sorted(set(f for f in files if (config.root / f).is_file()))
    stand_ins = [f"templates/{Path(f).name}" for f in present if Path(f).parent == PACKAGE_TEMPLATES]
    absent = {f for f in files + stand_ins if not Path(f).is_absolute() and not (config.root / f).exists()}
    return present + sorted(absent)


def read_project(root: Path) -> Project:
    """Read report.yaml, every listed section and the registry; raise ReportError with
    every problem found (not just the first)."""
    config = load_config(root)
    problems: list[Diagnostic] = []
    sections = []
    ids: dict[str, SectionSource] = {}
    for name, where in config.sections:
        try:
            section = read_section(root, name, where)
        except ReportError as exc:
            problems.extend(exc.diagnostics)
            continue
        if section.id in ids:
            problems.append(error("SEC008", f"section id '{section.id}' is also the id of {ids[section.id].path}",
                                  section.location, "give one of them another id in its front matter"))
        ids[section.id] = section
        sections.append(section)
    try:
        registry = read_registry(root, config.registry, config.registry_location)
    except ReportError as exc:
        problems.extend(exc.diagnostics)
        registry = None
    if problems:
        raise ReportError(problems)
    return Project(config, tuple(sections), registry)
