import factory

from hiratsuka_portal.models import SitePage, SitePageSection
from tests.core.factories import PUBLISHED_LONG_AGO


class SitePageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SitePage
        django_get_or_create = ["kind"]

    kind = SitePage.Kind.PRIVACY
    title_ja = factory.Sequence(lambda n: f"ページ{n}")
    title_en = factory.Sequence(lambda n: f"Page {n}")
    published_at = PUBLISHED_LONG_AGO


class SitePageSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SitePageSection

    page = factory.SubFactory(SitePageFactory)
    position = factory.Sequence(lambda n: 1000 + n)
    heading_ja = factory.Sequence(lambda n: f"見出し{n}")
    heading_en = factory.Sequence(lambda n: f"Heading {n}")
    body_ja = "本文です。"
    body_en = "The body."
    published_at = PUBLISHED_LONG_AGO
