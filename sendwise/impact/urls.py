"""Impact URLs: the school's pages under /impact/, with the page where the SENCO sets a local
study aside (/impact/studies/<slug>/<group_id>/); a pupil's results in the ``pupils`` namespace
under /pupils/<id>/impact/."""

from django.urls import path

from sendwise.impact import study_views, views

app_name = "impact"

urlpatterns = [
    path("", views.school_impact, name="school"),
    path("interventions/<int:intervention_id>/", views.intervention_impact, name="intervention"),
    path(
        "studies/<slug:slug>/<int:group_id>/",
        study_views.local_study_mark,
        name="local_study_mark",
    ),
]

#: In the ``pupils`` namespace, under /pupils/.
pupils = [path("<int:pupil_id>/impact/", views.pupil_impact, name="impact")]
