"""Background tasks (django.tasks): run by `manage.py db_worker`."""

from django.tasks import task


@task
def deliver_notification(notification_id: int) -> str:
    # Imported here: services import this module to enqueue the task.
    from .services import notification_deliver

    return notification_deliver(notification_id=notification_id)
