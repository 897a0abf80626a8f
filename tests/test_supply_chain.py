"""The supply-chain checks `make test` runs: a committed secret is caught, and an advisory
look-up that could not be made is never reported as "no vulnerabilities"."""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
from detect_secrets.core import baseline as baselines
from detect_secrets.core.secrets_collection import SecretsCollection

ROOT = Path(__file__).resolve().parent.parent


def load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


secret_scan = load_tool("secret_scan")
audit = load_tool("audit_requirements")

# Made-up, in the shapes the scanners know (AWS's documented example key id).
FAKE_AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE"


@pytest.fixture
def baseline(tmp_path) -> Path:
    path = tmp_path / "baseline.json"
    shutil.copy(ROOT / ".secrets.baseline", path)
    return path


def test_a_committed_access_key_is_reported_with_its_file_and_line(tmp_path, baseline, capsys):
    settings = tmp_path / "local_settings.py"
    settings.write_text(f'DEBUG = True\nAWS_ACCESS_KEY_ID = "{FAKE_AWS_KEY}"\n')

    assert secret_scan.main(["--baseline", str(baseline), str(settings)]) == 1

    out = capsys.readouterr().out
    assert f"{settings}:2: possible secret (AWS Access Key)" in out
    assert "1 new finding(s)" in out


def test_a_finding_reviewed_in_the_baseline_passes_even_when_its_line_moves(tmp_path, baseline):
    settings = tmp_path / "local_settings.py"
    settings.write_text(f'AWS_ACCESS_KEY_ID = "{FAKE_AWS_KEY}"\n')
    # A person reviewed it and recorded it in the baseline, scanning with the baseline's own
    # plugins (detect-secrets keeps them in global settings: without this the test would
    # depend on whether an earlier test in the same process had loaded them).
    baselines.load(baselines.load_from_file(str(baseline)), str(baseline))
    found = SecretsCollection()
    found.scan_file(str(settings))
    reviewed = json.loads(baseline.read_text())
    reviewed["results"] = baselines.format_for_output(found)["results"]
    baseline.write_text(json.dumps(reviewed))
    settings.write_text(f'"""Local settings."""\n\nAWS_ACCESS_KEY_ID = "{FAKE_AWS_KEY}"\n')

    assert secret_scan.main(["--baseline", str(baseline), str(settings)]) == 0


def report(*dependencies) -> dict:
    return {"dependencies": list(dependencies), "fixes": []}


def test_a_vulnerable_pin_is_named_with_its_advisory_and_fix():
    vulnerable, unchecked = audit.summarise(
        report(
            {"name": "django", "version": "5.2.1", "vulns": [
                {"id": "PYSEC-2025-1", "aliases": ["CVE-2025-0001"], "fix_versions": ["5.2.2"]}
            ]},
            {"name": "rules", "version": "3.5", "vulns": []},
        )
    )  # fmt: skip

    assert vulnerable == ["django==5.2.1: PYSEC-2025-1 (CVE-2025-0001); fixed in 5.2.2"]
    assert unchecked == []


def test_pins_that_could_not_be_looked_up_are_counted_not_passed_as_safe():
    vulnerable, unchecked = audit.summarise(
        report(
            {"name": "django", "skip_reason": "Dependency not found on PyPI"},
            {"name": "rules", "version": "3.5", "vulns": []},
        )
    )

    assert vulnerable == [] and unchecked == ["django"]


def test_an_unreachable_advisory_service_is_reported_loudly_and_fails_only_when_required(capsys):
    assert audit._unchecked("no answer", required=False) == 0
    assert "SUPPLY-CHAIN CHECK NOT RUN: no answer" in capsys.readouterr().out
    assert audit._unchecked("no answer", required=True) == 1
