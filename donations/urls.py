from django.urls import path

from . import inquiry_views, views

app_name = "donations"

urlpatterns = [
    path("donations/", views.donation_list, name="donation-list"),
    path("donations/report.pdf", views.donation_report, name="report"),
    path("donations/inquiry/", inquiry_views.inquiry_form, name="inquiry"),
    path("donations/inquiry/address/", inquiry_views.inquiry_address, name="inquiry-address"),
    path("donations/inquiry/confirm/", inquiry_views.inquiry_confirm, name="inquiry-confirm"),
    path("donations/inquiry/thanks/", inquiry_views.inquiry_thanks, name="inquiry-thanks"),
]
