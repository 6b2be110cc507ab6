"""The audit trail (core/admin_history.py, core/history_text.py): every record keeps who, when and
old → new values, readable in Japanese in the admin; deletions are recorded and reachable."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse
from simple_history.models import HistoricalChanges

from core.admin_history import HistoryAdmin
from donations.models import (
    Donation,
    DonationApplication,
    DonationInquiry,
    DonationReceipt,
    InquiryNote,
    InquiryNotification,
    InquiryStatus,
    InquiryStatusChange,
    ReceiptSerial,
)
from donations.services import inquiry_change_status
from hiratsuka_portal import roles
from hiratsuka_portal.models import DemoDataMarker
from projects.models import Organization, Project
from tests.admin_tools import admin_url, open_page, post_change_form
from tests.donations.factories import DonationFactory, DonationInquiryFactory
from tests.projects.factories import OrganizationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"core", "hiratsuka_portal", "projects", "donations", "agreements"}

# Records that are themselves a trail, written once by code and never edited: each says who and
# when in its own fields, and goes only with the (tracked) record it belongs to.
UNTRACKED = {
    DonationApplication: "an issued document: frozen, with 発行者 and 発行日時; issued anew",
    DonationReceipt: "an issued document: frozen, with 発行者 and 発行日時, never deleted",
    InquiryNote: "a dated note with its 記入者, added by the service, never edited",
    InquiryStatusChange: "the inquiry's status log itself: who, from, to, when",
    InquiryNotification: "the e-mails sent about an inquiry: a delivery log of the task worker",
    ReceiptSerial: "the counter of receipt numbers per fiscal year; the numbers are on receipts",
    DemoDataMarker: "written by generate_demo_data alone, into demo databases; never edited",
}

# English that django-simple-history and the Django admin show where nobody translated them.
ENGLISH = [
    "Choose a date",
    "Changed by",
    "Change reason",
    "Date/time",
    "Comment",
    "Object",
    "None",
    "Revert",
    "History",
    "Deleted",
    "[ja]",
    "[en]",
]


def visible_text(response) -> str:
    """The page's text without its markup, scripts and attributes, spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def assert_japanese(response):
    text = visible_text(response)
    for word in ENGLISH:
        assert word not in text, word


def test_every_model_of_our_apps_keeps_a_history():
    untracked = [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS
        and not issubclass(model, HistoricalChanges)
        and not hasattr(model, "history")
    ]
    assert sorted(untracked, key=str) == sorted(UNTRACKED, key=str)


def test_every_admin_with_a_history_uses_the_japanese_history_admin():
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, SimpleHistoryAdmin):
            assert isinstance(model_admin, HistoryAdmin), model


# --- A donation's amount -------------------------------------------------------------------------


def test_a_changed_donation_amount_shows_who_and_the_old_and_new_amounts(user_with_role):
    officer = user_with_role(roles.DONATIONS_OFFICER, username="kifu")
    officer.user.last_name, officer.user.first_name = "平塚", "花子"
    officer.user.save()
    donation = DonationFactory(amount=1_000_000)

    assert post_change_form(officer, donation, amount="1500000").status_code == 302

    record = donation.history.latest()
    assert record.history_user == officer.user
    response = open_page(officer, admin_url(Donation, "history", donation.pk))
    rows = response.context["page_obj"].object_list
    # Family name first, as Japanese writes a name.
    assert rows[0].author_label == "平塚 花子"
    assert rows[0].type_label == "変更"
    page = visible_text(response)
    assert "金額（円）：1,000,000円 → 1,500,000円" in page
    # The factory's record has no user: the seed and commands are the system.
    assert "システム（初期データ）" in page and "作成" in page
    assert_japanese(response)


def test_a_version_page_shows_what_it_changed_and_can_be_reverted_to(staff_client):
    donation = DonationFactory(amount=1_000_000, publish_amount=False)
    post_change_form(staff_client, donation, amount="1500000", publish_amount="on")
    version = donation.history.latest()
    url = reverse("admin:donations_donation_simple_history", args=[donation.pk, version.pk])

    response = open_page(staff_client, url)
    changes = {c.label: (c.old, c.new) for c in response.context["version_changes"]}
    assert changes["金額（円）"] == ("1,000,000円", "1,500,000円")
    assert changes["金額を公表する"] == ("いいえ", "はい")
    page = visible_text(response)
    assert "この版で変わった項目" in page and "この版に戻す" in page
    assert "Revert" not in page and "None" not in page

    # Reverting to the first version is a change like any other, recorded with its author.
    first = donation.history.earliest()
    url = reverse("admin:donations_donation_simple_history", args=[donation.pk, first.pk])
    data = {**post_data(open_page(staff_client, url)), "_save": "この版に戻す"}
    assert staff_client.post(url, data).status_code == 302
    donation.refresh_from_db()
    assert donation.amount == 1_000_000
    assert donation.history.latest().history_user == staff_client.user


def post_data(response) -> dict:
    """The version's form as the browser sends it back (a version page has no inlines)."""
    data = {}
    for field in response.context["adminform"].form:
        value = field.value()
        if isinstance(value, bool):
            if value:
                data[field.html_name] = "on"
        elif value is not None:
            data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


# --- An inquiry's status -------------------------------------------------------------------------


def test_an_inquiry_status_change_is_traced_to_who_set_it(user_with_role):
    officer = user_with_role(roles.DONATIONS_OFFICER, username="kifu")
    inquiry = DonationInquiryFactory()

    # Through the follow-up form ...
    post_change_form(officer, inquiry, status=InquiryStatus.CONTACTING)
    assert inquiry.history.latest().history_user == officer.user
    # ... through an action ...
    officer.post(
        admin_url(DonationInquiry, "changelist"),
        {"action": "mark_pledged", "_selected_action": [inquiry.pk]},
    )
    assert inquiry.history.latest().status == InquiryStatus.PLEDGED
    assert inquiry.history.latest().history_user == officer.user
    # ... and from code, outside any request.
    inquiry_change_status(inquiry=inquiry, to_status=InquiryStatus.DONATED, changed_by=officer.user)
    assert inquiry.history.latest().history_user == officer.user

    response = open_page(officer, admin_url(DonationInquiry, "history", inquiry.pk))
    page = visible_text(response)
    for line in [
        "対応状況：受付 → 連絡中",
        "対応状況：連絡中 → 寄附の申出あり",
        "対応状況：寄附の申出あり → 寄附済み",
    ]:
        assert line in page
    assert "received" not in page and "contacting" not in page
    assert_japanese(response)


def test_the_inquiry_status_panel_shows_labels_not_codes(user_with_role):
    officer = user_with_role(roles.DONATIONS_OFFICER, username="kifu")
    inquiry = DonationInquiryFactory()
    inquiry_change_status(
        inquiry=inquiry, to_status=InquiryStatus.CONTACTING, changed_by=officer.user
    )
    page = open_page(officer, admin_url(DonationInquiry, "change", inquiry.pk)).content.decode()
    assert "受付 → 連絡中" in page
    assert "→ contacting" not in page and "received →" not in page
    assert "kifu" in page


def test_an_inquiry_cannot_be_reverted_to_a_past_status(staff_client):
    inquiry = DonationInquiryFactory()
    first = inquiry.history.earliest()
    inquiry_change_status(
        inquiry=inquiry, to_status=InquiryStatus.CONTACTING, changed_by=staff_client.user
    )
    url = reverse("admin:donations_donationinquiry_simple_history", args=[inquiry.pk, first.pk])
    response = open_page(staff_client, url)
    assert "この版に戻す" not in visible_text(response)
    assert staff_client.post(url, {"status": InquiryStatus.RECEIVED}).status_code == 403
    assert DonationInquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.CONTACTING


# --- Translated fields ---------------------------------------------------------------------------


def test_a_translated_field_is_listed_once_per_language(user_with_role):
    editor = user_with_role(roles.EDITOR)
    organization = OrganizationFactory(name_ja="平塚製作所", name_en="Hiratsuka Works")
    data = {"name_ja": "平塚製作所（本社）", "name_en": "Hiratsuka Works HQ"}
    assert post_change_form(editor, organization, **data).status_code == 302

    response = open_page(editor, admin_url(Organization, "history", organization.pk))
    page = visible_text(response)
    assert page.count("名称（日本語）：平塚製作所 → 平塚製作所（本社）") == 1
    assert page.count("名称（英語）：Hiratsuka Works → Hiratsuka Works HQ") == 1
    assert "名称：" not in page
    assert_japanese(response)


def test_a_long_text_is_shortened_in_the_list_and_whole_on_the_version_page(staff_client):
    project = ProjectFactory(description_ja="短い説明")
    long_text = "平塚沖で新しい波力発電装置を試験します。" * 10
    project.description_ja = long_text
    project.save()
    response = open_page(staff_client, admin_url(Project, "history", project.pk))
    change = response.context["page_obj"].object_list[0].readable_changes[0]
    assert change.new.endswith("…") and len(change.new) <= 80
    version = project.history.latest()
    url = reverse("admin:projects_project_simple_history", args=[project.pk, version.pk])
    changes = open_page(staff_client, url).context["version_changes"]
    assert changes[0].new == long_text


# --- Deletions -----------------------------------------------------------------------------------


def test_a_deletion_is_recorded_and_its_history_stays_reachable(user_with_role):
    editor = user_with_role(roles.EDITOR, username="henshu")
    project = ProjectFactory(title_ja="水中カメラロボット")
    response = editor.post(admin_url(Project, "delete", project.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Project.objects.filter(pk=project.pk).exists()

    deletion = Project.history.filter(id=project.pk).latest()
    assert deletion.history_type == "-" and deletion.history_user == editor.user

    # The changelist leads to the deleted records, and each to its history.
    changelist = open_page(editor, admin_url(Project, "changelist")).content.decode()
    assert admin_url(Project, "deleted") in changelist and "削除された記録" in changelist
    response = open_page(editor, admin_url(Project, "deleted"))
    page = visible_text(response)
    assert "水中カメラロボット" in page and "henshu" in page
    assert admin_url(Project, "history", project.pk) in response.content.decode()
    assert_japanese(response)

    response = open_page(editor, admin_url(Project, "history", project.pk))
    page = visible_text(response)
    assert "削除" in page and "記録を削除しました" in page
    assert_japanese(response)


def test_the_deleted_records_need_the_view_permission(user_with_role):
    editor = user_with_role(roles.EDITOR)
    assert editor.get(admin_url(Donation, "deleted")).status_code == 403
    viewer = user_with_role(roles.VIEWER)
    open_page(viewer, admin_url(Donation, "deleted"))


def test_no_history_page_shows_english_or_none(staff_client):
    project = ProjectFactory()
    project.title_ja = "波力船"
    project.end_fiscal_year = None
    project.save()
    response = open_page(staff_client, admin_url(Project, "history", project.pk))
    assert_japanese(response)
    assert "令和7年度（2025年度） → （空欄）" in visible_text(response)
    # Nobody gave a reason for any change: no empty column for one.
    assert "変更の理由" not in visible_text(response)
    version = project.history.latest()
    url = reverse("admin:projects_project_simple_history", args=[project.pk, version.pk])
    assert "None" not in visible_text(open_page(staff_client, url))
