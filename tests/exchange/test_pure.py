"""The import and export rules never load Django, directly or through what they import."""

import subprocess
import sys
from pathlib import Path

PURE_MODULES = ["records", "checks", "mis_csv", "ctf", "diff", "samples"]


def test_the_exchange_modules_load_without_django():
    imports = "; ".join(f"import sendwise.exchange.{name}" for name in PURE_MODULES)
    probe = f"import sys; {imports}; print('django' in sys.modules)"

    run = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )

    assert run.stdout.strip() == "False", run.stderr
