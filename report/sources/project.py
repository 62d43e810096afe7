"""Read a whole project: config, sections and registry, with every problem collected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from report.config import Config, load_config
from report.diagnostics import Diagnostic
from report.errors import ReportError
from report.sources.registry import Registry, read_registry
from report.sources.sections import SectionSource, read_section


@dataclass(frozen=True)
class Project:
    config: Config
    sections: tuple[SectionSource, ...]
    registry: Registry

    def input_files(self) -> list[str]:
        """Project-relative paths of every source file that shapes the outputs."""
        files = ["report.yaml", self.registry.path] + [s.path for s in self.sections]
        files += [rel for _, rel, _ in self.config.templates]
        if self.config.citation_style.endswith(".csl"):
            files.append(self.config.citation_style)
        return sorted(set(f for f in files if (self.config.root / f).is_file()))


def read_project(root: Path) -> Project:
    config = load_config(root)
    problems: list[Diagnostic] = []
    sections = []
    for name, where in config.sections:
        try:
            sections.append(read_section(root, name, where))
        except ReportError as exc:
            problems.extend(exc.diagnostics)
    try:
        registry = read_registry(root, config.registry, config.registry_location)
    except ReportError as exc:
        problems.extend(exc.diagnostics)
        registry = None
    if problems:
        raise ReportError(problems)
    return Project(config, tuple(sections), registry)
