from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/report.pdf", views.agreement_report, name="report"),
    # Before the agreement pages, so that "history" and "all" are never read as an agreement's
    # name (models.RESERVED_URL_NAMES refuses them as one).
    path("agreements/history/", views.history_years, name="history-years"),
    path("agreements/history/<int:fiscal_year>/", views.history_year, name="history-year"),
    path("agreements/all/", views.agreement_all, name="agreement-all"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement-detail"),
]
