"""The donations services: storing an inquiry with its e-mails, delivering them through a mail
server that may be down, and the staff follow-up (status, assignee, notes) with who and when."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.tasks import TaskResultStatus
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from donations.models import (
    INQUIRY_TRANSITIONS,
    DonationInquiry,
    InquiryNote,
    InquiryNotification,
    InquiryStatus,
    InquiryStatusChange,
)
from donations.services import (
    Attachment,
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_submit,
    notification_deliver,
    notification_queue,
    notification_resend,
    retry_delay,
)
from tests.projects.factories import ProjectFactory

from .inquiry_tools import inquiry_data, run_worker

pytestmark = pytest.mark.django_db

# Nothing listens on the discard port: the SMTP connection is refused for real, at once.
UNREACHABLE_MAILER = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
    }
}
LOCMEM_MAILER = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
ACKNOWLEDGEMENT_SUBJECT = "【平塚市】寄附のお問い合わせを受け付けました（受付番号 %(reference)s）"

_tokens = itertools.count()


def submit(*, language: str = "ja", token: str | None = None, projects=(), **overrides):
    return inquiry_submit(
        data=inquiry_data(**overrides),
        projects=projects,
        language=language,
        submission_token=token or f"token-{next(_tokens)}",
    )


def deferred_tasks() -> list:
    """Queued deliveries that wait for a later time (the retries), as django.tasks sees them."""
    now = timezone.now()
    return [
        row.task_result
        for row in DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        if row.task_result.task.run_after is not None and row.task_result.task.run_after > now
    ]


def let_time_pass() -> None:
    """Make every deferred delivery due, as if its wait had passed."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now() - timedelta(seconds=1)
    )


def queued_notification_ids() -> list[int]:
    rows = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return sorted(row.args_kwargs["args"][0] for row in rows)


# --- Submitting ----------------------------------------------------------------------------------


def test_submit_stores_the_inquiry_its_history_two_emails_and_two_tasks(mailoutbox):
    project = ProjectFactory(title_ja="第3世代波力発電")
    inquiry, created = submit(projects=[project])

    assert created is True
    stored = DonationInquiry.objects.get()
    assert stored == inquiry
    assert stored.status == InquiryStatus.RECEIVED
    assert stored.reference.startswith("D") and len(stored.reference) == 10
    assert list(stored.projects.all()) == [project]
    assert stored.privacy_consented_at is not None

    (change,) = InquiryStatusChange.objects.all()
    assert (change.inquiry, change.from_status, change.to_status) == (inquiry, "", "received")
    assert change.changed_by is None  # the company, through the public form

    notifications = {n.kind: n for n in InquiryNotification.objects.all()}
    assert set(notifications) == {"acknowledgement", "staff_notice"}
    acknowledgement = notifications["acknowledgement"]
    assert acknowledgement.recipient == "hanako@shonan-techno.example.jp"
    assert inquiry.reference in acknowledgement.subject
    assert inquiry.reference in acknowledgement.body
    assert "1,000,000円" in acknowledgement.body
    assert "第3世代波力発電" in acknowledgement.body
    staff_notice = notifications["staff_notice"]
    assert staff_notice.recipient == django_settings.DONATION_INQUIRY_STAFF_EMAIL
    assert inquiry.reference in staff_notice.subject
    assert "株式会社湘南テクノ" in staff_notice.subject
    assert "hanako@shonan-techno.example.jp" in staff_notice.body
    for notification in notifications.values():
        assert notification.state == InquiryNotification.State.PENDING
        assert notification.attempts == 0

    tasks = DBTaskResult.objects.all()
    assert {task.task_path for task in tasks} == {"donations.tasks.deliver_notification"}
    assert queued_notification_ids() == sorted(n.pk for n in notifications.values())
    # Queued, not sent: the worker sends them once the inquiry is committed.
    assert mailoutbox == []


def test_the_acknowledgement_is_written_in_the_companys_language():
    inquiry, _ = submit(language="en")
    acknowledgement = inquiry.notifications.get(kind="acknowledgement")
    staff_notice = inquiry.notifications.get(kind="staff_notice")
    # Staff read their notice in Japanese whatever language the company wrote in.
    assert "寄附予定額: 1,000,000円" in staff_notice.body
    with translation.override("en"):
        english_subject = translation.gettext(ACKNOWLEDGEMENT_SUBJECT)
    if english_subject == ACKNOWLEDGEMENT_SUBJECT:
        pytest.skip("the English catalogue has no translation of the acknowledgement yet")
    assert acknowledgement.subject == english_subject % {"reference": inquiry.reference}
    assert "¥1,000,000" in acknowledgement.body
    assert "FY2026" in acknowledgement.body
    assert "寄附" not in acknowledgement.subject + acknowledgement.body


def test_a_second_submission_of_the_same_form_returns_the_first_inquiry():
    first, created = submit(token="same-form")
    counts = (
        DonationInquiry.objects.count(),
        InquiryStatusChange.objects.count(),
        InquiryNotification.objects.count(),
        DBTaskResult.objects.count(),
    )

    again, created_again = submit(token="same-form", company_name="別の株式会社")

    assert (created, created_again) == (True, False)
    assert again == first
    assert again.company_name == "株式会社湘南テクノ"
    assert counts == (1, 1, 2, 2)
    assert (
        DonationInquiry.objects.count(),
        InquiryStatusChange.objects.count(),
        InquiryNotification.objects.count(),
        DBTaskResult.objects.count(),
    ) == counts


def test_an_amount_below_the_minimum_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError):
        submit(planned_amount=99_999)
    assert not DonationInquiry.objects.exists()
    assert not InquiryNotification.objects.exists()
    assert not DBTaskResult.objects.exists()


# --- Delivering ----------------------------------------------------------------------------------


def test_deliver_sends_the_stored_message_once_and_marks_it_sent(mailoutbox):
    inquiry, _ = submit()
    notification = inquiry.notifications.get(kind="acknowledgement")

    state = notification_deliver(notification_id=notification.pk)

    assert state == InquiryNotification.State.SENT
    (message,) = mailoutbox
    assert message.to == ["hanako@shonan-techno.example.jp"]
    assert message.subject == notification.subject
    assert message.body == notification.body
    assert message.from_email == django_settings.DEFAULT_FROM_EMAIL
    notification.refresh_from_db()
    assert notification.state == InquiryNotification.State.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert notification.next_attempt_at is None
    assert notification.last_error == ""

    # A late duplicate task finds it sent and sends nothing more.
    assert notification_deliver(notification_id=notification.pk) == "sent"
    assert len(mailoutbox) == 1


def queue_document(
    inquiry, *, name="寄附申出書.pdf", content=b"%PDF-1.7 the application", requested_by=None
):
    return notification_queue(
        requested_by=requested_by,
        inquiry=inquiry,
        kind=InquiryNotification.Kind.APPLICATION,
        recipient=inquiry.email,
        subject="【平塚市】寄附申出書をお送りします",
        body="添付の寄附申出書をご確認ください。",
        attachment=Attachment(name=name, content=content),
    )


def test_a_queued_document_is_mailed_with_its_attachment_as_sent(mailoutbox, staff):
    inquiry, _ = submit()

    notification = queue_document(inquiry, requested_by=staff)
    assert notification.requested_by == staff
    # Two copies of a document may be sent over an inquiry's life (a corrected application).
    second = queue_document(inquiry, content=b"%PDF-1.7 the corrected application")

    assert notification.pk in queued_notification_ids()
    assert notification_deliver(notification_id=notification.pk) == "sent"
    (message,) = mailoutbox
    assert message.to == [inquiry.email]
    assert message.attachments == [
        ("寄附申出書.pdf", b"%PDF-1.7 the application", "application/pdf")
    ]
    notification_deliver(notification_id=second.pk)
    assert mailoutbox[1].attachments[0][1] == b"%PDF-1.7 the corrected application"


def test_the_attached_copy_is_private(settings):
    inquiry, _ = submit()

    notification = queue_document(inquiry)

    stored = notification.attachment.path
    assert stored.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with pytest.raises(ValueError):
        notification.attachment.url  # noqa: B018 - private files have no URL


def test_a_refused_document_e_mail_leaves_no_file_behind(settings):
    inquiry, _ = submit()

    with pytest.raises(ValidationError):
        notification_queue(
            inquiry=inquiry,
            kind=InquiryNotification.Kind.APPLICATION,
            recipient="not an address",
            subject="件名",
            body="本文",
            attachment=Attachment(name="寄附申出書.pdf", content=b"%PDF"),
        )

    assert not inquiry.notifications.filter(kind="application").exists()
    stored = list((settings.PRIVATE_MEDIA_ROOT).rglob("*.pdf"))
    assert stored == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_connection_is_recorded_and_retried_by_the_worker(settings, mailoutbox):
    settings.MAILERS = UNREACHABLE_MAILER
    inquiry, _ = submit()
    before = timezone.now()

    run_worker()

    for notification in inquiry.notifications.all():
        assert notification.state == InquiryNotification.State.PENDING
        assert notification.attempts == 1
        assert notification.sent_at is None
        assert "ConnectionRefusedError" in notification.last_error
        wait = notification.next_attempt_at - before
        assert retry_delay(1) <= wait < retry_delay(1) + timedelta(seconds=30)
    retries = deferred_tasks()
    assert sorted(task.args[0] for task in retries) == sorted(
        inquiry.notifications.values_list("pk", flat=True)
    )
    assert {task.task.run_after for task in retries} == set(
        inquiry.notifications.values_list("next_attempt_at", flat=True)
    )
    assert mailoutbox == []

    # The mail server is back, but a retry waits for its time.
    settings.MAILERS = LOCMEM_MAILER
    run_worker()
    assert mailoutbox == []
    assert len(deferred_tasks()) == 2

    let_time_pass()
    run_worker()

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [inquiry.email, django_settings.DONATION_INQUIRY_STAFF_EMAIL]
    )
    for notification in inquiry.notifications.all():
        assert notification.state == InquiryNotification.State.SENT
        assert notification.attempts == 2
        assert notification.last_error == ""
        assert notification.next_attempt_at is None
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


@pytest.mark.django_db(transaction=True)
def test_after_days_of_retries_it_is_failed_until_staff_resend_it(
    settings, mailoutbox, time_machine
):
    settings.MAILERS = UNREACHABLE_MAILER
    settings.DONATION_MAIL_RETRY_MINUTES = (60 * 24,)
    settings.DONATION_MAIL_GIVE_UP_DAYS = 3
    time_machine.move_to(timezone.now(), tick=False)
    inquiry, _ = submit()
    notification = inquiry.notifications.get(kind="acknowledgement")

    # Tried at once, then daily: still waiting (not failed) on the third day.
    for attempt in range(1, 4):
        run_worker()
        notification.refresh_from_db()
        assert (notification.attempts, notification.state) == (attempt, "pending")
        time_machine.shift(timedelta(days=1))
    run_worker()
    notification.refresh_from_db()
    assert notification.attempts == 4

    assert notification.state == InquiryNotification.State.FAILED
    assert notification.next_attempt_at is None
    assert "ConnectionRefusedError" in notification.last_error
    # Nothing more is queued: the failure waits for staff, who see it in the admin.
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()

    notification_resend(notification=notification)
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("pending", 0)
    assert queued_notification_ids() == [notification.pk]

    # Resent while the server is still down: it gets its days of retries again.
    run_worker()
    notification.refresh_from_db()
    assert (notification.state, notification.attempts) == ("pending", 1)

    settings.MAILERS = LOCMEM_MAILER
    time_machine.shift(timedelta(days=1))
    run_worker()

    (message,) = mailoutbox
    assert message.to == [inquiry.email]
    notification.refresh_from_db()
    assert notification.state == InquiryNotification.State.SENT
    assert notification.attempts == 2


# --- The staff follow-up -------------------------------------------------------------------------


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(username="sangyo", is_staff=True, password=None)


@pytest.mark.parametrize(
    ("from_status", "to_status"),
    list(itertools.permutations(InquiryStatus.values, 2)),
)
def test_change_status_follows_the_workflow(staff, from_status, to_status):
    inquiry, _ = submit()
    DonationInquiry.objects.filter(pk=inquiry.pk).update(status=from_status)
    allowed = to_status in INQUIRY_TRANSITIONS[from_status]

    if allowed:
        change = inquiry_change_status(inquiry=inquiry, to_status=to_status, changed_by=staff)
        assert (change.from_status, change.to_status, change.changed_by) == (
            from_status,
            to_status,
            staff,
        )
        assert change.changed_at is not None
    else:
        with pytest.raises(ValidationError) as raised:
            inquiry_change_status(inquiry=inquiry, to_status=to_status, changed_by=staff)
        assert raised.value.code == "invalid_transition"
        assert str(InquiryStatus(to_status).label) in raised.value.messages[0]

    inquiry.refresh_from_db()
    assert inquiry.status == (to_status if allowed else from_status)
    assert inquiry.status_changes.filter(changed_by=staff).count() == int(allowed)


def test_the_whole_follow_up_is_recorded_with_who_and_in_order(staff, django_user_model):
    colleague = django_user_model.objects.create_user(username="kikaku", password=None)
    inquiry, _ = submit()
    inquiry_change_status(inquiry=inquiry, to_status="contacting", changed_by=staff)
    inquiry_change_status(inquiry=inquiry, to_status="pledged", changed_by=colleague)
    inquiry_change_status(inquiry=inquiry, to_status="donated", changed_by=staff)

    assert list(
        inquiry.status_changes.values_list("from_status", "to_status", "changed_by__username")
    ) == [
        ("", "received", None),
        ("received", "contacting", "sangyo"),
        ("contacting", "pledged", "kikaku"),
        ("pledged", "donated", "sangyo"),
    ]
    # A closed inquiry stays closed.
    with pytest.raises(ValidationError):
        inquiry_change_status(inquiry=inquiry, to_status="declined", changed_by=staff)


def test_change_status_checks_the_stored_status_not_a_stale_copy(staff):
    inquiry, _ = submit()
    stale = DonationInquiry.objects.get(pk=inquiry.pk)
    inquiry_change_status(inquiry=inquiry, to_status="declined", changed_by=staff)
    # Someone else's copy still says "received"; the service reads the stored status.
    with pytest.raises(ValidationError):
        inquiry_change_status(inquiry=stale, to_status="contacting", changed_by=staff)
    assert DonationInquiry.objects.get(pk=inquiry.pk).status == "declined"


def test_assign_sets_and_clears_the_assignee(staff):
    inquiry, _ = submit()
    inquiry_assign(inquiry=inquiry, assignee=staff)
    assert DonationInquiry.objects.get(pk=inquiry.pk).assignee == staff
    inquiry_assign(inquiry=inquiry, assignee=None)
    assert DonationInquiry.objects.get(pk=inquiry.pk).assignee is None


def test_a_note_records_its_author_and_date(staff):
    inquiry, _ = submit()
    before = timezone.now()
    note = inquiry_add_note(inquiry=inquiry, author=staff, body="  電話で制度を説明した。\n")

    stored = InquiryNote.objects.get()
    assert stored == note
    assert (stored.inquiry, stored.author, stored.body) == (
        inquiry,
        staff,
        "電話で制度を説明した。",
    )
    assert before <= stored.created_at <= timezone.now()


def test_an_empty_note_is_refused(staff):
    inquiry, _ = submit()
    with pytest.raises(ValidationError):
        inquiry_add_note(inquiry=inquiry, author=staff, body="   ")
    assert not InquiryNote.objects.exists()
