"""Impact URLs: the school's pages under /impact/; a pupil's results in the ``pupils``
namespace under /pupils/<id>/impact/."""

from django.urls import path

from sendwise.impact import views

app_name = "impact"

urlpatterns = [
    path("", views.school_impact, name="school"),
    path("interventions/<int:intervention_id>/", views.intervention_impact, name="intervention"),
]

#: In the ``pupils`` namespace, under /pupils/.
pupils = [path("<int:pupil_id>/impact/", views.pupil_impact, name="impact")]
