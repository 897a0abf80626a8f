"""Opening a subject-access ZIP as the family would: the PDF's text and each JSON file."""

import io
import json
import zipfile

from tests.reports.pdftext import pdf_text


def open_export(content: bytes) -> tuple[dict[str, dict], str, str]:
    """(JSON files by kind, the PDF's text, the README) of a subject-access ZIP."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    data = {
        name.removeprefix("data/").removesuffix(".json"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.startswith("data/")
    }
    return data, pdf_text(archive.read("subject-access.pdf")), archive.read("README.txt").decode()
