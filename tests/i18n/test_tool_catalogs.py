"""The tool's own catalogs: every one holds every message English has, and a region's
catalog (zh-TW, Traditional Chinese) is taken before its language's (zh, Simplified)."""

from __future__ import annotations

from babel.messages.pofile import read_po

from report.i18n.strings import CATALOGS, tool_strings


def _ids(path) -> set[str]:
    with open(path, "rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_every_catalog_translates_every_message():
    english = _ids(CATALOGS / "en.po")
    for path in sorted(CATALOGS.glob("*.po")):
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
        assert english <= _ids(path), path.name
        if path.stem != "en":
            assert english <= translated, (path.name, sorted(english - translated))


def test_a_regions_catalog_comes_before_its_languages():
    assert tool_strings("zh-TW")("Contents") == "目錄"
    assert tool_strings("zh-CN")("Contents") == "目录"
    assert tool_strings("zh")("List of figures") == "图目录"
    assert tool_strings("fr-CA")("List of figures") == "Liste des figures"
    assert tool_strings("pt-BR")("Contents") == "Contents"  # no catalog: English
