"""The leak scan: Markdown syntax that reached a reader in a build's outputs.

Every ``build/<lang>/<edition>/report.{html,docx,pdf}`` a test writes is read once: the HTML's text
content, the DOCX's ``w:t`` text (document.xml and footnotes.xml), the PDF's extracted
text. An occurrence of a marker (:data:`MARKERS`) there is a leak, unless the project
wrote it as text on purpose.

The rule for "on purpose": an occurrence is accepted when the project's sources hold the
same marker *in literal form* followed by the same characters (up to :data:`TAIL` of them,
white space collapsed): literal form is a backslash escape of one of the marker's
characters (``\\{#``, ``!\\[``, ``\\@fig-``, ``\\[^``, ``\\:::``) or the inside of a code span
or code block (the project's own parser says which), in a section file or a translation
(PO) file; the registry and report.yaml are not Markdown, so anything in them is literal.
An occurrence the sources only write as syntax (``{#id}`` taken as attributes) is a leak,
even when the project escapes the marker elsewhere: the text after the marker must match.
``@fig-``, ``@tbl-`` and ``@sec-`` inside a word (``press@sec-council.org``) are no
cross-references (the parser leaves them as text) and are not markers there.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from tests.constructs.outputs import docx_text, html_text, pdf_pages

MARKERS = ("![", "{#", ":::", "@fig-", "@tbl-", "@sec-", "[^")
TAIL = 8
OUTPUTS = ("report.html", "report.docx", "report.pdf")
_WORD_BEFORE_AT = re.compile(r"[\w.+@-]")
_ESCAPABLE = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@dataclass(frozen=True)
class Leak:
    path: Path
    marker: str
    context: str

    def __str__(self) -> str:
        return f"{self.path}: {self.marker!r} in …{self.context}…"


def output_files(folder: Path) -> list[Path]:
    """Every build/<lang>/<edition>/report.{html,docx,pdf} under ``folder``."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d not in (".git", ".venv", "node_modules", "__pycache__")]
        parent = Path(dirpath)
        if parent.parent.parent.name == "build":
            found += [parent / name for name in filenames if name in OUTPUTS]
    return sorted(found)


def output_text(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".html":
        return html_text(data.decode("utf-8", errors="replace"))
    if path.suffix == ".docx":
        return docx_text(data)
    return "\n".join(pdf_pages(data))


def _code_contents(text: str) -> list[str]:
    """The text of every code span and code block of a Markdown source."""
    from report.parse.markdown import make_parser

    found = []

    def walk(tokens):
        for token in tokens:
            if token.type in ("code_inline", "fence", "code_block"):
                found.append(token.content)
            if token.children:
                walk(token.children)

    walk(make_parser().parse(text, {}))
    return found


def _unescaped(text: str) -> tuple[str, list[bool]]:
    """``text`` with its backslash escapes resolved, and for each character whether it was escaped."""
    out, escaped, i = [], [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            out.append(text[i + 1])
            escaped.append(True)
            i += 2
        else:
            out.append(text[i])
            escaped.append(False)
            i += 1
    return "".join(out), escaped


def literal_forms(texts: list[str], markdown: bool = True) -> set[str]:
    """The marker-and-tail strings the sources write as text (see the module's rule)."""
    found = set()
    for text in texts:
        if not any(marker in text or marker in text.replace("\\", "") for marker in MARKERS):
            continue
        if not markdown:
            pieces = [(text, None)]
        else:
            pieces = [(code, None) for code in _code_contents(text)] + [_unescaped(text)]
        for piece, escaped in pieces:
            for marker in MARKERS:
                for match in re.finditer(re.escape(marker), piece):
                    start, end = match.start(), match.end()
                    if escaped is not None and not any(escaped[start:end]):
                        continue  # written as syntax here
                    tail = piece[end:end + TAIL].split("\n")[0]
                    found.add(_squash(marker + tail))
    return found


def project_sources(root: Path) -> tuple[list[str], list[str]]:
    """(Markdown texts, literal texts) of the project at ``root``."""
    markdown, literal = [], []
    for path in sorted((root / "sections").glob("*.md")) if (root / "sections").is_dir() else []:
        markdown.append(path.read_text(encoding="utf-8", errors="replace"))
    for path in sorted((root / "locales").glob("*.po")) if (root / "locales").is_dir() else []:
        markdown.append(path.read_text(encoding="utf-8", errors="replace").replace("\\\\", "\\"))
    for path in [root / "report.yaml"] + sorted((root / "references").glob("*.y*ml")):
        if path.is_file():
            literal.append(path.read_text(encoding="utf-8", errors="replace"))
    return markdown, literal


def find_leaks(path: Path, text: str, allowed: set[str]) -> list[Leak]:
    leaks = []
    for marker in MARKERS:
        for match in re.finditer(re.escape(marker), text):
            start, end = match.start(), match.end()
            if marker.startswith("@") and start > 0 and _WORD_BEFORE_AT.match(text[start - 1]):
                continue
            written = _squash(text[start:end + TAIL + 4])
            if any(written.startswith(form) for form in allowed):
                continue
            leaks.append(Leak(path, marker, _squash(text[max(0, start - 30):end + 30])))
    return leaks


class LeakScan:
    """Scans each output file once (by path, size and modification time)."""

    def __init__(self):
        self.seen: dict[Path, tuple[int, int]] = {}

    def scan(self, folder: Path, since_ns: int = 0) -> list[Leak]:
        """The leaks in the outputs under ``folder`` not scanned yet (modified at or after ``since_ns``)."""
        if not folder.is_dir():
            return []
        leaks: list[Leak] = []
        forms: dict[Path, set[str]] = {}
        for path in output_files(folder):
            try:
                stat = path.stat()
            except OSError:
                continue
            key = (stat.st_size, stat.st_mtime_ns)
            if self.seen.get(path) == key or stat.st_mtime_ns < since_ns:
                continue
            self.seen[path] = key
            try:
                text = output_text(path)
            except Exception:  # a truncated or hand-made file: another test's business, no text to scan
                continue
            if not any(marker in text for marker in MARKERS):
                continue
            root = path.parents[3]  # build/<lang>/<edition>/report.* → the project
            if root not in forms:
                markdown, literal = project_sources(root)
                forms[root] = literal_forms(markdown) | literal_forms(literal, markdown=False)
            leaks += find_leaks(path, text, forms[root])
        return leaks
