from django.urls import path

from sendwise.exchange import lesson_views, views

app_name = "exchange"

urlpatterns = [
    path("", views.import_start, name="start"),
    path("<int:batch_id>/", views.import_preview, name="preview"),
    path("<int:batch_id>/confirm/", views.import_confirm, name="confirm"),
    path("<int:batch_id>/progress/", views.import_progress, name="progress"),
    path("<int:batch_id>/retry/", views.import_retry, name="retry"),
    path("lessons/", lesson_views.lessons_start, name="lessons_start"),
    path("lessons/<int:batch_id>/", lesson_views.lessons_preview, name="lessons_preview"),
    path("lessons/<int:batch_id>/confirm/", lesson_views.lessons_confirm, name="lessons_confirm"),
]
