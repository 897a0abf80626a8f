"""Reports people take to meetings, under /reports/. Every pattern has a row in
tests/core/test_authorization.py. Other report pages (provision map, impact, subject access)
add their own lines here."""

from django.urls import path

from sendwise.reports import governor_views, impact_views, pack_views, report_views

app_name = "reports"

urlpatterns = [
    path("pupils/<int:pupil_id>/support-plan.pdf", report_views.plan_report, name="plan_report"),
    path("pupils/<int:pupil_id>/ehc-evidence/", report_views.ehc_preview, name="ehc_preview"),
    path("pupils/<int:pupil_id>/ehc-evidence.pdf", report_views.ehc_pdf, name="ehc_pdf"),
    path("governors/", governor_views.governors, name="governors"),
    path("governors.pdf", governor_views.governors_pdf, name="governors_pdf"),
    path("governors.xlsx", governor_views.governors_xlsx, name="governors_xlsx"),
    path("packs/", pack_views.packs, name="packs"),
    path("packs/<int:pack_id>/", pack_views.pack_detail, name="pack"),
    path("packs/<int:pack_id>/download/", pack_views.pack_download, name="pack_download"),
    path("impact.pdf", impact_views.school_pdf, name="impact_pdf"),
    path("impact.xlsx", impact_views.school_xlsx, name="impact_xlsx"),
]
