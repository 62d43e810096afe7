"""The session-wide leak scan's rule (tests/constructs/leaks.py), on hand-made outputs."""

from __future__ import annotations

from pathlib import Path

from tests.constructs.leaks import LeakScan, find_leaks, literal_forms

HERE = Path("build/en/public/report.html")


def leaked(source: str, shown: str) -> list[str]:
    return [leak.marker for leak in find_leaks(HERE, shown, literal_forms([source]))]


def test_escaped_markers_are_text():
    assert leaked(r"Sets \{#a\} and !\[x\](y) and \@fig-x and \[^1\] and \::: here.",
                  "Sets {#a} and ![x](y) and @fig-x and [^1] and ::: here.") == []


def test_markers_in_code_are_text():
    source = "Type `{#id}` and `[^1]`.\n\n```\n![not an image](x.png) ::: @sec-x\n```\n"
    assert leaked(source, "Type {#id} and [^1]. ![not an image](x.png) ::: @sec-x") == []


def test_markers_written_as_syntax_leak():
    assert leaked("A paragraph. {#par-x}\n", "A paragraph. {#par-x}") == ["{#"]
    assert leaked("See @fig-map.\n", "See @fig-map.") == ["@fig-"]
    assert leaked("Text.[^1]\n", "Text.[^1]") == ["[^"]


def test_an_escape_elsewhere_does_not_excuse_a_leak():
    """The text after the marker must be the escaped one's."""
    assert leaked("Write \\{#a\\} as text.\n\nA paragraph. {#par-x}\n", "Write {#a} as text. A paragraph. {#par-x}") == ["{#"]


def test_an_at_sign_inside_a_word_is_no_cross_reference():
    assert leaked("Write to press@sec-council.org.\n", "Write to press@sec-council.org.") == []


def test_the_registry_is_literal_text():
    forms = literal_forms(["title: 'The {#x} problem'\n"], markdown=False)
    assert find_leaks(HERE, "The {#x} problem", forms) == []


def test_scan_reads_each_output_once_and_names_the_file(tmp_path):
    root = tmp_path / "leaky"
    (root / "sections").mkdir(parents=True)
    (root / "sections" / "01-a.md").write_text("Text \\{#ok\\}.\n", encoding="utf-8")
    out = root / "build" / "en" / "public" / "report.html"
    out.parent.mkdir(parents=True)
    out.write_text("<html><body><p>Text {#ok}.</p><p>And {#bad}.</p><style>a{#x}</style></body></html>",
                   encoding="utf-8")
    try:
        scan = LeakScan()
        leaks = scan.scan(tmp_path)
        assert [(leak.path, leak.marker) for leak in leaks] == [(out, "{#")]
        assert "{#bad}" in str(leaks[0])
        assert scan.scan(tmp_path) == []  # already read
    finally:
        out.unlink()  # this test's own teardown scan must not see it
