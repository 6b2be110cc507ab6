"""The donations app's panels on the staff dashboard: donations by fiscal year, the amounts
pledged and received per fiscal year and per project, inquiries by status, the inquiries nobody
has contacted for more than three working days and the pledges whose payment has not arrived.

Each panel is for the users the admin shows its records to, and reads a fixed number of
queries whatever the number of donations and inquiries.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core import dashboard
from core.charts import BarChart
from core.japanese import fiscal_year_label, format_man_yen, staff_name
from core.local_time import start_of_day
from core.workdays import working_days_between, working_days_cutoff

from .models import Donation, DonationInquiry, InquiryStatus
from .pledge_totals import may_view_pledge_totals, pledge_totals

# An inquiry not contacted after this many working days is overdue (the city's service target).
FIRST_CONTACT_WORKING_DAYS = 3
# The overdue inquiries listed on the dashboard; the changelist link shows them all.
OVERDUE_LISTED = 10

PERSONAL_DATA_PERMISSION = "donations.view_personal_data"


def _changelist(model, **filters) -> str:
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


# --- Donations by fiscal year -------------------------------------------------------------------


def donations_by_fiscal_year(request) -> dict:
    years = Donation.objects.totals_by_fiscal_year()
    cumulative = 0
    rows = []
    for year in years:
        cumulative += year["total"]
        label = fiscal_year_label(year["fiscal_year"])
        label_parts = _fiscal_year_label_parts(year["fiscal_year"])
        rows.append({**year, "label": label, "label_parts": label_parts, "cumulative": cumulative})
    chart = BarChart.of(
        html_id="donations-chart",
        title=gettext("年度別の寄附金額"),
        description=pgettext("list separator", "、").join(
            gettext("%(year)s %(amount)s（%(count)s件）")
            % {"year": row["label"], "amount": format_man_yen(row["total"]), "count": row["count"]}
            for row in rows
        ),
        items=[(row["label"], row["total"], format_man_yen(row["total"])) for row in rows],
    )
    return {
        "rows": rows,
        "chart": chart,
        "count": sum(row["count"] for row in rows),
        "total": cumulative,
        "changelist_url": _changelist(Donation),
    }


# --- Pledged and received ----------------------------------------------------------------------


def pledged_and_received(request) -> dict:
    totals = pledge_totals()
    return {
        "years": [
            {"year": year, "label_parts": _fiscal_year_label_parts(year.fiscal_year)}
            for year in totals.years
        ],
        "totals": totals,
        "csv_url": reverse("admin:donations_pledge_totals_csv"),
    }


def _fiscal_year_label_parts(fiscal_year: int) -> list[str]:
    # 「令和3年度」「（2021年度）」: a narrow column breaks between them, never inside.
    label = fiscal_year_label(fiscal_year)
    era, _sep, western = label.partition("（")
    return [era, f"（{western}"] if western else [label]


# --- Inquiries by status ------------------------------------------------------------------------


def inquiries_by_status(request) -> dict:
    counts = DonationInquiry.objects.count_by_status()
    statuses = [
        {
            "label": InquiryStatus(status).label,
            "count": count,
            "url": _changelist(DonationInquiry, status__exact=status),
        }
        for status, count in counts.items()
    ]
    return {
        "statuses": statuses,
        "total": sum(counts.values()),
        "changelist_url": _changelist(DonationInquiry),
    }


# --- Inquiries waiting for a first contact ------------------------------------------------------


def overdue_inquiries(request, *, today: datetime.date | None = None) -> dict:
    """The inquiries received before the cutoff date and still not contacted, oldest first.

    The cutoff is computed in Python (working days depend on holidays) and the query compares
    the receipt time with the start of that day, in the city's time zone."""
    today = today or timezone.localdate()
    cutoff = working_days_cutoff(today, FIRST_CONTACT_WORKING_DAYS)
    received_before = start_of_day(cutoff)
    overdue = DonationInquiry.objects.awaiting_first_contact().filter(
        created_at__lt=received_before
    )
    # The number of them all comes with the first few, counted before the limit (a window).
    listed = list(
        overdue.select_related("assignee").annotate(overdue_count=Window(Count("pk")))[
            :OVERDUE_LISTED
        ]
    )
    count = listed[0].overdue_count if listed else 0
    rows = []
    for inquiry in listed:
        received_on = timezone.localdate(inquiry.created_at)
        rows.append(
            {
                "inquiry": inquiry,
                "received_on": received_on,
                "days_waiting": working_days_between(received_on, today),
                "assignee": _user_name(inquiry.assignee),
                "url": inquiry.get_absolute_url(),
            }
        )
    return {
        "rows": rows,
        "count": count,
        "working_days": FIRST_CONTACT_WORKING_DAYS,
        # The company is the record's name; the person at the company is personal data.
        "shows_personal_data": request.user.has_perm(PERSONAL_DATA_PERMISSION),
        "changelist_url": _changelist(
            DonationInquiry,
            status__exact=InquiryStatus.RECEIVED,
            created_at__lt=received_before.isoformat(),
        ),
    }


# --- Pledges whose payment has not arrived --------------------------------------------------


def overdue_payments(request, *, today: datetime.date | None = None) -> dict:
    """The pledges whose payment the city asked for more than DONATION_PAYMENT_OVERDUE_DAYS
    ago and from which no donation is recorded yet, the longest waiting first."""
    today = today or timezone.localdate()
    days = settings.DONATION_PAYMENT_OVERDUE_DAYS
    requested_before = today - datetime.timedelta(days=days)
    overdue = DonationInquiry.objects.payment_overdue(requested_before=requested_before)
    listed = list(
        overdue.select_related("assignee").annotate(overdue_count=Window(Count("pk")))[
            :OVERDUE_LISTED
        ]
    )
    rows = [
        {
            "inquiry": inquiry,
            "days_waiting": (today - inquiry.payment_requested_on).days,
            "assignee": _user_name(inquiry.assignee),
            "url": inquiry.get_absolute_url(),
        }
        for inquiry in listed
    ]
    return {
        "rows": rows,
        "count": listed[0].overdue_count if listed else 0,
        "days": days,
        "changelist_url": _changelist(
            DonationInquiry,
            status__exact=InquiryStatus.PLEDGED,
            payment_requested_on__lt=requested_before.isoformat(),
        ),
    }


def _user_name(user) -> str:
    if user is None:
        return ""
    return staff_name(user)


dashboard.register(
    dashboard.Panel(
        key="donations-by-fiscal-year",
        title=_("年度別の寄附"),
        template="admin/dashboard/donations_by_fiscal_year.html",
        is_visible_to=lambda user: dashboard.can_view(user, Donation),
        context=donations_by_fiscal_year,
        position=10,
    )
)
dashboard.register(
    dashboard.Panel(
        key="pledged-and-received",
        title=_("申出額と受領額"),
        template="admin/dashboard/pledged_and_received.html",
        is_visible_to=may_view_pledge_totals,
        context=pledged_and_received,
        position=15,
    )
)
dashboard.register(
    dashboard.Panel(
        key="overdue-inquiries",
        title=_("連絡待ちのお問い合わせ"),
        template="admin/dashboard/overdue_inquiries.html",
        is_visible_to=lambda user: dashboard.can_view(user, DonationInquiry),
        context=overdue_inquiries,
        position=20,
    )
)
dashboard.register(
    dashboard.Panel(
        key="overdue-payments",
        title=_("納付待ちの寄附の申出"),
        template="admin/dashboard/overdue_payments.html",
        is_visible_to=lambda user: dashboard.can_view(user, DonationInquiry),
        context=overdue_payments,
        position=25,
    )
)
dashboard.register(
    dashboard.Panel(
        key="inquiries-by-status",
        title=_("対応状況別のお問い合わせ"),
        template="admin/dashboard/inquiries_by_status.html",
        is_visible_to=lambda user: dashboard.can_view(user, DonationInquiry),
        context=inquiries_by_status,
        position=30,
    )
)
