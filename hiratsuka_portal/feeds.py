"""The Atom feed of what's new (the home page's list), in each language."""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from core.local_time import start_of_day
from core.news import NewsItem, whats_new


class WhatsNewFeed(Feed):
    feed_type = Atom1Feed
    title = _("平塚市 知的対流推進事業 新着情報")
    subtitle = _("研究開発プロジェクト、研究会、協定、寄附に関する新着情報です。")

    def link(self):
        return reverse("home")

    def items(self) -> list[NewsItem]:
        return whats_new(limit=20)

    def item_title(self, item: NewsItem) -> str:
        return f"[{item.kind}] {item.headline}"

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_link(self, item: NewsItem) -> str:
        return item.url

    def item_guid(self, item: NewsItem) -> str:
        # The merge makes one item of a day's entries on one page, so the page and the day
        # identify it — unique, and stable when a title is edited or another entry of that day
        # is folded in (a feed reader does not show it again as new).
        path, _hash, anchor = item.url.partition("#")
        return f"{path}#news-{item.date.isoformat()}" + (f"-{anchor}" if anchor else "")

    def item_pubdate(self, item: NewsItem) -> datetime.datetime:
        return start_of_day(item.date)
