"""Downloads of the costed provision map (issue 12): the school's and a pupil's, PDF and XLSX."""

from django.urls import path

from sendwise.reports import provision_views

app_name = "provision_reports"

urlpatterns = [
    path("provision-map.pdf", provision_views.school_pdf, name="school_pdf"),
    path("provision-map.xlsx", provision_views.school_xlsx, name="school_xlsx"),
    path("pupils/<int:pupil_id>/provision-map.pdf", provision_views.pupil_pdf, name="pupil_pdf"),
    path("pupils/<int:pupil_id>/provision-map.xlsx", provision_views.pupil_xlsx, name="pupil_xlsx"),
]
