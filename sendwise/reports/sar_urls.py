"""Subject access and retention ('records' namespace), joined in sendwise/urls.py."""

from django.urls import path

from sendwise.reports import sar_views

app_name = "records"
urlpatterns = [
    path(
        "pupils/<int:pupil_id>/subject-access/",
        sar_views.subject_access,
        name="subject_access",
    ),
    path(
        "records/exports/<int:export_id>/",
        sar_views.export_progress,
        name="export_progress",
    ),
    path(
        "records/exports/<int:export_id>/download/",
        sar_views.export_download,
        name="export_download",
    ),
    path("records/retention/", sar_views.retention, name="retention"),
]
