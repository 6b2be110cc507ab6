"""Mail after an outage of the mail server: the back-off is capped, so once the server is back
every waiting e-mail leaves within the last wait (5 minutes by default), whatever the outage's
length, and each leaves exactly once. The clock is frozen and moved from one due retry to the
next; the real task worker runs each time against a real (refused) SMTP connection, then the
locmem outbox once the server is "back"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from donations.models import InquiryNotification
from donations.services import inquiry_submit

from .inquiry_tools import inquiry_data, run_worker
from .test_services import LOCMEM_MAILER, UNREACHABLE_MAILER

pytestmark = pytest.mark.django_db(transaction=True)


def next_due():
    """When the worker next has something to do (the earliest queued retry), or None."""
    row = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .order_by("run_after")
        .values_list("run_after", flat=True)
        .first()
    )
    return row


@pytest.mark.parametrize(
    "outage", [timedelta(minutes=10), timedelta(hours=3), timedelta(days=2)], ids=str
)
def test_after_an_outage_waiting_mail_leaves_within_five_minutes_once(
    settings, mailoutbox, time_machine, outage
):
    settings.MAILERS = UNREACHABLE_MAILER
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    inquiry, _ = inquiry_submit(
        data=inquiry_data(), projects=[], language="ja", submission_token="outage"
    )

    # The server is down: every due attempt fails, until the outage is over.
    run_worker()
    while (due := next_due()) is not None and due <= start + outage:
        time_machine.move_to(due, tick=False)
        run_worker()
    assert mailoutbox == []
    notifications = list(inquiry.notifications.all())
    assert {n.state for n in notifications} == {InquiryNotification.State.PENDING}
    assert all("ConnectionRefusedError" in n.last_error for n in notifications)

    # Back one second after the last failed attempt: the longest anyone can wait.
    recovered_at = timezone.now() + timedelta(seconds=1)
    time_machine.move_to(recovered_at, tick=False)
    settings.MAILERS = LOCMEM_MAILER
    while (due := next_due()) is not None and due <= recovered_at + timedelta(days=1):
        time_machine.move_to(max(due, timezone.now()), tick=False)
        run_worker()

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [inquiry.email, django_settings.DONATION_INQUIRY_STAFF_EMAIL]
    )
    for notification in inquiry.notifications.all():
        assert notification.state == InquiryNotification.State.SENT
        assert notification.sent_at - recovered_at <= timedelta(minutes=5)
    # Nothing is left queued to send them again.
    assert next_due() is None
