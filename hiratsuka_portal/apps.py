from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HiratsukaPortalConfig(AppConfig):
    """The site itself: its own pages and their texts, composing what the apps contribute."""

    name = "hiratsuka_portal"
    verbose_name = _("サイト")
