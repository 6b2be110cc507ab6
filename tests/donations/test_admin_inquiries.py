"""The Japanese admin's list of donation inquiries (donations/admin/inquiries.py): every page
opens, the list is searchable and filterable, shows how old each inquiry is and whether its
e-mails went out, without N+1 queries. Following an inquiry up is in
test_admin_inquiry_follow_up.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from donations.models import DonationInquiry
from tests.admin_tools import (
    admin_url,
    open_every_filter_choice,
    open_its_pages,
    open_page,
    search,
)
from tests.projects.factories import ProjectFactory

from .factories import ALL_SENT, DonationInquiryFactory

pytestmark = pytest.mark.django_db


# --- Every page opening --------------------------------------------------------------------------


def test_changelist_change_and_history_pages_open_but_no_add_page(staff_client, inquiry):
    # Inquiries come from the public form only.
    changelist, _change = open_its_pages(staff_client, inquiry, add=403)
    assert "D26-ABC234" in changelist


def test_the_admin_speaks_japanese(staff_client, inquiry):
    page = open_page(staff_client, admin_url(DonationInquiry, "changelist")).content.decode()
    for label in [
        "受付番号",
        "法人名",
        "寄附予定額",
        "寄附予定年度",
        "対応状況",
        "担当者",
        "経過日数",
        "通知メール",
        "今すぐ送信する",
        "通知メールを再送する",
        "自分を担当者にする",
        "連絡中にする",
    ]:
        assert label in page, label
    page = open_page(staff_client, admin_url(DonationInquiry, "change", inquiry.pk))
    for label in ["対応メモを追加", "対応メモ", "対応状況の履歴", "送信試行回数", "直近のエラー"]:
        assert label in page.content.decode(), label


# --- Search and filters --------------------------------------------------------------------------


def test_search_finds_the_inquiry(staff_client, inquiry):
    for term in [
        "株式会社湘南テクノ",
        "ショウナンテクノ",
        "山田",
        "hanako",
        "7000012050002",
        "D26-ABC234",
    ]:
        assert search(staff_client, DonationInquiry, term) == [inquiry], term
    assert search(staff_client, DonationInquiry, "該当なし") == []


def test_every_filter_choice_opens(staff_client, inquiry):
    filters, choices = open_every_filter_choice(staff_client, DonationInquiry)
    assert choices > filters


@pytest.mark.parametrize(
    ("matching", "other", "query"),
    [
        ({"status": "contacting"}, {}, "status__exact=contacting"),
        ({"planned_fiscal_year": 2027}, {}, "planned_fiscal_year=2027"),
    ],
)
def test_an_inquiry_filter_keeps_only_the_matching_rows(staff_client, matching, other, query):
    wanted = DonationInquiryFactory(**matching)
    DonationInquiryFactory(**other)
    url = admin_url(DonationInquiry, "changelist")
    assert list(open_page(staff_client, f"{url}?{query}").context["cl"].result_list) == [wanted]


def test_inquiries_filter_by_assignee_and_project(staff_client, inquiry):
    wanted = inquiry
    DonationInquiryFactory(projects=[ProjectFactory()])
    url = admin_url(DonationInquiry, "changelist")
    project = wanted.projects.get()
    for query in [f"assignee__id__exact={wanted.assignee_id}", f"projects__id__exact={project.pk}"]:
        assert list(open_page(staff_client, f"{url}?{query}").context["cl"].result_list) == [wanted]


def test_inquiries_are_browsed_by_date(staff_client):
    wanted = DonationInquiryFactory()
    older = DonationInquiryFactory()
    DonationInquiry.objects.filter(pk=older.pk).update(
        created_at=wanted.created_at - timedelta(days=800)
    )
    day = timezone.localtime(wanted.created_at)
    url = admin_url(DonationInquiry, "changelist")
    assert f"created_at__year={day.year}" in open_page(staff_client, url).content.decode()
    query = f"created_at__year={day.year}&created_at__month={day.month}&created_at__day={day.day}"
    assert list(open_page(staff_client, f"{url}?{query}").context["cl"].result_list) == [wanted]


# --- What the list shows -------------------------------------------------------------------------


def test_inquiry_list_shows_amount_year_age_and_notification_state(staff_client):
    sent = DonationInquiryFactory(notifications=ALL_SENT)
    failed = DonationInquiryFactory(
        notifications={"acknowledgement": "failed", "staff_notice": "sent"}
    )
    waiting = DonationInquiryFactory(
        notifications={"acknowledgement": "pending", "staff_notice": "sent"}
    )
    DonationInquiry.objects.filter(pk=sent.pk).update(created_at=timezone.now() - timedelta(days=3))
    response = open_page(staff_client, admin_url(DonationInquiry, "changelist"))
    model_admin = admin.site._registry[DonationInquiry]
    rows = {row.pk: row for row in response.context["cl"].result_list}
    assert model_admin.age(rows[sent.pk]) == "3日"
    assert model_admin.age(rows[failed.pk]) == "0日"
    assert model_admin.notification_summary(rows[sent.pk]) == "送信済み 2/2"
    assert model_admin.notification_summary(rows[failed.pk]) == "送信失敗 1"
    assert model_admin.notification_summary(rows[waiting.pk]) == "送信待ち 1/2"
    page = response.content.decode()
    for text in ["1,000,000円", "令和8年度（2026年度）", "3日", "送信済み 2/2", "送信失敗 1"]:
        assert text in page, text
    # Newest first by default; sorting by age puts the youngest first, then the oldest.
    assert list(rows)[-1] == sent.pk
    cl = response.context["cl"]
    column = cl.list_display.index("age")
    url = admin_url(DonationInquiry, "changelist")
    by_age = open_page(staff_client, f"{url}?o={column}").context["cl"].result_list
    assert by_age[len(by_age) - 1].pk == sent.pk
    by_age_desc = open_page(staff_client, f"{url}?o=-{column}").context["cl"].result_list
    assert by_age_desc[0].pk == sent.pk


def test_the_inquiry_list_takes_as_many_queries_for_50_rows_as_for_5(
    staff_client, django_user_model
):
    projects = ProjectFactory.create_batch(3)

    def add_inquiries(count: int) -> None:
        start = DonationInquiry.objects.count()
        for n in range(start, start + count):
            assignee = django_user_model.objects.create_user(
                username=f"staff{n}", is_staff=True, password=None
            )
            DonationInquiryFactory(
                assignee=assignee,
                projects=projects[: n % 3 + 1],
                notifications={"acknowledgement": "sent", "staff_notice": "failed"},
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = open_page(staff_client, admin_url(DonationInquiry, "changelist"))
        assert "送信失敗 1" in response.content.decode()
        return len(context.captured_queries)

    add_inquiries(5)
    with_5 = queries()
    add_inquiries(45)
    assert queries() == with_5
