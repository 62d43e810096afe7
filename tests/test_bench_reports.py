"""The reports scripts/bench measures stay valid as the tool grows: a check rule added
later that they break would only show when the benchmark fails, minutes into its run."""

from __future__ import annotations

import sys

from report import model as m
from report.build import check
from report.diagnostics import Severity
from tests.conftest import REPO
from tests.images.support import exif, picture

sys.path.insert(0, str(REPO / "tools"))
from synthetic import make_figure_report  # noqa: E402


def _photos(folder, count):
    folder.mkdir()
    paths = []
    for n in range(1, count + 1):
        path = folder / f"p{n:02d}.jpg"
        picture((400, 300)).save(path, "JPEG", quality=90, exif=exif(orientation=1))
        paths.append(path)
    return paths


def test_the_report_with_photographs_and_without_them(tmp_path):
    photos = _photos(tmp_path / "photos", 40)
    with_photos = make_figure_report(REPO, tmp_path / "photos-report", photos)
    text_only = make_figure_report(REPO, tmp_path / "text-report", None)
    codes = {}
    for name, root in (("photos", with_photos), ("text", text_only)):
        loaded, found = check(root)
        assert [d.format() for d in found if d.severity == Severity.ERROR] == []
        codes[name] = {d.code for d in found}
        document = loaded.document
        blocks = [b for s in document.sections for b in m.walk_blocks(s.blocks)]
        assert len(document.sections) == 50
        assert sum(isinstance(b, m.Table) and b.number is not None for b in blocks) == 30
        figures = [b for b in blocks if isinstance(b, m.Figure)]
        assert [f.number for f in figures] == (list(range(1, 41)) if name == "photos" else [])
    assert codes["photos"] - codes["text"] == {"IMG010"}  # each photograph holds a GPS position
    # The same text: each figure's sentence is in both, the figure named in words without it.
    def says(root, words):
        return any(words in p.read_text(encoding="utf-8") for p in (root / "sections").iterdir())

    assert says(with_photos, "As @fig-p07 shows") and says(text_only, "As Figure 7 shows")


def test_the_shipped_report_in_the_six_un_languages(tmp_path):
    """tools/un_languages.py's stand-in catalogs keep every segment's codes, so each of
    the six languages the benchmark builds checks without an error; the Arabic and
    Chinese texts are in their scripts and the numbers stay as they were."""
    import shutil

    from report.build import Locale
    from un_languages import add_un_languages, stand_in

    zh = stand_in("In 1,275 cases [@un-2020, p. 3], see [the list](https://example.org).", "zh")
    assert "1,275" in zh and "[@un-2020, p. 3]" in zh and "](https://example.org)" in zh and zh.endswith("。")
    ar = stand_in("Torture is prohibited (A/71/782).", "ar")
    assert "/71/782" in ar and not any("a" <= ch.lower() <= "z" for ch in ar.replace("/71/782", ""))

    root = tmp_path / "un"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "build", "tests", "*.pyc"))
    (root / "locales" / "az.po").unlink()
    add_un_languages(root)
    for language in ("en", "ru", "ar", "zh", "fr", "es"):
        _, found = check(root, locale=Locale(language, allow_fuzzy=True))
        assert [d.format() for d in found if d.severity == Severity.ERROR] == [], language


def test_the_reviewed_file_the_benchmark_makes_is_read_with_every_change(tmp_path):
    """tools/review_edits.py writes N tracked replacements as Word does (a w:del and a
    w:ins by one author), spread over the body; `report review` finds all N, each placed
    in the sources, and applies them."""
    import io
    import zipfile

    from click.testing import CliRunner
    from lxml import etree

    from report.build import build
    from report.cli import main
    from review_edits import W, reviewed_docx
    from tests.conftest import copy_shipped_project

    root = copy_shipped_project(tmp_path / "small")
    build(root, ("docx",))
    sent = (root / "build" / "en" / "public" / "report.docx").read_bytes()
    data = reviewed_docx(sent, 12)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        document = etree.fromstring(archive.read("word/document.xml"))
    deleted = [d for d in document.iter(f"{{{W}}}del")]
    inserted = [i for i in document.iter(f"{{{W}}}ins")]
    assert len(deleted) == len(inserted) == 12
    assert all(d.find(f"{{{W}}}r/{{{W}}}delText") is not None and d.get(f"{{{W}}}author") == "Reviewer"
               for d in deleted)
    assert len({d.getparent() for d in deleted}) >= 6  # spread over the paragraphs, not all in one
    (root / "reviewed.docx").write_bytes(data)
    result = CliRunner().invoke(main, ["review", str(root / "reviewed.docx"), "--project", str(root), "--apply"])
    assert result.exit_code == 0, result.output
    changes = [line for line in result.output.splitlines() if ": change[Reviewer]: " in line]
    assert len(changes) == 12 and all(line.startswith("sections/") for line in changes), result.output
    assert "12 change(s): 12 placed in the sources, 0 not applied; 0 comment(s)" in result.output
    try:
        reviewed_docx(sent, 100_000)
    except ValueError as exc:
        assert "fewer than 100000" in str(exc)
    else:
        raise AssertionError("asked for more words than the file has")
