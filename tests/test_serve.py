"""`report serve`: the preview server, and end to end in headless Chromium: an edit shows
in the open page, a broken section shows its path:line there, and the fix recovers."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from report.scaffold import new_project
from report.serve import Preview, error_page, inject, listen, make_handler
from tests.browser import Browser, find_chromium

SECTION = "sections/01-introduction.md"


def start_serve(project: Path, *extra: str) -> tuple[subprocess.Popen, str, list[str]]:
    """``report serve --port 0`` in a subprocess; its URL and its output lines (read by a thread)."""
    proc = subprocess.Popen([sys.executable, "-m", "report", "serve", "--port", "0", "-p", str(project), *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines: list[str] = []
    found = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if "serving http://" in line:
                found.set()
        found.set()

    threading.Thread(target=read, daemon=True).start()
    if not found.wait(30) or not any("serving http://" in line for line in lines):
        stop(proc)
        pytest.fail("report serve did not start:\n" + "\n".join(lines))
    url = re.search(r"http://127\.0\.0\.1:\d+/", "\n".join(lines)).group(0)
    return proc, url, lines


def stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
    return proc.returncode


def version(url: str) -> dict:
    with urllib.request.urlopen(url + "__report/version", timeout=5) as response:
        return json.load(response)


def wait_version(url: str, above: int, timeout: float = 20) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = version(url)
        if now["version"] > above:
            return now
        time.sleep(0.1)
    pytest.fail(f"no rebuild within {timeout} s")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "demo"
    new_project(root)
    return root


def test_the_reload_script_goes_into_the_response_only():
    page = b"<html><body><p>x</p></body></html>"
    served = inject(page, 7)
    assert served.startswith(b"<html><body><p>x</p><script data-report-serve>") and served.endswith(b"</body></html>")
    assert b"var version = 7" in served and b"/__report/version" in served
    assert inject(b"no body", 1).startswith(b"no body<script")


def test_the_error_page_escapes_the_diagnostics():
    page = error_page(["sections/a.md:3:1: error[MD001]: <script>alert(1)</script> & co"], 4).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<script>alert" not in page
    assert "sections/a.md:3:1" in page and "var version = 4" in page


def test_serve_answers_on_loopback_and_never_leaves_the_build_folder(project):
    preview = Preview(project, echo=lambda *a, **k: None)
    assert preview.rebuild()
    server = listen(preview, 0)
    host, port = server.server_address
    assert host == "127.0.0.1"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        with urllib.request.urlopen(base + "/", timeout=5) as response:
            served = response.read()
            assert response.headers["Cache-Control"] == "no-store"
        assert b"data-report-serve" in served
        built = (project / "build" / "en" / "public" / "report.html").read_bytes()
        assert b"data-report-serve" not in built and b"__report" not in built
        with urllib.request.urlopen(base + "/evidence.csv", timeout=5) as response:
            assert response.headers["Content-Type"].startswith("text/csv")
        for path in ("/../report.yaml", "/%2e%2e/report.yaml", "/..%2freport.yaml", "/nothing.html"):
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(base + path, timeout=5)
            assert caught.value.code == 404, path
        assert version(base + "/") == {"version": 1, "ok": True}
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", "localhost"):
            assert _status(port, host) == 200, host
        # DNS rebinding: a foreign name resolved to 127.0.0.1 is refused before anything is read
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}", f"localhost:{port + 1}", ""):
            assert _status(port, host) == 421, host
    finally:
        server.shutdown()
        server.server_close()
    assert make_handler(preview).server_version == "report-serve"


def _status(port: int, host: str) -> int:
    """The status of GET / sent with this Host header (none when empty)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("GET", "/report.html", skip_host=True)
        if host:
            connection.putheader("Host", host)
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_a_busy_port_is_one_diagnostic_and_exit_1(project):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "report", "serve", "-p", str(project), "--port", str(port)],
                                check=False, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert re.fullmatch(rf"report serve:1:1: error\[SRV001\]: cannot listen on 127\.0\.0\.1:{port}: .+\n",
                        result.stderr)


def test_serve_rebuilds_on_change_shows_errors_and_stops_on_ctrl_c(project):
    proc, url, lines = start_serve(project)
    try:
        first = version(url)
        assert first == {"version": 1, "ok": True}
        edit(project / SECTION, "[@example-monitor-2024, p. 12]", "[@no-such-source, p. 12]")
        broken = wait_version(url, first["version"])
        assert broken["ok"] is False
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(url, timeout=5)
        page = caught.value.read().decode()
        assert caught.value.code == 500
        assert f"{SECTION}:8:10: error[CIT001]: unknown citation key &#x27;no-such-source&#x27;" in page
        edit(project / SECTION, "[@no-such-source, p. 12]", "[@example-monitor-2024, p. 12]")
        assert wait_version(url, broken["version"])["ok"] is True
    finally:
        status = stop(proc)
    assert status == 0
    output = "\n".join(lines)
    assert f"{SECTION}:8:10: error[CIT001]" in output  # the terminal has the path:line:col too
    assert "build failed (sections/01-introduction.md changed)" in output
    assert output.rstrip().endswith("stopped")


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (scripts/setup --tests installs it)")
def test_the_open_page_reloads_on_edit_error_and_fix_in_headless_chromium(project, tmp_path):
    proc, url, lines = start_serve(project)
    browser = Browser(find_chromium(), tmp_path / "profile")
    try:
        browser.open(url)
        browser.wait_for("document.querySelector('main') && document.querySelector('main').innerText"
                         ".includes('held for five days')", what="the first build")
        browser.evaluate("window.reportServeMark = 1")  # gone once the page reloads

        edit(project / SECTION, "held for five days", "held for six days")
        browser.wait_for("document.body.innerText.includes('held for six days')", what="the edited text")
        assert browser.evaluate("typeof window.reportServeMark") == "undefined"

        edit(project / SECTION, "[@example-monitor-2024, p. 12]", "[@no-such-source, p. 12]")
        shown = browser.wait_for("document.querySelector('.diagnostics') && document.querySelector('.diagnostics')"
                                 ".innerText", what="the error page")
        assert f"{SECTION}:8:10: error[CIT001]: unknown citation key 'no-such-source'" in shown

        edit(project / SECTION, "[@no-such-source, p. 12]", "[@example-monitor-2024, p. 12]")
        browser.wait_for("document.querySelector('main') && document.body.innerText.includes('held for six days')",
                         what="the recovered page")
        assert not browser.evaluate("document.querySelector('.diagnostics') !== null")
    finally:
        browser.close()
        status = stop(proc)
    assert status == 0, "\n".join(lines)


def test_an_edit_saved_before_the_watching_starts_is_rebuilt(project, monkeypatch):
    """The watcher compares with the files as they were when the first build began, so an
    edit saved after that build read them, before the watching starts, is not missed."""
    from report import serve as serve_module

    preview = serve_module.Preview(project, echo=lambda *a, **k: None)
    first, real_snapshot = serve_module.Preview.rebuild, serve_module.snapshot
    calls, finish = [], threading.Event()

    def rebuild(self, reason=""):
        calls.append(reason)
        built = first(self, reason)
        if len(calls) == 1:  # saved just after the first build read the sources
            edit(project / SECTION, "held for five days", "held for six days")
        return built

    def snapshot(root):
        if finish.is_set():
            raise KeyboardInterrupt  # ends serve() as Ctrl-C would
        return real_snapshot(root)

    monkeypatch.setattr(serve_module.Preview, "rebuild", rebuild)
    monkeypatch.setattr(serve_module, "snapshot", snapshot)
    monkeypatch.setattr(serve_module, "POLL_SECONDS", 0.05)
    running = threading.Thread(target=serve_module.serve, args=(preview, 0), daemon=True)
    running.start()
    deadline = time.monotonic() + 20
    while len(calls) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    finish.set()
    running.join(10)
    assert not running.is_alive()
    assert len(calls) == 2 and "changed" in calls[1]
    assert "held for six days" in (project / "build" / "en" / "public" / "report.html").read_text(encoding="utf-8")
