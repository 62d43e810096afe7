"""``report serve``: a live preview of the HTML output on 127.0.0.1.

The main thread builds the HTML, then polls the modification times of the
project's sources every 0.3 s and rebuilds when one changes; a thread serves
``build/<lang>/<edition>/`` (the public edition unless asked) with :mod:`http.server`. Each build attempt, good or bad,
increments a build number that ``/__report/version`` returns; the script
injected into every served HTML page (never into the built file) polls it and
reloads the page when it changes, keeping the scroll position. A failed build
prints its diagnostics and serves a page listing them (escaped) that reloads
once the sources are fixed.
"""

from __future__ import annotations

import contextlib
import html
import json
import mimetypes
import os
import posixpath
import signal
import threading
import time
import traceback
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from report.diagnostics import Location, error

HOST = "127.0.0.1"
POLL_SECONDS = 0.3
VERSION_PATH = "/__report/version"
WATCHED_FOLDERS = ("sections", "references", "templates", "locales")
WATCHED_SUFFIXES = (".md", ".yaml", ".yml", ".json", ".csl", ".xml", ".j2", ".css", ".docx", ".po", ".html")

RELOAD_SCRIPT = """<script data-report-serve>
(function () {
  var version = %d, key = "report-serve-scroll";
  var saved = sessionStorage.getItem(key);
  if (saved !== null) { sessionStorage.removeItem(key); window.scrollTo(0, +saved); }
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (d) {
      if (d.version !== version) { sessionStorage.setItem(key, String(window.scrollY)); location.reload(); }
      else { setTimeout(poll, 300); }
    }, function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 300);
})();
</script>
"""

ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Build failed: report serve</title>
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }}
h1 {{ color: #a40000; font-size: 1.5rem; }}
ol {{ padding-left: 1.5rem; }}
li {{ margin: .4rem 0; }}
code, pre {{ font: 14px/1.4 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }}
</style>
</head>
<body>
<h1>The build failed</h1>
<p>Fix the sources and save: this page reloads by itself.</p>
<ol class="diagnostics">
{items}
</ol>
{script}</body>
</html>
"""


@dataclass
class State:
    """What the last build attempt left: a build number, the page or the errors."""

    version: int = 0
    page: bytes | None = None           # report.html as built, without the reload script
    out_dir: Path | None = None
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def inject(page: bytes, version: int) -> bytes:
    """``page`` with the reload script before its last ``</body>`` (or at its end)."""
    script = (RELOAD_SCRIPT % (version, VERSION_PATH)).encode("utf-8")
    at = page.lower().rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


def error_page(lines: list[str], version: int) -> bytes:
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in lines)
    script = RELOAD_SCRIPT % (version, VERSION_PATH)
    return ERROR_PAGE.format(items=items, script=script).encode("utf-8")


def _watched_files(root: Path) -> list[Path]:
    """report.yaml, every source file under the project's source folders, and the files
    report.yaml names elsewhere (registry, templates, style)."""
    files = [root / "report.yaml"]
    for folder in WATCHED_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base, followlinks=True):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
            files += [Path(dirpath) / name for name in sorted(filenames)
                      if not name.startswith(".") and name.endswith(WATCHED_SUFFIXES)]
    from report.config import load_config
    from report.errors import ReportError

    with contextlib.suppress(ReportError):  # a broken report.yaml is still watched, as report.yaml
        config = load_config(root)
        named = [config.registry, config.citation_style] + [rel for _, rel, _ in config.templates]
        files += [root / rel for rel in named if rel.endswith(WATCHED_SUFFIXES)]
    return list(dict.fromkeys(files))


def snapshot(root: Path) -> dict[str, tuple[int, int] | None]:
    """Modification time and size of every watched file (None: missing)."""
    found: dict[str, tuple[int, int] | None] = {}
    for path in _watched_files(root):
        try:
            stat = path.stat()
            found[str(path)] = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            found[str(path)] = None
    return found


def changed(before: dict, after: dict, root: Path) -> list[str]:
    names = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return [os.path.relpath(name, root) for name in names]


class Preview:
    """The builder and the state the HTTP handlers read."""

    def __init__(self, root: Path, language: str | None = None, allow_fuzzy: bool = False,
                 echo=None, verbose: bool = False, quiet: bool = False, colour: bool = False,
                 edition: str = "public"):
        self.root = root
        self.language = language
        self.allow_fuzzy = allow_fuzzy
        # The public edition unless asked: a preview on a shared screen shows no secret.
        self.edition = edition
        if echo is None:
            import click

            echo = click.echo
        self.echo = echo  # echo(message, err=False), as click.echo
        self.verbose = verbose
        self.quiet = quiet
        self.colour = colour
        self.state = State()

    def rebuild(self, reason: str = "") -> bool:
        """Build the HTML once; print the outcome; bump the build number. True when it built."""
        from report.build import Locale, build
        from report.diagnostics import Severity, format_text, sort_key
        from report.errors import ReportError
        from report.progress import Progress

        start = time.perf_counter()
        page, out_dir, errors, shown = None, None, [], []
        try:
            result = build(self.root, ("html",), Progress(verbose=self.verbose),
                           locale=Locale(self.language, self.allow_fuzzy, edition=self.edition))
            out_dir = result.out_dir
            page = (out_dir / "report.html").read_bytes()
            shown = sorted(result.diagnostics, key=sort_key)
        except ReportError as exc:
            shown = sorted(exc.diagnostics, key=sort_key)
            errors = [d.format() for d in shown if d.severity is Severity.ERROR] or [d.format() for d in shown]
        except Exception:  # noqa: BLE001 - a bug must not stop the preview; the page shows it
            errors = traceback.format_exc().rstrip().splitlines()
            shown = []
        for diagnostic in shown:
            if not self.quiet or diagnostic.severity is Severity.ERROR:
                self.echo(format_text(diagnostic, self.colour), err=True)
        elapsed = time.perf_counter() - start
        with self.state.lock:
            self.state.version += 1
            self.state.errors = errors
            if page is not None:
                self.state.page, self.state.out_dir = page, out_dir
        because = f" ({reason})" if reason else ""
        if errors:
            if not shown:
                self.echo("\n".join(errors), err=True)  # an exception: its traceback
            count = len(errors) if shown else 1
            self.echo(f"build failed{because}: {count} error(s); the page lists them until they are fixed", err=True)
        elif not self.quiet:
            rel = os.path.relpath(out_dir / "report.html", self.root)
            self.echo(f"built {rel} in {elapsed:.2f} s{because}")
        return not errors

    def watch(self, stop: threading.Event, interval: float = POLL_SECONDS, before: dict | None = None) -> None:
        """Rebuild whenever a watched file changes, until ``stop`` is set. ``before``: the
        files as the last build read them (taken now if not given)."""
        if before is None:
            before = snapshot(self.root)
        while not stop.wait(interval):
            now = snapshot(self.root)
            if now == before:
                continue
            # Let an editor finish writing (several files, or write-then-rename) first.
            for _ in range(10):
                if stop.wait(0.1):
                    return
                settled = snapshot(self.root)
                if settled == now:
                    break
                now = settled
            names = changed(before, now, self.root)
            before = now
            self.rebuild(", ".join(names[:3]) + (" …" if len(names) > 3 else "") + " changed")


def make_handler(preview: Preview):
    state = preview.state

    class Handler(BaseHTTPRequestHandler):
        server_version = "report-serve"
        protocol_version = "HTTP/1.0"

        def log_message(self, format, *args):
            if preview.verbose:
                preview.echo(f"{self.address_string()} {format % args}", err=True)

        def _send(self, status: int, body: bytes, content_type: str, head: bool = False) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def do_HEAD(self):
            self.do_GET(head=True)

        def do_GET(self, head: bool = False):
            if not allowed_host(self.headers.get("Host"), self.server.server_address[1]):
                # A page elsewhere that points a name of its own at 127.0.0.1 (DNS rebinding)
                # would read the draft through the visitor's browser: only our names are served.
                return self._send(421, b"invalid Host header\n", "text/plain; charset=utf-8", head)
            path = unquote(urlsplit(self.path).path)
            with state.lock:
                version, page, out_dir, errors = state.version, state.page, state.out_dir, list(state.errors)
            if path == VERSION_PATH:
                body = json.dumps({"version": version, "ok": not errors}).encode("utf-8")
                return self._send(200, body, "application/json", head)
            if path in ("/", "/index.html"):
                path = "/report.html"
            is_html = path.endswith((".html", ".htm"))
            if errors and is_html:
                return self._send(500, error_page(errors, version), "text/html; charset=utf-8", head)
            if path == "/report.html" and page is not None:
                return self._send(200, inject(page, version), "text/html; charset=utf-8", head)
            target = _inside(out_dir, path) if out_dir is not None else None
            if target is None or not target.is_file():
                return self._send(404, b"not found\n", "text/plain; charset=utf-8", head)
            body = target.read_bytes()
            if is_html:
                return self._send(200, inject(body, version), "text/html; charset=utf-8", head)
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return self._send(200, body, kind, head)

    return Handler


def allowed_host(host: str | None, port: int) -> bool:
    """Whether a request's ``Host`` header names this server as a browser on this machine
    does: ``127.0.0.1:PORT`` or ``localhost:PORT`` (the port may be left out)."""
    if not host:
        return False
    name, _, given = host.strip().lower().rpartition(":") if ":" in host else (host.strip().lower(), "", "")
    return name in ("127.0.0.1", "localhost") and given in ("", str(port))


def _inside(base: Path, url_path: str) -> Path | None:
    """The file ``url_path`` names under ``base``, or None when it would leave it."""
    clean = posixpath.normpath("/" + url_path.lstrip("/"))
    parts = [p for p in clean.split("/") if p]
    if any(p in ("..", ".") or "\\" in p or "\x00" in p for p in parts):
        return None
    target = base.joinpath(*parts) if parts else base
    try:
        target.resolve().relative_to(base.resolve())
    except ValueError:
        return None
    return target


def listen(preview: Preview, port: int) -> ThreadingHTTPServer:
    """The server bound to 127.0.0.1:``port`` (0: a free port), or SRV001."""
    from report.errors import ReportError

    try:
        server = ThreadingHTTPServer((HOST, port), make_handler(preview))
    except OSError as exc:
        raise ReportError(error("SRV001", f"cannot listen on {HOST}:{port}: {exc.strerror or exc}",
                                Location("report serve"), "choose another port with --port")) from None
    server.daemon_threads = True
    return server


def serve(preview: Preview, port: int, open_browser: bool = False) -> None:
    """Build, serve and watch until Ctrl-C (or SIGTERM); then stop the server cleanly."""
    server = listen(preview, port)
    # Taken before the first build: an edit made while it builds, or before the watch
    # below begins, is a change to rebuild for (it was missed when taken after).
    before = snapshot(preview.root)
    preview.rebuild()
    url = f"http://{HOST}:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    preview.echo(f"serving {url} (Ctrl-C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    stop = threading.Event()

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupted) if threading.current_thread() is threading.main_thread() else None
    try:
        preview.watch(stop, before=before)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    preview.echo("stopped")
