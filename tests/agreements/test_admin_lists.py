"""The Japanese admin's lists of the agreements: every page opens, and the lists show dates in
wareki, take a constant number of queries, and are searchable and filterable (the status by
today's date). Editing (dates, documents and photos, the audit trail) is in
test_admin_editing.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import StatusFilter
from agreements.models import Agreement, AgreementEvent, RelationshipPhase
from tests.admin_tools import (
    admin_url,
    changelist_queries,
    open_every_filter_choice,
    open_its_pages,
    open_page,
    search,
)
from tests.projects.factories import OrganizationFactory

from .factories import (
    AgreementDocumentFactory,
    AgreementEventFactory,
    AgreementFactory,
    RelationshipPhaseFactory,
)

pytestmark = pytest.mark.django_db

REGISTERED = [Agreement, AgreementEvent, RelationshipPhase]


def rows(client, url: str) -> set:
    return set(open_page(client, url).context["cl"].result_list)


# --- Registration and every page opening -------------------------------------------------------


def test_every_agreements_model_with_its_own_page_is_registered_with_history_and_translation():
    registered = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "agreements"
    }
    assert set(registered) == set(REGISTERED)
    for model_admin in registered.values():
        assert isinstance(model_admin, SimpleHistoryAdmin)
        assert isinstance(model_admin, TranslationAdmin)
        # The tabbed variants load jQuery UI from a CDN; the site makes no external request.
        for cls in [type(model_admin), *model_admin.inlines]:
            assert "Tabbed" not in "".join(base.__name__ for base in cls.__mro__)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_changelist_add_change_and_history_pages_open(staff_client, objects, model):
    obj = objects[model]
    changelist, change = open_its_pages(staff_client, obj)
    assert str(obj) in changelist
    # Japanese and English are edited side by side.
    assert "（日本語）" in change and "（英語）" in change


def test_admin_speaks_japanese(staff_client, objects):
    page = open_page(staff_client, admin_url(Agreement, "changelist")).content.decode()
    for label in [
        "連携協力協定",
        "名称",
        "締結日",
        "効力の期間",
        "状況",
        "引き継いだ協定",
        "公開状態",
    ]:
        assert label in page, label
    page = open_page(staff_client, admin_url(Agreement, "change", objects[Agreement].pk))
    for label in ["協定の目指す姿", "協定の内容", "関連する事業", "資料", "効力の発生日", "終了日"]:
        assert label in page.content.decode(), label
    page = open_page(staff_client, admin_url(AgreementEvent, "change", objects[AgreementEvent].pk))
    for label in ["協定の経緯", "資料", "写真", "プレビュー", "代替テキスト"]:
        assert label in page.content.decode(), label
    page = open_page(staff_client, admin_url(RelationshipPhase, "changelist")).content.decode()
    for label in ["関係の段階", "時期", "主な出来事", "表示順"]:
        assert label in page, label


# --- What the lists show -----------------------------------------------------------------------


def test_agreement_list_shows_dates_in_wareki_the_period_and_the_status(staff_client, objects):
    response = open_page(staff_client, admin_url(Agreement, "changelist"))
    page = response.content.decode()
    assert "平成31年3月19日（2019年3月19日）" in page
    assert "平成31年3月19日（2019年3月19日）〜令和6年3月31日（2024年3月31日）" in page
    assert "令和6年4月1日（2024年4月1日）〜期限なし" in page
    model_admin = admin.site._registry[Agreement]
    listed = {row.pk: row for row in response.context["cl"].result_list}
    # Ended on 2024-03-31, succeeded by the agreement in force since the day after.
    assert model_admin.status_display(listed[objects[Agreement].pk]) == "終了"
    assert model_admin.status_display(listed[objects["second"].pk]) == "現行"
    # Newest first; the 2024 agreement names the one it succeeded, the 2019 one none.
    cells = page.split('class="field-supersedes nowrap">')[1:]
    superseded = [cell.split("</td>")[0] for cell in cells]
    assert superseded == [str(objects[Agreement]), "-"]


def test_status_is_shown_not_edited(staff_client, objects):
    form = open_page(staff_client, admin_url(Agreement, "change", objects[Agreement].pk))
    assert "status" not in form.context["adminform"].form.fields
    assert 'name="status"' not in form.content.decode()


def test_event_list_shows_the_date_in_wareki(staff_client, objects):
    page = open_page(staff_client, admin_url(AgreementEvent, "changelist")).content.decode()
    assert "令和6年3月25日（2024年3月25日）" in page
    assert "締結" in page and str(objects["second"]) in page


def test_phases_are_listed_in_their_order(staff_client):
    later = RelationshipPhaseFactory(name_ja="将来", position=3)
    earlier = RelationshipPhaseFactory(name_ja="初期", position=1)
    cl = open_page(staff_client, admin_url(RelationshipPhase, "changelist")).context["cl"]
    assert list(cl.result_list) == [earlier, later]


@pytest.mark.parametrize(
    ("model", "make"),
    [
        pytest.param(
            Agreement,
            lambda: AgreementFactory(
                supersedes=AgreementFactory(), parties=[OrganizationFactory()]
            ),
            id="agreement",
        ),
        pytest.param(
            AgreementEvent,
            lambda: AgreementDocumentFactory(event=AgreementEventFactory()),
            id="event",
        ),
        pytest.param(RelationshipPhase, lambda: RelationshipPhaseFactory(), id="phase"),
    ],
)
def test_lists_take_the_same_number_of_queries_with_more_rows(staff_client, model, make):
    make()
    with_one = changelist_queries(staff_client, model)
    for _ in range(5):
        make()
    assert changelist_queries(staff_client, model) == with_one


# --- Search and filters ------------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_search_finds_the_object_in_japanese_and_in_english(staff_client, objects, model):
    obj = objects[model]
    english = getattr(obj, "title_en", None) or obj.name_en
    for term in [str(obj), english]:
        assert search(staff_client, model, term) == [obj], term
    assert search(staff_client, model, "該当なし") == []


def test_agreements_are_found_by_their_purpose(staff_client, objects):
    url = admin_url(Agreement, "changelist")
    assert rows(staff_client, f"{url}?q=海洋活用技術の研究開発") == {objects[Agreement]}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_every_filter_choice_opens(staff_client, objects, model):
    filters, choices = open_every_filter_choice(staff_client, model)
    assert choices >= filters


def test_the_status_filter_goes_by_todays_date(staff_client):
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    ended = AgreementFactory(
        signed_on=today - 400 * day, in_force_from=today - 400 * day, in_force_until=today - day
    )
    # Its last day is today: still in force.
    in_force = AgreementFactory(
        signed_on=today - 30 * day, in_force_from=today - 30 * day, in_force_until=today
    )
    forever = AgreementFactory(signed_on=today, in_force_from=today)
    # Signed, but it takes effect tomorrow.
    future = AgreementFactory(signed_on=today, in_force_from=today + day)

    url = admin_url(Agreement, "changelist")
    cl = open_page(staff_client, url).context["cl"]
    status_filter = next(spec for spec in cl.filter_specs if isinstance(spec, StatusFilter))
    assert str(status_filter.title) == "状況"
    assert [str(label) for _, label in status_filter.lookup_choices] == ["現行", "終了", "発効前"]
    assert rows(staff_client, f"{url}?status=in_force") == {in_force, forever}
    assert rows(staff_client, f"{url}?status=ended") == {ended}
    assert rows(staff_client, f"{url}?status=not_yet") == {future}
    assert rows(staff_client, url) == {ended, in_force, forever, future}
    assert rows(staff_client, f"{url}?status=unknown") == set()
    # The filter and the status column agree.
    for status in Agreement.Status:
        for agreement in rows(staff_client, f"{url}?status={status.value}"):
            assert agreement.status == status


def test_the_status_filter_combines_with_the_published_filter(staff_client):
    shown = AgreementFactory()
    AgreementFactory(published_at=None)
    url = admin_url(Agreement, "changelist")
    assert rows(staff_client, f"{url}?status=in_force&publication=published") == {shown}


def test_agreements_filter_by_published(staff_client):
    AgreementFactory()
    draft = AgreementFactory(published_at=None)
    assert rows(staff_client, f"{admin_url(Agreement, 'changelist')}?publication=draft") == {draft}


def test_events_filter_by_kind_and_by_agreement(staff_client):
    agreement = AgreementFactory()
    award = AgreementEventFactory(kind=AgreementEvent.Kind.AWARD, agreement=None)
    signing = AgreementEventFactory(agreement=agreement)
    url = admin_url(AgreementEvent, "changelist")
    assert rows(staff_client, f"{url}?kind__exact=award") == {award}
    assert rows(staff_client, f"{url}?agreement__id__exact={agreement.pk}") == {signing}
    assert rows(staff_client, f"{url}?agreement__isnull=True") == {award}


def test_events_are_browsed_by_date(staff_client):
    wanted = AgreementEventFactory(occurred_on=dt.date(2024, 2, 13))
    AgreementEventFactory(occurred_on=dt.date(2019, 3, 19))
    url = admin_url(AgreementEvent, "changelist")
    assert "occurred_on__year=2024" in open_page(staff_client, url).content.decode()
    query = "occurred_on__year=2024&occurred_on__month=2&occurred_on__day=13"
    assert rows(staff_client, f"{url}?{query}") == {wanted}


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "expected"),
    [
        ("agreement", "parties", "生産技術", ["東京大学生産技術研究所"]),
        (
            "agreement",
            "supersedes",
            "令和6年",
            ["平塚市と東京大学生産技術研究所との連携協力に関する協定（令和6年）"],
        ),
        (
            "agreementevent",
            "agreement",
            "令和6年",
            ["平塚市と東京大学生産技術研究所との連携協力に関する協定（令和6年）"],
        ),
        ("article", "projects", "波力発電の実証", None),
    ],
)
def test_related_records_are_offered_by_autocomplete(
    staff_client, objects, model_name, field_name, term, expected
):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "agreements",
            "model_name": model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    found = [result["text"] for result in response.json()["results"]]
    if expected is None:
        assert len(found) == 1 and found[0].startswith(term)
    else:
        assert found == expected
