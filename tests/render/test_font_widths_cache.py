"""The fonts' advance widths the DOCX page estimate uses are kept in the cache folder
(report.render.docx.metrics._read_face): the kept table is the font's, a damaged one
is read again, and a font file that cannot be read gives the coarse fallback."""

from pathlib import Path

from report.render.docx import metrics

FONT = Path("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf")


def test_kept_widths_are_the_fonts_and_a_damaged_table_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    metrics._read_face.cache_clear()
    fresh = metrics._read_face(FONT)
    assert fresh[0]["a"] > 0 and fresh[0]["W"] > fresh[0]["i"] and fresh[1] > 1
    [kept] = (tmp_path / "cache" / "report").glob("font_widths_*.json")
    metrics._read_face.cache_clear()
    assert metrics._read_face(FONT) == fresh  # from the kept table
    kept.write_text("{damaged", encoding="utf-8")
    metrics._read_face.cache_clear()
    assert metrics._read_face(FONT) == fresh
    metrics._read_face.cache_clear()


def test_an_unreadable_font_gives_the_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font")
    metrics._read_face.cache_clear()
    assert metrics._read_face(broken) == ({}, metrics.FALLBACK_LINE)
    assert metrics._read_face(None) == ({}, metrics.FALLBACK_LINE)
    assert metrics._read_face(tmp_path / "missing.ttf") == ({}, metrics.FALLBACK_LINE)
    metrics._read_face.cache_clear()
