"""The upload form: one file, checked for size before it is read."""

from django import forms

from sendwise.core.forms import BoundedForm
from sendwise.exchange.lesson_csv import MAX_BYTES as LESSON_MAX_BYTES
from sendwise.exchange.lesson_services import TOO_BIG as LESSON_TOO_BIG
from sendwise.exchange.services import MAX_UPLOAD_BYTES, TOO_BIG


class ImportUploadForm(BoundedForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="A CSV export from your MIS (UTF-8 or Excel CSV), or a Common Transfer File (XML, version 24 or 25). Up to 20 MB.",
        error_messages={
            "required": "Choose a CSV or CTF file to upload",
            "empty": "The file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(TOO_BIG.format(size=upload.size / 1_000_000))
        return upload


class LessonUploadForm(BoundedForm):
    file = forms.FileField(
        label="Upload a lesson timetable",
        help_text=(
            "A CSV export from your MIS with a row for each lesson and columns for class, day, "
            "start, end and subject. Up to 1 MB."
        ),
        error_messages={
            "required": "Choose a CSV file to upload",
            "empty": "The file is empty",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > LESSON_MAX_BYTES:
            raise forms.ValidationError(LESSON_TOO_BIG.format(size=upload.size / 1_000_000))
        return upload
