"""django-axes under a Japanese name in the admin index (its own is the bare label "Axes")."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class PortalAxesConfig(AxesAppConfig):
    verbose_name = _("ログインの保護")
