"""The tool's own catalogs are read once and kept in the cache folder by file name,
size and time (report.i18n.strings._table): a changed catalog is read again."""

from report.i18n.strings import _table

PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: fr\\n"

msgid "Contents"
msgstr "{contents}"

#, fuzzy
msgid "Notes"
msgstr "Notes (fuzzy)"
"""


def test_a_catalog_is_kept_and_read_again_when_it_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    catalog = tmp_path / "fr.po"
    catalog.write_text(PO.format(contents="Table des matières"), encoding="utf-8")
    assert _table(catalog) == (("Contents", "Table des matières"),)  # fuzzy entries left out
    kept = list((tmp_path / "cache" / "report").glob("strings_fr_*.json"))
    assert len(kept) == 1
    assert _table(catalog) == (("Contents", "Table des matières"),)  # from the kept table

    catalog.write_text(PO.format(contents="Sommaire"), encoding="utf-8")
    assert _table(catalog) == (("Contents", "Sommaire"),)


def test_a_damaged_kept_table_is_read_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    catalog = tmp_path / "fr.po"
    catalog.write_text(PO.format(contents="Sommaire"), encoding="utf-8")
    _table(catalog)
    kept = next((tmp_path / "cache" / "report").glob("strings_fr_*.json"))
    kept.write_text("{not json", encoding="utf-8")
    assert _table(catalog) == (("Contents", "Sommaire"),)
