"""The lock that `make install` installs, and the audit `make test` runs against it."""

import http.server
import json
import socket
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

BASE_DIR = Path(settings.BASE_DIR)
LOCK = BASE_DIR / "requirements" / "lock.txt"
AUDIT = BASE_DIR / "tools" / "audit_lock.py"


def _pins() -> dict[str, tuple[str, str]]:
    """Each locked project: its version and the text of its entry (the hashes with it)."""
    pins = {}
    entry_lines: list[str] = []
    for line in [*LOCK.read_text().splitlines(), ""]:
        if line and not line.startswith((" ", "#")):
            entry_lines = [line]
        elif line.startswith("    --hash") and entry_lines:
            entry_lines.append(line)
        if entry_lines and not line.rstrip().endswith("\\"):
            name, version = entry_lines[0].split(" ")[0].split("==")
            pins[canonicalize_name(name)] = (version, "\n".join(entry_lines))
            entry_lines = []
    return pins


def test_every_dependency_of_pyproject_is_locked_with_its_hashes():
    # A dependency added to pyproject.toml without `make lock` would be missing from every
    # install (the project itself is installed with --no-deps).
    project = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    pins = _pins()
    assert len(pins) > len(wanted)
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in {LOCK.name}: run make lock"
        version, entry = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (text, version)
    for name, (_version, entry) in pins.items():
        assert "--hash=sha256:" in entry, f"{name} has no hash"
    # Machine-specific indexes stay out of the committed file.
    assert "file://" not in LOCK.read_text() and "--find-links" not in LOCK.read_text()


class _FakePyPI(http.server.BaseHTTPRequestHandler):
    """PyPI's JSON API for a few made-up releases, on loopback."""

    documents: dict[str, dict] = {}

    def do_GET(self):
        document = self.documents.get(self.path)
        body = json.dumps(document).encode()
        self.send_response(200 if document else 404)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        if document:
            self.wfile.write(body)

    def log_message(self, *args):
        pass


VULNERABILITY = {
    "id": "GHSA-aaaa-bbbb-cccc",
    "aliases": ["CVE-2099-0001"],
    "fixed_in": ["2.0.1"],
    "link": "https://osv.dev/vulnerability/GHSA-aaaa-bbbb-cccc",
    "withdrawn": None,
}


@pytest.fixture
def pypi():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _FakePyPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/pypi", _FakePyPI.documents
    server.shutdown()
    server.server_close()
    _FakePyPI.documents = {}


def _audit(tmp_path, lock_text: str, *arguments: str) -> subprocess.CompletedProcess:
    lock = tmp_path / "lock.txt"
    lock.write_text(lock_text)
    return subprocess.run(
        [sys.executable, str(AUDIT), str(lock), *arguments],
        capture_output=True,
        text=True,
        timeout=60,
    )


LOCKED = (
    "shaky==2.0.0 \\\n    --hash=sha256:" + "a" * 64 + "\n    # via hiratsuka-portal\n"
    "steady==1.0 \\\n    --hash=sha256:" + "b" * 64 + "\n"
)


def test_a_known_vulnerability_fails_the_audit_and_says_what_fixes_it(tmp_path, pypi):
    index, documents = pypi
    documents["/pypi/shaky/2.0.0/json"] = {"vulnerabilities": [VULNERABILITY]}
    documents["/pypi/steady/1.0/json"] = {"vulnerabilities": []}

    result = _audit(tmp_path, LOCKED, "--index", index)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "shaky 2.0.0: GHSA-aaaa-bbbb-cccc (CVE-2099-0001); fixed in 2.0.1" in result.stdout
    assert "steady" not in result.stdout.split("known vulnerabilities")[1]


def test_a_vulnerability_ignored_by_its_alias_passes(tmp_path, pypi):
    index, documents = pypi
    documents["/pypi/shaky/2.0.0/json"] = {"vulnerabilities": [VULNERABILITY]}
    documents["/pypi/steady/1.0/json"] = {"vulnerabilities": []}

    result = _audit(tmp_path, LOCKED, "--index", index, "--ignore-vuln", "CVE-2099-0001")

    assert result.returncode == 0, result.stdout
    assert "2 of 2 locked releases audited, 0 known vulnerabilities" in result.stdout


def test_without_release_data_the_newest_release_is_audited_and_an_older_one_is_named(
    tmp_path, pypi
):
    # As on the PyPI these machines reach: no per-release JSON, only each project's.
    index, documents = pypi
    documents["/pypi/shaky/json"] = {
        "info": {"version": "2.0.0"},
        "vulnerabilities": [VULNERABILITY],
    }
    documents["/pypi/steady/json"] = {"info": {"version": "1.1"}, "vulnerabilities": []}

    result = _audit(tmp_path, LOCKED, "--index", index)

    assert result.returncode == 1
    assert "1 of 2 locked releases audited" in result.stdout
    assert "Not audited" in result.stdout and "steady 1.0" in result.stdout
    assert "shaky 2.0.0: GHSA-aaaa-bbbb-cccc" in result.stdout


def test_an_unreachable_index_is_reported_apart_from_a_finding(tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    result = _audit(tmp_path, LOCKED, "--index", f"http://127.0.0.1:{port}/pypi")

    assert result.returncode == 3
    assert "unreachable" in result.stdout
