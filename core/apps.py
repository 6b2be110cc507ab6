from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kit every app builds on; it imports none of them.

    At start-up it imports each installed app's ``search``, ``opendata``, ``news``,
    ``sitemaps`` and ``dashboard`` modules, as the admin imports ``admin.py``: that is where an
    app declares what it adds to the site search, the open data, what's new, the sitemap and the
    staff dashboard on the admin index."""

    name = "core"
    verbose_name = _("サイト情報")

    def ready(self) -> None:
        autodiscover_modules("search", "opendata", "news", "sitemaps", "dashboard")

        from .admin_helpers import name_many_to_many_links, translate_boolean_icons

        translate_boolean_icons()
        name_many_to_many_links()

        # Any change of the site's data makes the cached pages stale at once (core.page_cache).
        from django.core.signals import setting_changed
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import page_cache

        post_save.connect(page_cache.data_changed, dispatch_uid="page_cache_save")
        post_delete.connect(page_cache.data_changed, dispatch_uid="page_cache_delete")
        m2m_changed.connect(page_cache.relation_changed, dispatch_uid="page_cache_m2m")
        setting_changed.connect(page_cache.setting_changed, dispatch_uid="page_cache_setting")
