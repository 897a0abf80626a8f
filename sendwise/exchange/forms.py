"""The upload form: one file, checked for size before it is read."""

from django import forms

from sendwise.exchange.services import MAX_UPLOAD_BYTES, TOO_BIG


class ImportUploadForm(forms.Form):
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
