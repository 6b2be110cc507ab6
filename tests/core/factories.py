import datetime as dt

import factory

from core.models import SiteProfile


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


# Factories publish their records long ago, so that they are public whatever the clock a test
# sets (a draft says ``published_at=None``, a scheduled record a future time).
PUBLISHED_LONG_AGO = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
