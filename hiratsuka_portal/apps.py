from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class HiratsukaPortalConfig(AppConfig):
    """The site itself: its own pages and their texts, composing what the apps contribute."""

    # apps.py holds a second config (below): this one is what "hiratsuka_portal" means.
    default = True
    name = "hiratsuka_portal"
    verbose_name = _("サイト")

    def ready(self):
        from .roles import roles_sync

        # Connects the second factor's part of a password sign-in (the lockout's reset).
        from .two_factor import signin  # noqa: F401

        # After every migrate the staff roles get exactly what roles.py grants: a model added
        # later has its permissions without anyone acting. Once per migrate: the handler
        # creates every app's permissions itself before applying the policy.
        post_migrate.connect(roles_sync, sender=self, dispatch_uid="hiratsuka_portal.roles_sync")


class TasksDatabaseConfig(TasksAppConfig):
    """django-tasks-db (the queue of e-mails to send) under a name staff can read: the package
    names itself "Tasks Database Backend", a plain string no catalogue can translate."""

    verbose_name = _("バックグラウンド処理")
