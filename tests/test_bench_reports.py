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
