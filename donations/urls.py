from django.urls import path

from . import application_views, inquiry_views, views

app_name = "donations"

urlpatterns = [
    path("donations/", views.donation_list, name="donation-list"),
    path("donations/<int:fiscal_year>/", views.donation_year, name="donation-year"),
    path("donations/report.pdf", views.donation_report, name="report"),
    path("donations/inquiry/", inquiry_views.inquiry_form, name="inquiry"),
    path("donations/inquiry/address/", inquiry_views.inquiry_address, name="inquiry-address"),
    path("donations/inquiry/confirm/", inquiry_views.inquiry_confirm, name="inquiry-confirm"),
    path("donations/inquiry/thanks/", inquiry_views.inquiry_thanks, name="inquiry-thanks"),
    # The company's private, expiring link to its 寄附申出書 (signed token; no login).
    path(
        "donations/application/<str:token>/",
        application_views.application_download,
        name="application-download",
    ),
    path(
        "donations/application/<str:token>/pdf/",
        application_views.application_pdf,
        name="application-pdf",
    ),
]
