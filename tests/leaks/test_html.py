"""Leaks planted in a real HTML page (the small project's): its text, every attribute,
its title and meta elements, comments, scripts and styles, and images embedded as data:
URIs. Each found once, at its place; the page as built has none."""

from __future__ import annotations

import base64

import pytest

from tests.leaks.support import NAME, iptc_byline, jpeg, leak, lines, png, xmp_packet


def data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def planted(page: bytes, old: str, new: str) -> bytes:
    text = page.decode("utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


BODY = "</main>"
PLANTS = {
    # Text run together across inline elements, entities decoded, diacritics ignored.
    "text split by inline elements": (BODY, "<p><b>Zarifa</b> Mamma<i>dova</i> said</p>" + BODY, "text"),
    "text with entities": (BODY, "<p>Zarif&#97;&nbsp;Mammad&ocirc;va</p>" + BODY, "text"),
    "title element": ("<title>A Minimal Report", f"<title>{NAME}: A Minimal Report", "<title>"),
    "meta author": ('content="Test Org"', f'content="{NAME}"', "<meta> content"),
    "alt": ('alt="The gate where Leyla Karimova waited"', f'alt="{NAME} at the gate"', 'attribute "alt"'),
    "title attribute": (BODY, f'<p title="Told by {NAME}">x</p>' + BODY, 'attribute "title"'),
    "href percent-encoded": (BODY, '<a href="https://example.org/?who=Zarifa%20Mammadova">x</a>' + BODY, 'attribute "href"'),
    "data attribute": (BODY, f'<p data-witness="{NAME}">x</p>' + BODY, 'attribute "data-witness"'),
    "aria label": (BODY, f'<p aria-label="{NAME}">x</p>' + BODY, 'attribute "aria-label"'),
    "comment": (BODY, f"<!-- ask {NAME} -->" + BODY, "comments"),
    "script": (BODY, f'<script>var who = "{NAME}";</script>' + BODY, "<script>"),
    "style": ("</style>", f'p::after {{ content: "{NAME}"; }}</style>', "<style>"),
    "image EXIF in a data: URI": (BODY, f'<img alt="x" src="{data_uri("image/jpeg", jpeg(exif={0x013B: NAME}))}">' + BODY,
                                  "image metadata in a data: URI"),
    "image XMP in a data: URI": (BODY, f'<img alt="x" src="{data_uri("image/jpeg", jpeg(xmp=xmp_packet(NAME)))}">' + BODY,
                                 "image metadata in a data: URI"),
    "image IPTC in a data: URI": (BODY, f'<img alt="x" src="{data_uri("image/jpeg", jpeg(app13=iptc_byline(NAME)))}">'
                                  + BODY, "image metadata in a data: URI"),
    "PNG text in a CSS data: URI": ("</style>", "body { background: url(" + data_uri(
        "image/png", png([(b"tEXt", b"Author\x00" + NAME.encode())])) + ") }</style>", "image metadata in a data: URI"),
    "SVG data: URI": (BODY, '<img alt="x" src="' + data_uri("image/svg+xml", (
        '<svg xmlns="http://www.w3.org/2000/svg"><text>Zarifa <tspan>Mammadova</tspan></text></svg>').encode())
                      + '">' + BODY, "data: URI"),
}


def test_the_page_as_built_has_no_leak(small_build):
    assert lines({"report.html": small_build["report.html"]}) == []


@pytest.mark.parametrize("kind", sorted(PLANTS))
def test_a_leak_planted_in_the_page_is_found(small_build, kind):
    old, new, place = PLANTS[kind]
    assert lines({"report.html": planted(small_build["report.html"], old, new)}) == [leak(f"report.html, {place}")]


def test_base64_is_not_read_as_text(small_build):
    """A data: URI's payload is decoded, never searched as written: base64 spells short
    names by chance (here "+Ali+", which decodes to bytes that spell nothing)."""
    payload = base64.b64encode(bytes(range(48))).decode() + "+Ali+" + base64.b64encode(bytes(30)).decode()
    page = planted(small_build["report.html"], BODY, f'<img alt="x" src="data:image/png;base64,{payload}">' + BODY)
    assert lines({"report.html": page}, "Ali") == []


def test_xhtml_with_an_xml_declaration():
    page = f'<?xml version="1.0" encoding="utf-8"?><html><body><p title="{NAME}">x</p></body></html>'.encode()
    assert lines({"annex.xhtml": page}) == [leak('annex.xhtml, attribute "title"')]
