"""Check the pinned requirements against the known-vulnerability advisories (pip-audit).

`make test` runs it (CI too). pip-audit (pinned in requirements.in) looks up each pin of
requirements.txt in PyPI's advisory data (the PyPA advisory database) and names any release with a known
vulnerability and the release that fixes it. The pins are the full closure, so nothing else
is resolved or installed (`--no-deps --disable-pip`).

The look-up needs the network. A machine that cannot reach the advisory service (an offline CI
runner, a package mirror without PyPI's JSON API) must not pass as "no vulnerabilities": the
packages pip-audit could not look up are counted and printed loudly, and the step exits 0 so
an offline build still runs its tests, unless AUDIT_REQUIRED=1 (set it where the network is
known to be there). A vulnerability found always fails. The whole step gives up after
AUDIT_TIMEOUT seconds (default 180) rather than hang.

Usage: python tools/audit_requirements.py [REQUIREMENTS]   (default requirements.txt)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def summarise(report: dict) -> tuple[list[str], list[str]]:
    """(one line per vulnerable pin, names of pins that could not be looked up)."""
    vulnerable, unchecked = [], []
    for dependency in report.get("dependencies", []):
        if dependency.get("skip_reason"):
            unchecked.append(dependency["name"])
        for vuln in dependency.get("vulns", []):
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            aliases = ", ".join(vuln.get("aliases") or [])
            vulnerable.append(
                f"{dependency['name']}=={dependency.get('version', '?')}: {vuln['id']}"
                f"{f' ({aliases})' if aliases else ''}; fixed in {fixed}"
            )
    return vulnerable, unchecked


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    requirements = Path(argv[0]) if argv else ROOT / "requirements.txt"
    required = os.environ.get("AUDIT_REQUIRED") == "1"
    timeout = int(os.environ.get("AUDIT_TIMEOUT", "180"))
    pip_audit = Path(sys.executable).with_name("pip-audit")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "audit.json"
        command = [
            str(pip_audit), "-r", str(requirements), "--no-deps", "--disable-pip",
            "--progress-spinner", "off", "--timeout", "15", "-f", "json", "-o", str(out),
        ]  # fmt: skip
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return _unchecked(f"pip-audit gave no answer within {timeout} s", required)
        try:
            report = json.loads(out.read_text())
        except (OSError, ValueError):
            detail = (run.stderr or run.stdout).strip().splitlines()[-1:] or ["no output"]
            return _unchecked(f"pip-audit failed: {detail[0]}", required)
    vulnerable, unchecked = summarise(report)
    total = len(report.get("dependencies", []))
    for line in vulnerable:
        print(f"VULNERABLE {line}")
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} known vulnerabilities in {requirements.name}")
        return 1
    if unchecked:
        return _unchecked(
            f"{len(unchecked)} of {total} pins could not be looked up "
            f"(first: {', '.join(unchecked[:5])})",
            required,
            partial=len(unchecked) < total,
        )
    print(f"pip-audit: {total} pins of {requirements.name} checked, no known vulnerabilities")
    return 0


def _unchecked(why: str, required: bool, *, partial: bool = False) -> int:
    print(f"!!! SUPPLY-CHAIN CHECK {'INCOMPLETE' if partial else 'NOT RUN'}: {why}.")
    print("!!! The advisory data was not reachable from here; the pins are NOT known to be safe.")
    if required:
        print("!!! AUDIT_REQUIRED=1: failing.")
        return 1
    print("!!! Run `make audit` where PyPI's JSON API is reachable, or set AUDIT_REQUIRED=1 in CI.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
