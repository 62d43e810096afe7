"""How far the DOCX's estimated page numbers (contents, lists of figures and
tables) are from LibreOffice's pagination of the same file.

Builds a project's DOCX, converts it to PDF with LibreOffice (``soffice``), finds
the page on which each contents or list entry's text starts a line, and prints
one line per entry (estimate, LibreOffice, difference) and a summary. Usage:

    .venv/bin/python tools/toc_pages.py PROJECT [--copies K]

With ``--copies K`` the project is first repeated K times (tools/synthetic.py),
which gives a long report with many footnotes.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def entries(docx: Path) -> list[tuple[str, int]]:
    """(entry text, cached page) of every contents and list entry of ``docx``."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    out = []
    for link in root.iter(f"{W}hyperlink"):
        instr = "".join(t.text or "" for t in link.iter(f"{W}instrText"))
        if "PAGEREF" not in instr:
            continue
        texts = [t.text or "" for t in link.iter(f"{W}t")]
        if texts and texts[-1].isdigit():
            out.append(("".join(texts[:-1]).replace("\u00a0", " ").strip(), int(texts[-1])))
    return out


def libreoffice_pages(pdf: Path, skip: int) -> list[list[str]]:
    """The lines of each page of ``pdf`` (the first ``skip`` pages left empty)."""
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                                                              text=True).stdout).group(1))
    pages = []
    for n in range(1, count + 1):
        if n <= skip:
            pages.append([])
            continue
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True).stdout
        pages.append([" ".join(line.replace("\u00a0", " ").split()) for line in text.splitlines()])
    return pages


def compare(docx: Path, work: Path) -> list[tuple[str, int, int | None]]:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(docx)],
                   check=True, capture_output=True, timeout=600)
    found = entries(docx)
    pages = libreoffice_pages(work / (docx.stem + ".pdf"), skip=2)
    out, start = [], 0
    for text, estimate in found:
        key = " ".join(text.split())[:40]
        actual = None
        for n in range(start, len(pages)):
            if any(line.startswith(key) and "...." not in line for line in pages[n]):
                actual, start = n + 1, n
                break
        out.append((text, estimate, actual))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        project = args.project.resolve()
        if args.copies > 1:
            from synthetic import make_synthetic

            project = make_synthetic(project, work / "project", args.copies)
        subprocess.run([sys.executable, "-m", "report", "build", "--format", "docx", "--force", "-q"],
                       cwd=project, check=True)
        docx = next((project / "build").rglob("*.docx"))
        rows = compare(docx, work)
    diffs = [abs(e - a) for _, e, a in rows if a is not None]
    for text, estimate, actual in rows:
        print(f"{estimate:>4} {actual if actual is not None else '?':>4}  {text[:70]}")
    if diffs:
        print(f"{len(rows)} entries, {sum(d == 0 for d in diffs)} on LibreOffice's page, "
              f"{sum(d == 1 for d in diffs)} one page off, largest difference {max(diffs)}; "
              f"{len(rows) - len(diffs)} not found")


if __name__ == "__main__":
    main()
