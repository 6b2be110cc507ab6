"""Following a donation inquiry up in the Japanese admin (donations/admin/inquiries.py): status,
assignee and notes go through the services, which record who did what and when, while what the
company sent stays as it sent it; the actions and who may do what."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.tasks import TaskResultStatus
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from donations.models import (
    DonationInquiry,
    InquiryNote,
    InquiryNotification,
    InquiryStatus,
    InquiryStatusChange,
)
from tests.admin_tools import admin_url, open_page, page_messages, post_change_form

from .factories import ALL_SENT, DonationInquiryFactory

pytestmark = pytest.mark.django_db


def run_action(client, action: str, *inquiries, follow: bool = True):
    return client.post(
        admin_url(DonationInquiry, "changelist"),
        {"action": action, "_selected_action": [str(i.pk) for i in inquiries]},
        follow=follow,
    )


# --- An inquiry's change page --------------------------------------------------------------------


def test_what_the_company_sent_is_shown_but_cannot_be_changed(staff_client, inquiry):
    url = admin_url(DonationInquiry, "change", inquiry.pk)
    response = open_page(staff_client, url)
    page = response.content.decode()
    for text in [
        "株式会社湘南テクノ",
        "神奈川県横浜市西区みなとみらい1-1-1",
        "1,000,000円",
        "令和8年度（2026年度）",
        "第3世代波力発電",
        inquiry.email,
    ]:
        assert text in page, text
    # The representative is no fact the company must give: staff may record it (寄附申出書).
    assert set(response.context["adminform"].form.fields) == {
        "representative",
        "status",
        "assignee",
        "payment_method",
        "payment_requested_on",
        "new_note",
    }
    assert 'id="add_id_assignee"' not in page and 'id="delete_id_assignee"' not in page

    records, log_entries = inquiry.history.count(), LogEntry.objects.count()
    response = post_change_form(
        staff_client,
        inquiry,
        company_name="書き換えた株式会社",
        planned_amount="999999999",
        email="other@example.jp",
    )
    assert response.status_code == 302
    # Saved once, as it was: the admin logs the save, and nothing of the inquiry changed.
    assert LogEntry.objects.count() == log_entries + 1
    assert inquiry.history.count() == records
    inquiry.refresh_from_db()
    assert inquiry.company_name == "株式会社湘南テクノ"
    assert inquiry.planned_amount == 1_000_000
    assert inquiry.email.startswith("hanako")


def test_changing_the_status_records_who_and_when(staff_client, inquiry):
    before = timezone.now()
    records = inquiry.history.count()
    response = post_change_form(staff_client, inquiry, status="contacting")
    assert response.status_code == 302, response.context and response.context["errors"]
    # One status change (below) and one new version of the inquiry.
    assert inquiry.history.count() == records + 1

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CONTACTING
    change = InquiryStatusChange.objects.get(inquiry=inquiry)
    assert (change.from_status, change.to_status) == ("received", "contacting")
    assert change.changed_by == staff_client.user
    assert change.changed_at >= before
    assert inquiry.history.latest().history_user == staff_client.user

    page = open_page(staff_client, admin_url(DonationInquiry, "change", inquiry.pk))
    assert "連絡中" in page.content.decode()
    history = open_page(staff_client, admin_url(DonationInquiry, "history", inquiry.pk))
    assert "sangyo" in history.content.decode()


def test_an_invalid_transition_is_a_form_error_and_changes_nothing(staff_client, inquiry):
    note_count = InquiryNote.objects.count()
    response = post_change_form(
        staff_client, inquiry, status="donated", new_note="寄附済みにしたい", assignee=""
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert [error.code for error in form.errors.as_data()["status"]] == ["invalid_transition"]
    assert "「受付」から「寄附済み」には変更できません。" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.RECEIVED
    assert inquiry.assignee is not None
    assert not InquiryStatusChange.objects.filter(inquiry=inquiry).exists()
    assert InquiryNote.objects.count() == note_count


def test_the_status_field_says_which_statuses_may_follow(staff_client, inquiry):
    url = admin_url(DonationInquiry, "change", inquiry.pk)
    page = open_page(staff_client, url).content.decode()
    assert "次に選べる対応状況：連絡中、見送り（市）、取下げ（企業）" in page
    DonationInquiry.objects.filter(pk=inquiry.pk).update(status="donated")
    assert "この対応状況からは変更できません。" in open_page(staff_client, url).content.decode()


def test_a_note_is_added_with_its_author_and_listed(staff_client, inquiry):
    notes = InquiryNote.objects.count()
    response = post_change_form(staff_client, inquiry, new_note="  電話で制度を説明した。 ")
    assert response.status_code == 302
    assert InquiryNote.objects.count() == notes + 1

    note = InquiryNote.objects.get(inquiry=inquiry)
    assert (note.author, note.body) == (staff_client.user, "電話で制度を説明した。")
    # Nothing else changed: saving the form with only a note records no status change.
    assert not InquiryStatusChange.objects.filter(inquiry=inquiry).exists()
    page = open_page(staff_client, admin_url(DonationInquiry, "change", inquiry.pk))
    assert "電話で制度を説明した。" in page.content.decode()

    # An empty note box adds nothing.
    post_change_form(staff_client, inquiry, new_note="   ")
    assert InquiryNote.objects.filter(inquiry=inquiry).count() == 1


def test_the_assignee_is_changed_through_the_form(staff_client, inquiry, django_user_model):
    colleague = django_user_model.objects.create_user(
        username="kanri", is_staff=True, password=None
    )
    outsider = django_user_model.objects.create_user(username="shimin", password=None)

    response = post_change_form(staff_client, inquiry, assignee=str(outsider.pk))
    assert response.status_code == 200
    assert "assignee" in response.context["adminform"].form.errors

    records = inquiry.history.count()
    response = post_change_form(staff_client, inquiry, assignee=str(colleague.pk))
    assert response.status_code == 302
    # Changed once, and only the assignee.
    assert inquiry.history.count() == records + 1
    inquiry.refresh_from_db()
    assert inquiry.assignee == colleague
    assert inquiry.status == InquiryStatus.RECEIVED

    post_change_form(staff_client, inquiry, assignee="")
    inquiry.refresh_from_db()
    assert inquiry.assignee is None


def test_the_change_page_lists_notes_status_history_and_emails(staff_client, inquiry):
    InquiryStatusChange.objects.create(inquiry=inquiry, from_status="", to_status="received")
    InquiryNote.objects.create(inquiry=inquiry, author=staff_client.user, body="初回の連絡メモ")
    InquiryNotification.objects.filter(inquiry=inquiry, kind="acknowledgement").update(
        state="failed", last_error="ConnectionRefusedError: [Errno 111]", attempts=6
    )
    response = open_page(staff_client, admin_url(DonationInquiry, "change", inquiry.pk))
    page = response.content.decode()
    for text in [
        "初回の連絡メモ",
        "sangyo",
        "受付",
        "送信失敗",
        "ConnectionRefusedError",
        "受付確認",
    ]:
        assert text in page, text
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission


# --- Actions -------------------------------------------------------------------------------------


def test_the_resend_action_requeues_unsent_notifications(staff_client):
    inquiry = DonationInquiryFactory(
        notifications={"acknowledgement": "failed", "staff_notice": "sent"}
    )
    done = DonationInquiryFactory(notifications=ALL_SENT)

    response = run_action(staff_client, "resend_notifications", inquiry, done)

    assert ("success", "1件の通知メールを再送します。") in page_messages(response)
    failed = inquiry.notifications.get(kind="acknowledgement")
    assert (failed.state, failed.attempts, failed.next_attempt_at) == ("pending", 0, None)
    assert inquiry.notifications.get(kind="staff_notice").state == "sent"
    (task,) = DBTaskResult.objects.all()
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["args"] == [failed.pk]

    response = run_action(staff_client, "resend_notifications", done)
    assert page_messages(response)[0][0] == "warning"
    assert DBTaskResult.objects.count() == 1


def test_assign_to_me(staff_client):
    inquiries = DonationInquiryFactory.create_batch(2)
    response = run_action(staff_client, "assign_to_me", *inquiries)
    assert ("success", "2件の担当者をsangyoにしました。") in page_messages(response)
    assert set(DonationInquiry.objects.values_list("assignee", flat=True)) == {staff_client.user.pk}


def test_status_actions_change_what_may_change_and_report_the_rest(staff_client):
    received = DonationInquiryFactory()
    closed = DonationInquiryFactory(status=InquiryStatus.DONATED)

    response = run_action(staff_client, "mark_contacting", received, closed)

    received.refresh_from_db()
    closed.refresh_from_db()
    assert (received.status, closed.status) == ("contacting", "donated")
    change = InquiryStatusChange.objects.get()
    assert (change.inquiry, change.changed_by) == (received, staff_client.user)
    assert page_messages(response) == [
        ("error", f"{closed.reference}：「寄附済み」から「連絡中」には変更できません。"),
        ("success", "1件を「連絡中」にしました。"),
    ]

    run_action(staff_client, "mark_pledged", received)
    run_action(staff_client, "mark_donated", received)
    received.refresh_from_db()
    assert received.status == "donated"
    assert InquiryStatusChange.objects.filter(changed_by=staff_client.user).count() == 3


# --- Permissions ---------------------------------------------------------------------------------


def test_only_superusers_may_delete_inquiries(staff_client, inquiry, django_user_model):
    clerk = django_user_model.objects.create_user(username="clerk", is_staff=True, password=None)
    # Every permission of the app, delete included: deleting still takes a superuser.
    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="donations"))
    client = Client()
    client.force_login(clerk)
    delete_url = admin_url(DonationInquiry, "delete", inquiry.pk)
    open_page(client, admin_url(DonationInquiry, "change", inquiry.pk))
    open_page(client, admin_url(DonationInquiry, "add"), 403)
    open_page(client, delete_url, 403)
    actions = open_page(client, admin_url(DonationInquiry, "changelist")).context["action_form"]
    assert "delete_selected" not in dict(actions.fields["action"].choices)

    deleted = DonationInquiry.history.filter(history_type="-")
    assert not deleted.exists()
    response = staff_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not DonationInquiry.objects.exists()
    # That inquiry, once, and its history says who deleted it.
    assert list(deleted.values_list("id", "history_user")) == [(inquiry.pk, staff_client.user.pk)]

    # Spam, several at once, with everything stored with it.
    spam = DonationInquiryFactory.create_batch(2, notifications=ALL_SENT)
    InquiryNote.objects.create(inquiry=spam[0], author=clerk, body="迷惑な送信")
    response = staff_client.post(
        admin_url(DonationInquiry, "changelist"),
        {"action": "delete_selected", "_selected_action": [i.pk for i in spam], "post": "yes"},
    )
    assert response.status_code == 302
    assert not DonationInquiry.objects.exists()
    assert not InquiryNotification.objects.exists() and not InquiryNote.objects.exists()
    # Besides the first one, the two selected: each deleted once.
    assert sorted(deleted.values_list("id", flat=True)) == sorted(
        [inquiry.pk, *(spam_inquiry.pk for spam_inquiry in spam)]
    )


def test_staff_who_may_only_view_see_the_inquiry_and_its_records(
    client, inquiry, django_user_model
):
    InquiryNote.objects.create(inquiry=inquiry, author=inquiry.assignee, body="閲覧のみのメモ")
    viewer = django_user_model.objects.create_user(username="etsuran", is_staff=True, password=None)
    # Notes quote the contact person: they come with the personal data (see test_roles.py).
    viewer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_donationinquiry", "view_personal_data"])
    )
    client.force_login(viewer)
    page = open_page(client, admin_url(DonationInquiry, "change", inquiry.pk)).content.decode()
    assert "閲覧のみのメモ" in page
    assert 'name="new_note"' not in page
    run_action(client, "assign_to_me", inquiry)
    inquiry.refresh_from_db()
    assert inquiry.assignee.username == "kikaku"
