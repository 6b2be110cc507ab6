"""`manage.py load_seed`: the seed documents' facts, loaded once, never over staff edits."""

import pytest

from core.models import SiteProfile
from hiratsuka_portal.models import SitePage, SitePageSection
from tests.conftest import load_seed

pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> tuple[int, int, int]:
    return SiteProfile.objects.count(), SitePage.objects.count(), SitePageSection.objects.count()


def test_loading_twice_adds_nothing_the_second_time():
    first = load_seed()
    after_first = counts()
    second = load_seed()
    assert after_first == counts()
    assert after_first[0] == 1 and after_first[1] == 3
    assert "site.json: 18 inserted, 0 already present" in first
    assert "site.json: 0 inserted, 18 already present" in second


def test_staff_edits_survive_a_reload():
    load_seed()
    profile = SiteProfile.objects.get()
    profile.phone = "0463-00-0000"
    profile.save()
    load_seed()
    assert SiteProfile.objects.get().phone == "0463-00-0000"


def test_records_added_after_seeding_get_fresh_ids():
    # On PostgreSQL the seed's explicit ids must not leave the sequence behind.
    load_seed()
    page = SitePage.objects.get(kind=SitePage.Kind.PRIVACY)
    section = SitePageSection.objects.create(page=page, position=999, heading="追加", body="本文")
    assert section.pk > max(
        SitePageSection.objects.exclude(pk=section.pk).values_list("pk", flat=True)
    )
