"""SENDwise URLs. Every pattern here must have a row in tests/core/test_authorization.py.

Pages composed from several apps live in `sendwise.pages` (above the apps they show); each group
of them joins the namespace of the app whose record it mainly is, so URL names and paths stay the
same wherever the view lives.
"""

from django.urls import include, path

from sendwise.concerns import urls as concerns_urls
from sendwise.core import urls as core_urls
from sendwise.delivery import urls as delivery_urls
from sendwise.evidence import urls as evidence_urls
from sendwise.exchange import urls as exchange_urls
from sendwise.impact import urls as impact_urls
from sendwise.monitoring import group_urls as group_scores_urls
from sendwise.monitoring import urls as monitoring_urls
from sendwise.pages import urls as pages_urls
from sendwise.planning import urls as planning_urls
from sendwise.pupils import urls as pupils_urls
from sendwise.reports import provision_urls, sar_urls
from sendwise.reports import urls as reports_urls


def namespace(app_urls, *extra):
    """An app's own patterns (first, so fixed paths such as 'new/' win over slugs) with the
    composed pages that belong to its namespace."""
    return include(
        (app_urls.urlpatterns + [p for group in extra for p in group], app_urls.app_name)
    )


urlpatterns = [
    path(
        "",
        include(
            core_urls.urlpatterns
            + pupils_urls.school_urlpatterns
            + pages_urls.root
            + monitoring_urls.school_urlpatterns
        ),
    ),
    path(
        "pupils/",
        namespace(pupils_urls, pages_urls.pupils, monitoring_urls.pupils, impact_urls.pupils),
    ),
    path(
        "pupils/<int:pupil_id>/plans/",
        namespace(planning_urls, pages_urls.planning, monitoring_urls.plan_reviews),
    ),
    path("pupils/<int:pupil_id>/scores/", namespace(monitoring_urls)),
    path("import/", namespace(exchange_urls)),
    path("interventions/", namespace(evidence_urls, pages_urls.evidence)),
    path("concerns/", namespace(concerns_urls)),
    path("delivery/", namespace(delivery_urls)),
    path("impact/", namespace(impact_urls)),
    path("delivery/groups/<int:group_id>/scores/", namespace(group_scores_urls)),
    path("reports/", include(reports_urls)),
    path("reports/", namespace(provision_urls)),
    path("", include((sar_urls.urlpatterns, sar_urls.app_name))),
    path("impact/", include((pages_urls.across, "across"))),
]

handler403 = "sendwise.core.errors.permission_denied"
handler404 = "sendwise.core.errors.page_not_found"
handler500 = "sendwise.core.errors.server_error"
