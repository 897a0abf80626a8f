"""URL patterns of the composed pages, grouped by the namespace they keep (so every URL name
and path stays what it was before the pages moved here): the root URLconf adds each group to
its app's own patterns."""

from django.urls import path

from sendwise.pages import across_views, views

#: In the root namespace, beside core's.
root = [path("", views.home, name="home")]

#: In the ``pupils`` namespace, under /pupils/.
pupils = [path("<int:pupil_id>/", views.pupil_detail, name="detail")]

#: In the ``planning`` namespace, under /pupils/<id>/plans/.
planning = [
    path("", views.plans, name="plans"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("<int:plan_id>/activate/", views.plan_activate, name="plan_activate"),
    path(
        "<int:plan_id>/support/<int:placement_id>/withdraw/",
        views.placement_withdraw,
        name="placement_withdraw",
    ),
]

#: In the ``evidence`` namespace, under /interventions/.
evidence = [
    path("", views.catalogue, name="catalogue"),
    path("<slug:slug>/", views.intervention_detail, name="detail"),
]

#: In the ``across`` namespace, under /impact/: impact across a trust's or authority's schools.
across = [
    path("trust/", across_views.trust, name="trust"),
    path("authority/", across_views.authority, name="authority"),
    path("authority/download.xlsx", across_views.authority_xlsx, name="authority_xlsx"),
]
