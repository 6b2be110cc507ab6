"""「今すぐ送信する」: staff send an e-mail that waits for its next retry at once (the mail server
is back), through the real task worker. The mail leaves once, however many times staff click
and whatever retry was already scheduled; a sent one is never sent again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from donations.models import DonationInquiry, InquiryNotification
from donations.services import inquiry_submit, notification_send_now
from tests.admin_tools import admin_url, page_messages

from .inquiry_tools import inquiry_data, run_worker
from .test_services import LOCMEM_MAILER, UNREACHABLE_MAILER, let_time_pass

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def waiting(settings):
    """An inquiry whose two e-mails failed once (the server was down) and wait for a retry."""
    settings.MAILERS = UNREACHABLE_MAILER
    inquiry, _ = inquiry_submit(
        data=inquiry_data(), projects=[], language="ja", submission_token="send-now"
    )
    run_worker()
    assert set(inquiry.notifications.values_list("state", flat=True)) == {"pending"}
    assert all(n.next_attempt_at > timezone.now() for n in inquiry.notifications.all())
    settings.MAILERS = LOCMEM_MAILER  # the server is back
    return inquiry


def send_now(client, inquiry):
    return client.post(
        admin_url(DonationInquiry, "changelist"),
        {"action": "send_notifications_now", "_selected_action": [str(inquiry.pk)]},
        follow=True,
    )


def test_a_pending_mail_is_sent_at_once_and_who_asked_is_recorded(
    staff_client, waiting, mailoutbox
):
    response = send_now(staff_client, waiting)

    assert ("success", "2件の通知メールを今すぐ送信します。") in page_messages(response)
    for notification in waiting.notifications.all():
        assert notification.send_now_requested_by == staff_client.user
        assert notification.send_now_requested_at is not None
    # Before its retry was due: the worker sends them now.
    run_worker()
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        waiting.notifications.values_list("recipient", flat=True)
    )
    assert set(waiting.notifications.values_list("state", flat=True)) == {"sent"}
    page = staff_client.get(admin_url(DonationInquiry, "change", waiting.pk)).content.decode()
    assert "今すぐ送信を指示した職員" in page


def test_two_clicks_and_the_scheduled_retry_send_one_mail(staff_client, waiting, mailoutbox):
    send_now(staff_client, waiting)
    second = send_now(staff_client, waiting)
    assert (
        "info",
        "2件の通知メールはすでに送信中です（二重には送信しません）。",
    ) in page_messages(second)

    run_worker()
    # The retry scheduled before staff clicked comes due: it finds its attempt made.
    let_time_pass()
    run_worker()

    assert len(mailoutbox) == 2
    assert {n.attempts for n in waiting.notifications.all()} == {2}


def test_a_sent_mail_cannot_be_sent_again(staff_client, waiting, mailoutbox):
    assert send_now(staff_client, waiting).status_code == 200
    run_worker()
    assert len(mailoutbox) == 2

    response = send_now(staff_client, waiting)
    assert (
        "warning",
        "選択したお問い合わせの通知メールはすべて送信済みです。",
    ) in page_messages(response)
    acknowledgement = waiting.notifications.get(kind=InquiryNotification.Kind.ACKNOWLEDGEMENT)
    with pytest.raises(ValidationError) as refused:
        notification_send_now(notification=acknowledgement, requested_by=staff_client.user)
    assert refused.value.code == "already_sent"
    assert "送信済みです" in refused.value.messages[0]
    run_worker()
    assert len(mailoutbox) == 2


def test_a_failed_mail_can_be_sent_now_too(staff_client, waiting, mailoutbox):
    waiting.notifications.update(state=InquiryNotification.State.FAILED, next_attempt_at=None)
    let_time_pass()
    run_worker()  # the old retries find nothing pending
    assert mailoutbox == []

    send_now(staff_client, waiting)
    run_worker()

    assert len(mailoutbox) == 2
    assert timezone.now() - waiting.notifications.first().sent_at < timedelta(minutes=1)
