from django.contrib.auth.views import LogoutView
from django.urls import path

from sendwise.core import views

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("audit/", views.audit_log, name="audit_log"),
    path("school/staff/", views.staff, name="staff"),
    path("school/switch/", views.switch_school, name="switch_school"),
    path("healthz", views.healthz, name="healthz"),
]
