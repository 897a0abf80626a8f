"""Fetch the pinned GOV.UK Frontend release from the npm registry and install its built assets.

Why: the Design System's CSS, JavaScript, fonts and images are not shipped by any Python package.
We take the precompiled files from the npm tarball (`npm pack`, no node_modules), and rewrite the
stylesheet's absolute `/assets/` URLs so they resolve under Django's static URL.
Usage: python tools/build_frontend.py 5.14.0
"""

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "sendwise" / "static" / "govuk"
STATIC_PREFIX = "/static/govuk/assets/"


def main(version: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", f"govuk-frontend@{version}", "--silent"],
            cwd=tmp,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        tarball = next(Path(tmp).glob("govuk-frontend-*.tgz"))
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        dist = Path(tmp) / "package" / "dist" / "govuk"
        if TARGET.exists():
            shutil.rmtree(TARGET)
        TARGET.mkdir(parents=True)
        shutil.copytree(dist / "assets", TARGET / "assets")
        css = (dist / "govuk-frontend.min.css").read_text()
        (TARGET / "govuk-frontend.min.css").write_text(css.replace("/assets/", STATIC_PREFIX))
        shutil.copy(dist / "govuk-frontend.min.js", TARGET / "govuk-frontend.min.js")
        (TARGET / f".version-{version}").write_text(version + "\n")
    print(f"GOV.UK Frontend {version} installed in {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1])
