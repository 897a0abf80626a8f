"""Fail when a committed file holds something that looks like a key, token or password.

`make test` runs it (CI too). It scans every file git tracks with detect-secrets (pinned in
requirements.in) and compares what it finds with `.secrets.baseline`: the findings a person has
looked at and judged not secret (the published demo password, the CI database's throwaway
password, test fixtures). A new finding fails the run and is printed with its file, line and
kind; nothing is written. Line numbers are not compared, so editing around a reviewed finding
does not fail.

When a new finding is not a secret (a test value, say), `git add` its file, add it to the
baseline, mark it `"is_secret": false` and review the diff before committing:

    .venv/bin/detect-secrets scan --baseline .secrets.baseline

A real secret must instead be removed, rotated (it is in git history now) and read from the
environment.

Usage: python tools/secret_scan.py [--baseline PATH] [FILE ...]   (files default to git's list)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from detect_secrets.core import baseline as baselines
from detect_secrets.core.secrets_collection import SecretsCollection

ROOT = Path(__file__).resolve().parent.parent


def tracked_files(root: Path = ROOT) -> list[str]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, check=True, capture_output=True
    ).stdout
    return [name for name in out.decode().split("\0") if name and (root / name).is_file()]


def new_findings(files: list[str], baseline_path: Path) -> list[tuple[str, int, str]]:
    """(file, line, kind) of every finding in `files` that the baseline does not list."""
    known = baselines.load(baselines.load_from_file(str(baseline_path)), str(baseline_path))
    found = SecretsCollection()
    for name in files:
        found.scan_file(name)
    new = found - known
    return sorted((name, secret.line_number, secret.type) for name, secret in new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, default=ROOT / ".secrets.baseline")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    if not args.files:
        os.chdir(ROOT)  # git's names, and the baseline's, are relative to the repository
    # The baseline lists the hashes of what it allows, which look like secrets themselves.
    files = [
        f for f in args.files or tracked_files() if Path(f).resolve() != args.baseline.resolve()
    ]
    findings = new_findings(files, args.baseline)
    for name, line, kind in findings:
        print(f"{name}:{line}: possible secret ({kind})")
    if findings:
        print(
            f"secret scan: {len(findings)} new finding(s). Remove and rotate a real secret; "
            "if it is not one, see the docstring of tools/secret_scan.py."
        )
        return 1
    print(f"secret scan: {len(files)} files, nothing new beside .secrets.baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
