from django.urls import path

from sendwise.pupils import views

app_name = "pupils"

urlpatterns = [
    path("", views.register, name="register"),
    path("<int:pupil_id>/", views.pupil_detail, name="detail"),
    path("<int:pupil_id>/edit/", views.pupil_edit, name="edit"),
    path("<int:pupil_id>/archive/", views.pupil_archive, name="archive"),
]
