from django.urls import path

from sendwise.concerns import views

app_name = "concerns"

urlpatterns = [
    path("", views.concern_list, name="list"),
    path("raise/<int:pupil_id>/", views.concern_raise, name="raise"),
    path("<int:concern_id>/", views.concern_detail, name="detail"),
    path("<int:concern_id>/raised/", views.concern_raised, name="raised"),
    path("<int:concern_id>/ask/", views.concern_ask, name="ask"),
    path("<int:concern_id>/parents/", views.concern_parents, name="parents"),
    path("<int:concern_id>/close/", views.concern_close, name="close"),
    path("observations/<int:request_id>/", views.observation_answer, name="observe"),
]
