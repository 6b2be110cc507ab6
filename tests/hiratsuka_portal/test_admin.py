"""The Japanese admin: staff can open and edit the site's texts, and every change is attributed."""

import pytest
from django.urls import reverse

from core.models import SiteProfile
from hiratsuka_portal.models import SitePage

# Every test here runs on the seed, loaded once for the module (tests/conftest.py: module_seed).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


def test_admin_is_in_japanese(staff_client):
    html = staff_client.get(reverse("admin:index")).content.decode()
    assert "平塚市 知的対流推進事業 管理画面" in html
    assert "サイトページ" in html
    assert "サイト情報・問い合わせ先" in html


@pytest.mark.parametrize("model", [SitePage, SiteProfile])
def test_change_list_and_change_page_open(staff_client, seeded, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    obj = model.objects.first()
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = staff_client.get(change)
    assert response.status_code == 200
    # Both languages are editable side by side.
    page = response.content.decode()
    # Labelled by language in words, not by modeltranslation's codes 「[ja]」「[en]」.
    assert "（日本語）" in page and "（英語）" in page
    assert "[ja]" not in page and "[en]" not in page


def test_a_second_profile_cannot_be_added(staff_client, seeded):
    response = staff_client.get(reverse("admin:core_siteprofile_add"))
    assert response.status_code == 403


def profile_form(**overrides) -> dict:
    data = {
        "organization_ja": "平塚市",
        "organization_en": "Hiratsuka City",
        "department_ja": "産業振興課",
        "department_en": "Industrial Promotion Division",
        "section_ja": "企業支援・労政担当",
        "section_en": "Business Support and Labour Policy Section",
        "phone": "0463-21-9758",
        "phone_note_ja": "直通",
        "phone_note_en": "direct line",
        "email": "sangyo-s@city.hiratsuka.kanagawa.jp",
    }
    return data | overrides


def test_staff_change_is_recorded_with_who_and_what(staff_client, seeded):
    url = reverse("admin:core_siteprofile_change", args=[1])
    records = SiteProfile.history.count()
    response = staff_client.post(url, profile_form(phone="0463-21-1111"))
    assert response.status_code == 302
    assert SiteProfile.objects.count() == 1
    assert SiteProfile.objects.get().phone == "0463-21-1111"
    assert SiteProfile.history.count() == records + 1

    record = SiteProfile.history.latest()
    assert record.history_user == staff_client.user
    assert record.phone == "0463-21-1111"
    history_page = staff_client.get(
        reverse("admin:core_siteprofile_history", args=[1])
    ).content.decode()
    assert "sangyo" in history_page


def test_invalid_phone_is_refused_with_a_message(staff_client, seeded):
    url = reverse("admin:core_siteprofile_change", args=[1])
    response = staff_client.post(url, profile_form(phone="call us"))
    assert response.status_code == 200
    assert "電話番号は数字とハイフンで入力してください。" in response.content.decode()
    assert SiteProfile.objects.get().phone == "0463-21-9758"
