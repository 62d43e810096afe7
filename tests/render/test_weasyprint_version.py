"""The WeasyPrint fixes apply only to the versions they were written for
(report.render.weasyprint_version). Another version is simulated by replacing what the
check reads, in a fresh process (the fixes, once applied, stay for the process): then
no speed fix is installed and WeasyPrint is imported the stock way, the figure fix only
where the code it wraps is unchanged, the PDF is still made, and ``report build`` says
so in one PDF004 note, once per build however many languages it renders."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys

from report.diagnostics import Location
from report.render import weasyprint_patches, weasyprint_version
from tests.conftest import REPO, copy_shipped_project
from tests.render.weasyprint_support import on_written_for_versions

# Run first in each script: WeasyPrint 71.0 installed, as far as the check can tell.
AS_71 = """
import sys
from report.render import weasyprint_figure_alt, weasyprint_version
read = weasyprint_version.installed
weasyprint_version.installed = lambda: {**read(), "WeasyPrint": "71.0"}
if "--tagging-changed" in sys.argv:
    sys.argv.remove("--tagging-changed")
    weasyprint_figure_alt.FINGERPRINT = "not this code"
"""

APPLY = AS_71 + """
import ctypes.util, json, zlib
searched = []
real = ctypes.util.find_library
ctypes.util.find_library = lambda name: searched.append(name) or real(name)
from report.diagnostics import Location
from report.render import weasyprint_patches
weasyprint_patches.apply()
import pydyf, weasyprint.text.ffi as ffi
from weasyprint import HTML, document, layout
from weasyprint.layout import inline, page
from weasyprint.pdf import stream, tags
from weasyprint.text import line_break
own = {
    "leaders": inline.handle_leader.__module__.startswith("weasyprint."),
    "page references": pydyf.PDF.page_references.fget.__module__ == "pydyf",
    "deflate": pydyf.zlib is zlib,
    "objects": pydyf.Object.__init__.__module__ == "pydyf" and "number" not in vars(pydyf.Object),
    "waiting notes": layout.LayoutContext.__init__.__module__ == "weasyprint.layout",
    "margin styles": not hasattr(page.set_page_type_computed_styles, "stock"),
    "layout state": not hasattr(document.layout_document, "stock"),
    "line trial": not getattr(line_break.Layout, "skips_hopeless_trials", False),
    "line memo": not hasattr(inline.split_first_line, "memo"),
    "import": type(ffi.ffi).__module__ == "cffi.api" and len(searched) > 0,
}
figure_fix = hasattr(tags._build_box_tree, "skips_decorative_images")
note = weasyprint_patches.fallback_note(Location("report.yaml"))
html = ('<html lang="en"><body><h1>Title</h1><p>Some words.</p>'
        '<p style="float: footnote">A note.</p></body></html>')
pdf = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
print(json.dumps({"own": own, "figure fix": figure_fix, "note": note.format(), "severity": note.severity.label,
                  "pdf": pdf.hex()}))
"""

STOCK = """
import json, sys
from weasyprint import HTML
print(json.dumps(HTML(string=sys.stdin.read()).write_pdf(pdf_variant="pdf/ua-1").hex()))
"""

BUILD = AS_71 + """
from report.cli import main
main(sys.argv[1:], prog_name="report")
"""

NOTE = "WeasyPrint 71.0 is not the version 70.0 these speed fixes were written for: running stock WeasyPrint"


def _run(script: str, *args: str, cache=None, html: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    if cache is not None:
        env["XDG_CACHE_HOME"] = str(cache)
    return subprocess.run([sys.executable, "-c", script, *args], input=html, capture_output=True, text=True,
                          env=env, timeout=300, check=False)


def test_on_another_version_no_speed_fix_is_applied_and_the_pdf_is_stock(tmp_path):
    done = _run(APPLY, cache=tmp_path)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["own"] == {name: True for name in found["own"]}  # every function WeasyPrint's own
    assert not list(tmp_path.rglob("weasyprint_ffi_*"))  # the fast import's cache not even written
    # Its tagging code is 70.0's, so the correctness fix is installed still, and not mentioned.
    assert found["figure fix"] is True
    assert found["severity"] == "info" and f"info[PDF004]: {NOTE} (install weasyprint==70.0" in found["note"]
    assert "decorative" not in found["note"]
    html = ('<html lang="en"><body><h1>Title</h1><p>Some words.</p>'
            '<p style="float: footnote">A note.</p></body></html>')
    stock = json.loads(_run(STOCK, html=html).stdout)
    assert found["pdf"] == stock  # what stock WeasyPrint writes, byte for byte


def test_where_the_tagging_code_changed_too_the_note_says_what_the_pdf_lacks():
    done = _run(APPLY, "--tagging-changed")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["figure fix"] is False and all(found["own"].values())
    assert NOTE in found["note"]
    assert 'decorative images (alt="") are tagged as figures without alternative text' in found["note"]


def test_both_packages_named_when_both_differ():
    fallback = weasyprint_patches.Fallback([("WeasyPrint", "71.0", "70.0"), ("pydyf", None, "0.13.0")], True)
    assert fallback.message() == ("WeasyPrint 71.0 and pydyf (version unknown) are not the versions 70.0 and 0.13.0 "
                                  "these speed fixes were written for: running stock WeasyPrint")


def test_the_installed_versions_are_read_without_importing_weasyprint():
    script = """
import json, sys
from report.render import weasyprint_version
before = weasyprint_version.installed()
imported = "weasyprint" in sys.modules
import weasyprint, pydyf
print(json.dumps([before, imported, {"WeasyPrint": weasyprint.__version__, "pydyf": pydyf.__version__}]))
"""
    before, imported, actual = json.loads(_run(script).stdout)
    assert before == actual and not imported


@on_written_for_versions
def test_on_the_versions_written_for_there_is_nothing_to_note():
    import pydyf
    import weasyprint

    assert weasyprint_version.WRITTEN_FOR == {"WeasyPrint": weasyprint.__version__, "pydyf": pydyf.__version__}
    assert weasyprint_version.differences() == []
    weasyprint_patches.apply()
    assert weasyprint_patches.fallback_note(Location("report.yaml")) is None


def _valid_pdf(path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) >= 1 and "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.pages[0].extract_text().strip()


def test_report_build_says_it_once_and_still_writes_the_pdf(make_project, tmp_path):
    root = make_project()
    done = _run(BUILD, "build", "-p", str(root), cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert output.count("[PDF004]") == 1 and "report.yaml:" in output and NOTE in output
    _valid_pdf(root / "build" / "en" / "public" / "report.pdf")


def test_a_build_of_every_language_says_it_once(tmp_path):
    root = copy_shipped_project(tmp_path / "p")
    shutil.copytree(REPO / "locales", root / "locales")
    done = _run(BUILD, "build", "--all-locales", "--allow-fuzzy", "--format", "pdf", "-p", str(root),
                cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr
    built = sorted(path.parent.parent.name for path in (root / "build").glob("*/public/report.pdf"))
    assert len(built) >= 3
    assert (done.stdout + done.stderr).count("[PDF004]") == 1
    for language in built:
        _valid_pdf(root / "build" / language / "public" / "report.pdf")
