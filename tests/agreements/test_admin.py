"""The Japanese admin for the agreements: every page opens, lists are searchable and filterable
(the status by today's date), reversed dates and non-PDF documents are refused next to the field,
and every change is attributed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import StatusFilter
from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementPhoto,
    RelationshipPhase,
)
from tests.admin_tools import admin_url, open_page, png, resubmitted, with_new_row
from tests.projects.factories import OrganizationFactory, ProjectFactory

from .factories import (
    AgreementDocumentFactory,
    AgreementEventFactory,
    AgreementFactory,
    AgreementPhotoFactory,
    ArticleFactory,
    FocusAreaFactory,
    RelationshipPhaseFactory,
    pdf_bytes,
)

pytestmark = pytest.mark.django_db

REGISTERED = [Agreement, AgreementEvent, RelationshipPhase]

NOT_A_PDF = "PDFとして読み込めないファイルです。PDFファイルを選んでください。"


@pytest.fixture
def city():
    return OrganizationFactory(
        name_ja="平塚市", name_en="Hiratsuka City", kind="city", slug="hiratsuka"
    )


@pytest.fixture
def institute():
    return OrganizationFactory(
        name_ja="東京大学生産技術研究所",
        name_en="Institute of Industrial Science, The University of Tokyo",
        kind="university",
        in_hiratsuka=False,
        slug="iis",
    )


@pytest.fixture
def objects(city, institute) -> dict:
    """One of each registered model, linked the way the seed's records are."""
    first = AgreementFactory(
        slug="iis-2019",
        title_ja="平塚市と東京大学生産技術研究所との連携協力に関する協定（平成31年）",
        title_en="Cooperation agreement between Hiratsuka City and IIS (2019)",
        purpose_ja="海洋活用技術の研究開発を推進する",
        purpose_en="To advance research on using the sea",
        signed_on=dt.date(2019, 3, 19),
        in_force_from=dt.date(2019, 3, 19),
        in_force_until=dt.date(2024, 3, 31),
        parties=[city, institute],
    )
    second = AgreementFactory(
        slug="iis-2024",
        title_ja="平塚市と東京大学生産技術研究所との連携協力に関する協定（令和6年）",
        title_en="Cooperation agreement between Hiratsuka City and IIS (2024)",
        signed_on=dt.date(2024, 3, 25),
        in_force_from=dt.date(2024, 4, 1),
        supersedes=first,
        parties=[city, institute],
    )
    FocusAreaFactory(agreement=first)
    ArticleFactory(agreement=first, number=1, projects=[ProjectFactory()])
    AgreementDocumentFactory(agreement=first, event=None, with_file=True)
    event = AgreementEventFactory(
        agreement=second,
        occurred_on=dt.date(2024, 3, 25),
        title_ja="新たな連携協力協定の締結",
        title_en="The new agreement is signed",
    )
    AgreementDocumentFactory(event=event, with_file=True)
    AgreementPhotoFactory(event=event)
    phase = RelationshipPhaseFactory(
        name_ja="中期（平成28〜30年度）", name_en="Middle phase (FY2016–FY2018)"
    )
    return {Agreement: first, "second": second, AgreementEvent: event, RelationshipPhase: phase}


def rows(client, url: str) -> set:
    return set(open_page(client, url).context["cl"].result_list)


def error_is_next_to(page: str, message: str, field: str) -> bool:
    """Whether ``message`` comes right before the input of ``field`` (no other input between)."""
    start = page.index(message)
    next_input = page.index("<input", start)
    return f'name="{field}"' in page[next_input : page.index(">", next_input)]


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
    changelist = open_page(staff_client, admin_url(model, "changelist"))
    assert str(obj) in changelist.content.decode()
    open_page(staff_client, admin_url(model, "add"))
    change = open_page(staff_client, admin_url(model, "change", obj.pk)).content.decode()
    # Japanese and English are edited side by side.
    assert "[ja]" in change and "[en]" in change
    open_page(staff_client, admin_url(model, "history", obj.pk))


def test_admin_speaks_japanese(staff_client, objects):
    page = open_page(staff_client, admin_url(Agreement, "changelist")).content.decode()
    for label in [
        "連携協力協定",
        "名称",
        "締結日",
        "効力の期間",
        "状況",
        "引き継いだ協定",
        "公開する",
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
    assert model_admin.status_display(listed[objects["second"].pk]) == "締結中"
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
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            open_page(staff_client, admin_url(model, "changelist"))
        return len(context.captured_queries)

    make()
    with_one = queries()
    for _ in range(5):
        make()
    assert queries() == with_one


# --- Search and filters ------------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_search_finds_the_object_in_japanese_and_in_english(staff_client, objects, model):
    obj = objects[model]
    url = admin_url(model, "changelist")
    english = getattr(obj, "title_en", None) or obj.name_en
    for term in [str(obj), english]:
        assert rows(staff_client, f"{url}?q={term}") == {obj}, term
    assert open_page(staff_client, f"{url}?q=該当なし").context["cl"].result_count == 0


def test_agreements_are_found_by_their_purpose(staff_client, objects):
    url = admin_url(Agreement, "changelist")
    assert rows(staff_client, f"{url}?q=海洋活用技術の研究開発") == {objects[Agreement]}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_every_filter_choice_opens(staff_client, objects, model):
    url = admin_url(model, "changelist")
    cl = open_page(staff_client, url).context["cl"]
    choices = [choice["query_string"] for spec in cl.filter_specs for choice in spec.choices(cl)]
    assert len(choices) >= len(cl.filter_specs)
    for query_string in choices:
        # An unknown filter would redirect to ?e=1 instead.
        open_page(staff_client, url + query_string)


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
    assert [str(label) for _, label in status_filter.lookup_choices] == ["締結中", "終了", "発効前"]
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
    AgreementFactory(is_published=False)
    url = admin_url(Agreement, "changelist")
    assert rows(staff_client, f"{url}?status=in_force&is_published__exact=1") == {shown}


def test_agreements_filter_by_published(staff_client):
    AgreementFactory()
    draft = AgreementFactory(is_published=False)
    assert rows(staff_client, f"{admin_url(Agreement, 'changelist')}?is_published__exact=0") == {
        draft
    }


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


# --- The agreement's dates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"in_force_until": "2019-03-18"},
            "in_force_until",
            "終了日は効力の発生日以降にしてください。",
        ),
        (
            {"in_force_from": "2019-03-01"},
            "in_force_from",
            "効力の発生日は締結日以降にしてください。",
        ),
    ],
    ids=["ends-before-it-starts", "in-force-before-signing"],
)
def test_reversed_dates_are_refused_next_to_the_field(
    staff_client, objects, changes, field, message
):
    agreement = objects[Agreement]
    url = admin_url(Agreement, "change", agreement.pk)
    data = resubmitted(open_page(staff_client, url)) | changes
    records = agreement.history.count()

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [message]
    page = response.content.decode()
    assert error_is_next_to(page, message, field)
    # Refused by the form: no constraint's message in English, nothing saved, no history.
    assert "Constraint" not in page and "制約" not in page
    agreement.refresh_from_db()
    assert (agreement.in_force_from, agreement.in_force_until) == (
        dt.date(2019, 3, 19),
        dt.date(2024, 3, 31),
    )
    assert agreement.history.count() == records


def test_reversed_dates_on_a_new_agreement_create_nothing(staff_client, city):
    url = admin_url(Agreement, "add")
    response = staff_client.post(
        url,
        {
            "title_ja": "新しい協定",
            "title_en": "A new agreement",
            "slug": "new",
            "parties": [str(city.pk)],
            "signed_on": "2024-03-25",
            "in_force_from": "2024-04-01",
            "in_force_until": "2024-03-31",
            "purpose_ja": "連携",
            **{
                f"{inline.formset.prefix}-{key}": value
                for inline in open_page(staff_client, url).context["inline_admin_formsets"]
                for key, value in [("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0")]
            },
        },
    )
    assert response.status_code == 200
    assert "終了日は効力の発生日以降にしてください。" in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_agreement_cannot_supersede_itself(staff_client, objects):
    agreement = objects["second"]
    url = admin_url(Agreement, "change", agreement.pk)
    data = resubmitted(open_page(staff_client, url)) | {"supersedes": str(agreement.pk)}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "supersedes" in response.context["adminform"].form.errors
    agreement.refresh_from_db()
    assert agreement.supersedes == objects[Agreement]


# --- Documents and photos ----------------------------------------------------------------------


@pytest.fixture
def forms_without_files(city):
    """The agreement and the event change forms, with no file stored yet."""
    agreement = AgreementFactory(parties=[city])
    event = AgreementEventFactory(agreement=agreement)
    return {
        "agreement": (admin_url(Agreement, "change", agreement.pk), {"agreement": agreement}),
        "event": (admin_url(AgreementEvent, "change", event.pk), {"event": event}),
    }


def new_document(upload) -> dict:
    return {"title_ja": "協定書", "title_en": "The agreement", "file": upload, "position": "1"}


@pytest.mark.parametrize("form", ["agreement", "event"])
@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(
            lambda: SimpleUploadedFile("協定書.pdf", png(), "application/pdf"), id="png-as-pdf"
        ),
        pytest.param(
            lambda: SimpleUploadedFile(
                "協定書.pdf", "第1条 目的\n".encode() * 100, "application/pdf"
            ),
            id="text-as-pdf",
        ),
    ],
)
def test_a_file_that_is_not_a_pdf_is_refused(
    staff_client, stored_files, forms_without_files, form, upload
):
    url, _owner = forms_without_files[form]
    data = with_new_row(open_page(staff_client, url), AgreementDocument, new_document(upload()))
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert NOT_A_PDF in response.content.decode()
    assert not AgreementDocument.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize("form", ["agreement", "event"])
def test_a_real_pdf_is_stored(staff_client, media_root, forms_without_files, form):
    url, owner = forms_without_files[form]
    content = pdf_bytes()
    upload = SimpleUploadedFile("kyotei.pdf", content, "application/pdf")
    data = with_new_row(open_page(staff_client, url), AgreementDocument, new_document(upload))
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert AgreementDocument.objects.count() == 1
    document = AgreementDocument.objects.get(**owner)
    assert document.title_ja == "協定書"
    assert document.file.name.startswith("agreements/") and document.file.name.endswith(".pdf")
    # Stored whole: the check read the file and put it back where it found it.
    assert (media_root / document.file.name).read_bytes() == content
    # The form offers PDFs only in the file picker.
    assert 'accept="application/pdf"' in open_page(staff_client, url).content.decode()


def test_a_photo_without_alt_text_is_refused(staff_client, stored_files, forms_without_files):
    url, _owner = forms_without_files["event"]
    upload = SimpleUploadedFile("signing.png", png(), "image/png")
    row = {"image": upload, "alt_text_ja": "", "alt_text_en": "", "position": "1"}
    data = with_new_row(open_page(staff_client, url), AgreementPhoto, row)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "このフィールドは必須です。" in response.content.decode()
    assert not AgreementPhoto.objects.exists()
    assert stored_files() == []


def test_a_photo_with_alt_text_is_stored_and_previewed(
    staff_client, media_root, forms_without_files
):
    url, _owner = forms_without_files["event"]
    upload = SimpleUploadedFile("signing.png", png(1200, 900), "image/png")
    row = {"image": upload, "alt_text_ja": "協定書に署名する市長", "position": "1"}
    data = with_new_row(open_page(staff_client, url), AgreementPhoto, row)
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert AgreementPhoto.objects.count() == 1
    photo = AgreementPhoto.objects.get()
    assert (media_root / photo.image.name).is_file()
    page = open_page(staff_client, url).content.decode()
    assert '<img src="/media/renditions/signing' in page
    assert 'alt="協定書に署名する市長"' in page


# --- The public page and the audit trail -------------------------------------------------------


def test_a_published_agreement_links_to_its_public_page(staff_client, objects):
    agreement = objects[Agreement]
    response = open_page(staff_client, admin_url(Agreement, "change", agreement.pk))
    assert response.context["has_absolute_url"]
    link = f'<a href="/agreements/{agreement.slug}/" class="viewsitelink">'
    assert link in response.content.decode()
    assert staff_client.get(f"/agreements/{agreement.slug}/").status_code == 200


def test_a_draft_has_no_public_page_to_link_to(staff_client):
    draft = AgreementFactory(is_published=False, parties=[OrganizationFactory()])
    response = open_page(staff_client, admin_url(Agreement, "change", draft.pk))
    assert not response.context["has_absolute_url"]
    assert "viewsitelink" not in response.content.decode()
    assert "viewsitelink" not in response.content.decode()


def test_saving_an_agreement_records_who_changed_what(staff_client, objects):
    agreement = objects[Agreement]
    url = admin_url(Agreement, "change", agreement.pk)
    data = resubmitted(open_page(staff_client, url))
    data["title_ja"] = "平塚市と東京大学生産技術研究所との連携協力に関する協定"
    agreements, records = Agreement.objects.count(), agreement.history.count()
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    # The agreement was changed, not copied, and the change recorded once.
    assert Agreement.objects.count() == agreements
    assert agreement.history.count() == records + 1

    agreement.refresh_from_db()
    record = agreement.history.latest()
    assert record.history_user == staff_client.user
    assert record.title_ja == "平塚市と東京大学生産技術研究所との連携協力に関する協定"
    # The inlines came back unchanged: nothing was added or dropped.
    assert agreement.articles.count() == 1 and agreement.documents.count() == 1
    assert agreement.parties.count() == 2
    history = open_page(staff_client, admin_url(Agreement, "history", agreement.pk))
    assert "sangyo" in history.content.decode()
    # The earlier version can be looked at (and restored) from the history.
    earlier = agreement.history.earliest()
    url = admin_url(Agreement, "simple_history", agreement.pk, earlier.history_id)
    assert "（平成31年）" in open_page(staff_client, url).content.decode()


def test_saving_an_event_records_who_changed_what(staff_client, objects):
    event = objects[AgreementEvent]
    url = admin_url(AgreementEvent, "change", event.pk)
    data = resubmitted(open_page(staff_client, url)) | {"kind": AgreementEvent.Kind.CEREMONY}
    events, records = AgreementEvent.objects.count(), event.history.count()
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    # The event was changed, not copied, and the change recorded once.
    assert AgreementEvent.objects.count() == events
    assert event.history.count() == records + 1
    event.refresh_from_db()
    assert event.kind == AgreementEvent.Kind.CEREMONY
    assert event.history.latest().history_user == staff_client.user
    assert event.documents.count() == 1 and event.photos.count() == 1
