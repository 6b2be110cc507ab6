import factory

from hiratsuka_portal.models import SitePage, SitePageSection, SiteProfile


class SiteProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteProfile
        django_get_or_create = ["id"]

    id = SiteProfile.SINGLETON_ID
    organization_ja = "平塚市"
    organization_en = "Hiratsuka City"
    department_ja = "産業振興課"
    department_en = "Industrial Promotion Division"
    section_ja = "企業支援・労政担当"
    section_en = "Business Support and Labour Policy Section"
    phone = "0463-21-9758"
    email = "sangyo-s@city.hiratsuka.kanagawa.jp"


class SitePageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SitePage
        django_get_or_create = ["kind"]

    kind = SitePage.Kind.PRIVACY
    title_ja = factory.Sequence(lambda n: f"ページ{n}")
    title_en = factory.Sequence(lambda n: f"Page {n}")


class SitePageSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SitePageSection

    page = factory.SubFactory(SitePageFactory)
    position = factory.Sequence(lambda n: 1000 + n)
    heading_ja = factory.Sequence(lambda n: f"見出し{n}")
    heading_en = factory.Sequence(lambda n: f"Heading {n}")
    body_ja = "本文です。"
    body_en = "The body."
