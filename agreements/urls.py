from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/report.pdf", views.agreement_report, name="report"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
]
