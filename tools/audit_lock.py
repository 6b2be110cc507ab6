"""Audit every release in requirements/lock.txt against PyPI's vulnerability data (make audit).

The same data pip-audit's default service reads (PyPI's JSON API, fed by the Python Packaging
Advisory Database), asked the same way: a release's own JSON first. Where an index serves no
per-release JSON (the PyPI this project's machines reach answers those with 404), the project's
JSON stands in for its newest release, since it carries that release's vulnerabilities; a locked
release that is not the newest is then listed as not audited rather than passed in silence.

    .venv/bin/python tools/audit_lock.py requirements/lock.txt
    .venv/bin/python tools/audit_lock.py requirements/lock.txt --ignore-vuln GHSA-xxxx-xxxx-xxxx

Exit status: 0 nothing known, 1 a known vulnerability (each printed with what fixes it), 3 PyPI
unreachable (the Makefile decides whether that fails the run).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

EXIT_VULNERABLE = 1
EXIT_UNREACHABLE = 3
PYPI_JSON = "https://pypi.org/pypi"
# A pin as pip-compile writes it: "name==version \" at the start of a line.
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


class Unreachable(Exception):
    """The vulnerability data could not be asked at all (network, DNS, TLS, time-out)."""


@dataclass
class Audit:
    name: str
    version: str
    # None: PyPI has no vulnerability data for this exact release.
    vulnerabilities: list[dict] | None = field(default=None)


def locked_releases(lock_text: str) -> list[tuple[str, str]]:
    return PIN.findall(lock_text)


def _get_json(url: str) -> dict | None:
    """The document at url, or None when the index says it has none (404)."""
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not an HTTP(S) URL: {url}")
    try:
        # Only http(s) URLs of the index reach here (checked above).
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            return None
        raise Unreachable(f"{url}: HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise Unreachable(f"{url}: {error}") from error


def audit_release(index: str, name: str, version: str) -> Audit:
    release = _get_json(f"{index}/{name}/{version}/json")
    if release is not None:
        return Audit(name, version, release.get("vulnerabilities", []))
    project = _get_json(f"{index}/{name}/json")
    if project is not None and project["info"]["version"] == version:
        return Audit(name, version, project.get("vulnerabilities", []))
    return Audit(name, version)


def findings(audits: list[Audit], ignored: set[str]) -> list[str]:
    lines = []
    for audit in audits:
        for vulnerability in audit.vulnerabilities or []:
            ids = {vulnerability["id"], *vulnerability.get("aliases", [])}
            if vulnerability.get("withdrawn") or ids & ignored:
                continue
            fixed = ", ".join(vulnerability.get("fixed_in") or []) or "no fixed release yet"
            lines.append(
                f"{audit.name} {audit.version}: {vulnerability['id']} "
                f"({', '.join(sorted(ids - {vulnerability['id']})) or 'no alias'}); "
                f"fixed in {fixed}; {vulnerability.get('link', '')}".rstrip("; ")
            )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path)
    parser.add_argument(
        "--ignore-vuln",
        action="append",
        default=[],
        metavar="ID",
        help="a vulnerability (or alias) judged not to apply; say why where you pass it",
    )
    parser.add_argument("--index", default=PYPI_JSON, help="PyPI's JSON API (%(default)s)")
    options = parser.parse_args(argv)

    releases = locked_releases(options.lock.read_text())
    try:
        # A few at a time: PyPI answers each in a fraction of a second.
        with ThreadPoolExecutor(max_workers=8) as pool:
            audits = list(pool.map(lambda pin: audit_release(options.index, *pin), releases))
    except Unreachable as error:
        print(f"!! PyPI's vulnerability data is unreachable: {error}")
        return EXIT_UNREACHABLE

    unaudited = [f"{a.name} {a.version}" for a in audits if a.vulnerabilities is None]
    found = findings(audits, set(options.ignore_vuln))
    print(
        f"    {len(audits) - len(unaudited)} of {len(audits)} locked releases audited, "
        f"{len(found)} known vulnerabilities"
    )
    if unaudited:
        print(
            "    Not audited (this PyPI serves vulnerability data for a project's newest "
            "release only):"
        )
        print("      " + ", ".join(unaudited))
    for line in found:
        print(f"!! {line}")
    if found:
        print("!! Upgrade within the lock ('make lock'), or pass --ignore-vuln ID with the reason.")
        return EXIT_VULNERABLE
    return 0


if __name__ == "__main__":
    sys.exit(main())
