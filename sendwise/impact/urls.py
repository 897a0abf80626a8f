"""Local studies of an intervention, under /interventions/<slug>/studies/."""

from django.urls import path

from sendwise.impact import study_views

app_name = "impact"

urlpatterns = [
    path("<int:group_id>/", study_views.local_study_mark, name="local_study_mark"),
]
