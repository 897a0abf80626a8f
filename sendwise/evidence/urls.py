from django.urls import path

from sendwise.evidence import views

app_name = "evidence"

urlpatterns = [
    path("new/", views.new, name="new"),
    path("themes/", views.themes, name="themes"),
    path("<slug:slug>/messages/", views.messages, name="messages"),
]
