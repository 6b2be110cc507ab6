"""Background tasks (django.tasks): run by `manage.py db_worker`."""

from django.tasks import task


@task
def deliver_notification(notification_id: int, attempt: int | None = None) -> str:
    # Imported here: services import this module to enqueue the task. ``attempt`` is which
    # attempt the task makes (None: whichever is next, as the tasks queued with the mail).
    from .services import notification_deliver

    return notification_deliver(notification_id=notification_id, attempt=attempt)
