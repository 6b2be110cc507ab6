from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kit every app builds on; it imports none of them (see README, "How the code is laid
    out")."""

    name = "core"
    verbose_name = _("サイト情報")
