from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/report.pdf", views.agreement_report, name="report"),
    # Before the agreement pages, so that "history" is never read as an agreement's name.
    path("agreements/history/", views.history_years, name="history-years"),
    path("agreements/history/<int:fiscal_year>/", views.history_year, name="history-year"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
]
