"""Editing the agreements in the Japanese admin: reversed dates and non-PDF documents are
refused next to the field, photos need their text alternative, a published agreement links to
its public page, and every change is attributed. The lists are in test_admin_lists.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from agreements.models import Agreement, AgreementDocument, AgreementEvent, AgreementPhoto
from tests.admin_tools import (
    admin_url,
    open_page,
    png,
    post_change_form,
    save_change_form,
    with_new_row,
)
from tests.projects.factories import OrganizationFactory

from .factories import AgreementEventFactory, AgreementFactory, pdf_bytes

pytestmark = pytest.mark.django_db

NOT_A_PDF = "PDFとして読み込めないファイルです。PDFファイルを選んでください。"


def error_is_next_to(page: str, message: str, field: str) -> bool:
    """Whether ``message`` comes right before the input of ``field`` (no other input between)."""
    start = page.index(message)
    next_input = page.index("<input", start)
    return f'name="{field}"' in page[next_input : page.index(">", next_input)]


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
    records = agreement.history.count()

    response = post_change_form(staff_client, agreement, **changes)

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
    response = post_change_form(staff_client, agreement, supersedes=str(agreement.pk))
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


def test_a_draft_links_to_its_preview_which_only_staff_can_open(staff_client):
    draft = AgreementFactory(published_at=None, parties=[OrganizationFactory()])
    response = open_page(staff_client, admin_url(Agreement, "change", draft.pk))
    preview = f"/agreements/{draft.slug}/?preview=1"
    assert f'<a href="{preview}" class="viewsitelink">' in response.content.decode()
    assert staff_client.get(preview).status_code == 200
    assert Client().get(preview).status_code == 404  # anyone else


def test_saving_an_agreement_records_who_changed_what(staff_client, objects):
    agreement = objects[Agreement]
    # The agreement is changed, not copied, and the change recorded once.
    save_change_form(
        staff_client, agreement, title_ja="平塚市と東京大学生産技術研究所との連携協力に関する協定"
    )

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
    # The event is changed, not copied, and the change recorded once.
    save_change_form(staff_client, event, kind=AgreementEvent.Kind.CEREMONY)
    event.refresh_from_db()
    assert event.kind == AgreementEvent.Kind.CEREMONY
    assert event.history.latest().history_user == staff_client.user
    assert event.documents.count() == 1 and event.photos.count() == 1
