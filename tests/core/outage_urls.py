"""Pages that meet a database outage, for tests/core/test_outage.py."""

from django.conf.urls.i18n import i18n_patterns
from django.db import OperationalError
from django.urls import path


def unreachable(request):
    raise OperationalError("connection refused")


def broken(request):
    raise ValueError("a bug, not an outage")


urlpatterns = [
    path("broken/", broken),
    *i18n_patterns(path("unreachable/", unreachable), prefix_default_language=False),
]

handler500 = "core.outage.server_error"
