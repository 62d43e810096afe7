"""Find each figure's image file and check it before anything is rendered.

Takes the parsed document and the project root; returns the document with each
figure's ``src`` made project-relative (POSIX) and the diagnostics:

- IMG001 a missing or unreadable image, IMG002 a format the outputs cannot carry,
  IMG003 corrupt image data (from :mod:`report.images`);
- IMG004 a path outside the project folder (images are read from the project only,
  like every other input);
- IMG010 (warning) a source photograph that carries a GPS position or a camera
  serial number: the outputs never do, but the file in the repository still does;
- FIG001 (warning; an error under ``--strict``) a figure without alternative text;
- FIG002 a width attribute that is not a length.

A path is looked up beside the section file first (as Quarto does), then from the
project root (as Pandoc run from the project folder does).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from report import model as m
from report.diagnostics import Diagnostic, error, warning
from report.render.figures import figure_width

_SENSITIVE = ("GPS position", "camera serial number")


def _candidates(root: Path, section_path: str, src: str) -> list[Path]:
    written = PurePosixPath(unquote(src))
    if written.is_absolute():
        return [Path(written)]
    beside = (root / section_path).parent / written
    return [beside, root / written]


def locate_figures(document: m.Document, root: Path) -> tuple[m.Document, list[Diagnostic]]:
    from report.images import ImageProblem, probe

    problems: list[Diagnostic] = []
    real_root = Path(os.path.realpath(root))
    probed: dict[str, object] = {}
    digests: dict[str, str] = {}

    def locate(figure: m.Figure) -> m.Figure:
        where = figure.location
        if figure.width is not None and figure_width(figure.width) is None:
            problems.append(error("FIG002", f"figure width '{figure.width[:20]}' is not a length", where,
                                  "write a percentage of the text width (width=60%) or a length (8cm, 3in, 400px)"))
        if not figure.alt or not figure.alt.strip():
            problems.append(warning("FIG001", "a figure without alternative text", where,
                                    'describe the image for readers who cannot see it: {fig-alt="…"}'))
        src = figure.src.strip()
        if not src:
            return figure  # reported by the parser
        if urlsplit(src).scheme not in ("", "file") or src.startswith("//"):
            problems.append(error("IMG004", f"image '{src[:60]}' is not a project file", where,
                                  "images are never fetched: save the file in the project and give its path"))
            return figure
        if urlsplit(src).scheme == "file":
            src = urlsplit(src).path
        found = next((p for p in _candidates(root, where.path, src) if p.exists()), None)
        if found is None:
            problems.append(error("IMG001", f"image not found: {src}", where,
                                  "paths are read beside the section file, then from the project folder"))
            return figure
        real = Path(os.path.realpath(found))
        if not real.is_relative_to(real_root):
            problems.append(error("IMG004", f"image '{src}' lies outside the project folder", where,
                                  "copy it into the project, e.g. images/"))
            return figure
        rel = real.relative_to(real_root).as_posix()
        if rel not in probed:
            try:
                probed[rel] = probe(real)
            except ImageProblem as exc:
                probed[rel] = exc
            else:
                held = [f for f in probed[rel].findings if f.startswith(_SENSITIVE)]
                if held:
                    problems.append(warning("IMG010", f"{rel} holds {'; '.join(held)}", where,
                                            "the outputs never carry it, but the file in the project does: "
                                            "strip it before sharing the sources"))
        result = probed[rel]
        if isinstance(result, ImageProblem):
            problems.append(error(result.code, f"{result.message}: {rel}", where))
            return figure
        if rel not in digests:
            digests[rel] = hashlib.sha256(real.read_bytes()).hexdigest()
        return dataclasses.replace(figure, src=rel, digest=digests[rel])

    def visit(blocks) -> tuple:
        return tuple(m.map_blocks(locate(b) if isinstance(b, m.Figure) else b, visit) for b in blocks)

    sections = tuple(dataclasses.replace(s, blocks=visit(s.blocks)) for s in document.sections)
    return dataclasses.replace(document, sections=sections), problems
