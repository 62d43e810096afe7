"""Hostile Word files end in one located error line, within bounded memory, writing nothing.

Each file is made here: zip bombs (declared and lying sizes, too many entries), entity
expansion, external entities, part names and relationship targets that climb out of
the package, and a file too large to read at all.
"""

from __future__ import annotations

import io
import os
import re
import tracemalloc
import zipfile
import zlib

import pytest
from click.testing import CliRunner

from report.cli import main
from report.errors import ReportError
from report.importer import Limits, import_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
                 b'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        b'2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/officeDocument" Target="%s"/></Relationships>')
DOCUMENT = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:body></w:document>'
LINE = re.compile(r"^\S+:\d+:\d+: error\[IMP0\d\d\]: .+$")


def docx(path, document: bytes | None = None, target: bytes = b"word/document.xml", extra=(), compress=True):
    """A minimal Word package; ``extra`` adds (name, bytes) members."""
    mode = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", mode) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS % target)
        archive.writestr("word/document.xml", document or (DOCUMENT % "Fine.").encode())
        for name, data in extra:
            archive.writestr(name, data)
    return path


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE w:document [{"".join(entities)}]>' + DOCUMENT % "&lol9;").encode()


def external_entity() -> bytes:
    return ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            + DOCUMENT % "&xxe;").encode()


def lying_sizes(path):
    """A member that declares 100 bytes but inflates to 20 MB: zipfile stops at the
    declared size and the CRC check fails, so no more than that is inflated."""
    body = (DOCUMENT % ("x" * 20_000_000)).encode()
    docx(path, body)
    data = bytearray(path.read_bytes())
    packed = zlib.crc32(body).to_bytes(4, "little")
    real = len(body).to_bytes(4, "little")
    for at in [m.start() for m in re.finditer(re.escape(real), bytes(data))]:
        if data[at - 8:at - 4] == packed:  # local header and central directory: crc, compressed, size
            data[at:at + 4] = (100).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def ratio_bomb(path):
    return docx(path, extra=[("word/media/zeros.bin", b"\0" * 16_000_000)])


def huge(path):
    with open(path, "wb") as handle:  # sparse: no disk space, no time
        handle.truncate(Limits().file_bytes + 1)
    return path


CASES = {
    "zip bomb (compression ratio)": (ratio_bomb, "IMP004", "compressed"),
    "zip bomb (lying sizes)": (lying_sizes, "IMP002", "cannot read word/document.xml"),
    "billion laughs": (lambda p: docx(p, billion_laughs()), "IMP006", "DOCTYPE"),
    "external entity": (lambda p: docx(p, external_entity()), "IMP006", "DOCTYPE"),
    "part name with ../": (lambda p: docx(p, extra=[("../../evil.xml", b"<x/>")]), "IMP005", "'../../evil.xml'"),
    "absolute part name": (lambda p: docx(p, extra=[("/etc/evil.xml", b"<x/>")]), "IMP005", "unsafe part name"),
    "relationship out of the package": (lambda p: docx(p, target=b"../../../etc/passwd"), "IMP005", "points outside"),
    "huge file": (huge, "IMP003", "more than the 200 MB"),
    "not a zip": (lambda p: (p.write_bytes(b"PK\x03\x04 not really"), p)[1], "IMP002", "not a zip file"),
    "malformed XML": (lambda p: docx(p, b"<w:document><w:body>"), "IMP006", "not well-formed"),
    "no document part": (lambda p: docx(p, target=b"word/missing.xml", extra=[]) and _without_document(p),
                         "IMP002", "no main document part"),
}


def _without_document(path):
    with zipfile.ZipFile(path) as src:
        members = [(n, src.read(n)) for n in src.namelist() if n != "word/document.xml"]
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in members:
            dst.writestr(name, data)
    return path


@pytest.mark.parametrize("case", CASES)
def test_one_line_error_and_nothing_written(tmp_path, case):
    make, code, words = CASES[case]
    source = make(tmp_path / "in.docx")
    target = tmp_path / "out" / "project"
    tracemalloc.start()
    try:
        result = CliRunner().invoke(main, ["import", str(source), "--into", str(target)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(lines) == 1 and LINE.match(lines[0]), result.output
    assert f"error[{code}]" in lines[0] and words in lines[0], lines[0]
    assert lines[0].startswith(f"{source}:1:1: ")
    assert "root:" not in result.output  # no /etc/passwd content leaked
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.docx"]
    assert peak < 48 * 1024 * 1024, f"{peak / 1e6:.0f} MB"


def test_part_larger_than_the_limit_stops_while_inflating(tmp_path):
    body = (DOCUMENT % os.urandom(1_500_000).hex()).encode()  # 3 MB that compresses only 2:1
    source = docx(tmp_path / "in.docx", body)
    with pytest.raises(ReportError) as caught:
        import_docx(source, tmp_path / "out", limits=Limits(part_bytes=1024 * 1024))
    assert caught.value.diagnostics[0].code == "IMP004"
    assert "inflates to more than 1 MB" in caught.value.diagnostics[0].message
    assert not (tmp_path / "out").exists()


def test_too_many_entries_refused_before_listing_them(tmp_path):
    source = docx(tmp_path / "in.docx", extra=[(f"word/media/{i}.bin", b"") for i in range(30)])
    with pytest.raises(ReportError) as caught:
        import_docx(source, tmp_path / "out", limits=Limits(members=20))
    assert "declares 33 zip entries, more than 20" in caught.value.diagnostics[0].message


def test_minimal_package_imports(tmp_path):
    result = import_docx(docx(tmp_path / "in.docx"), tmp_path / "out")
    assert result.sections == 0 or (tmp_path / "out" / "report.yaml").is_file()
    assert "title: Fine." in (tmp_path / "out" / "report.yaml").read_text()


def _mangled(rng, source) -> bytes:
    """``source`` with elements of its Word parts removed, moved, emptied or given odd values."""
    from lxml import etree

    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name in [n for n in parts if n.startswith("word/") and n.endswith(".xml")]:
        root = etree.fromstring(parts[name])
        elements = list(root.iter())[1:]
        for element in rng.sample(elements, k=len(elements) // 8):
            parent = element.getparent()
            if parent is None:
                continue
            move = rng.random()
            if move < 0.5:
                parent.remove(element)
            elif move < 0.7:
                target = rng.choice(elements)
                if target is not element and element not in target.iterancestors():
                    parent.remove(element)
                    target.append(element)
            elif move < 0.85:
                for key in list(element.attrib):
                    element.set(key, rng.choice(["", "-1", "x", "99999999", "javascript:alert(1)", "../.."]))
            else:
                element.text = rng.choice(["*", "[@x]", "^[", "\\", "<!--", "# h", "| a |", "Ibid., p. 3", "“T” (2020)"])
        parts[name] = etree.tostring(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_mangled_word_files_import_or_fail_in_one_known_line(tmp_path):
    """Structure Word never writes (found by a longer run of this: lists side by side in
    an item, a typed "^[" before a note, a note opening a line) imports or is refused."""
    import random

    from tests.importer.support import FIXTURES

    rng = random.Random(7)
    sources = sorted(FIXTURES.glob("*.docx"))
    for i in range(60):
        source = tmp_path / f"in{i}.docx"
        source.write_bytes(_mangled(rng, rng.choice(sources)))
        try:
            import_docx(source, tmp_path / f"out{i}")
        except ReportError as exc:
            assert exc.diagnostics[0].code not in ("IMP010", "IMP011"), exc.diagnostics[0].format()
