"""Read a PDF back as text, as a person copying it would (poppler's pdftotext), for report tests."""

import shutil
import subprocess

import pytest

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(data: bytes) -> str:
    if not PDFTOTEXT:
        pytest.skip("pdftotext (poppler-utils) is not installed: apt-get install poppler-utils")
    # The command is a fixed path found above and the PDF goes in on stdin: nothing untrusted runs.
    done = subprocess.run(  # noqa: S603
        [PDFTOTEXT, "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode()


def pdf_pages(data: bytes) -> int:
    """The page count: pdftotext puts a form feed after every page."""
    return pdf_text(data).count("\f")
