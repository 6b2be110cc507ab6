"""The CSV of pledged and received amounts per fiscal year and per project (the dashboard
panel 「申出額と受領額」 links to it): for staff the admin shows both donations and inquiries to
(寄附担当, 閲覧者, superusers), refused (403) to the others."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from ..pledge_totals import may_view_pledge_totals, pledge_totals, pledge_totals_csv


class PledgeTotalsAdminMixin:
    """For the donation's ModelAdmin: ``admin:donations_pledge_totals_csv``."""

    def get_urls(self):
        return [
            path(
                "pledge-totals.csv",
                self.admin_site.admin_view(self.pledge_totals_csv_view),
                name="donations_pledge_totals_csv",
            ),
            *super().get_urls(),
        ]

    @method_decorator(require_GET)
    def pledge_totals_csv_view(self, request):
        if not may_view_pledge_totals(request.user):
            raise PermissionDenied
        response = HttpResponse(
            pledge_totals_csv(pledge_totals()), content_type="text/csv; charset=utf-8"
        )
        # Named as staff name files, with the day: 申出額と受領額_2026-12-02.csv
        name = gettext("申出額と受領額_%(day)s.csv") % {"day": timezone.localdate().isoformat()}
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
