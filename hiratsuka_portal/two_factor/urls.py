"""/admin/two-factor/…: included before the admin's own URLs (hiratsuka_portal/urls.py)."""

from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("verify/", views.verify, name="verify"),
    path("recovery/", views.recovery, name="recovery"),
    path("enrol/", views.enrol, name="enrol"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.recovery_codes_new, name="recovery_codes_new"),
    path("remove/", views.remove, name="remove"),
]
