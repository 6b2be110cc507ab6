"""The donation inquiry form, end to end: rules, normalisation, abuse protection, e-mails."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from core.models import SiteProfile
from donations.abuse import issue_form_token
from donations.models import DonationInquiry, InquiryNotification
from projects.models import Project
from tests.core.factories import PUBLISHED_LONG_AGO, SiteProfileFactory

from .inquiry_tools import FORM, run_worker, send, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(db) -> SiteProfile:
    return SiteProfileFactory()


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# --- The happy path --------------------------------------------------------------------------


def test_form_shows_the_privacy_notice_above_the_submit_button(client, contact):
    html = client.get(FORM).content.decode()
    main = html[html.index("<main") :]
    # The button people see (an unseen one at the top only catches Enter in a field).
    assert main.index("個人情報の取扱いについて") < main.index('id="submit-id-confirm"')
    assert 'name="form_token"' in html
    assert 'href="/privacy/"' in html


@pytest.mark.django_db(transaction=True)
def test_a_valid_inquiry_is_stored_once_with_two_queued_emails(client, contact):
    project = Project.objects.create(
        slug="wave",
        title="第3世代波力発電",
        summary="概要",
        published_at=PUBLISHED_LONG_AGO,
        accepts_donations=True,
    )
    response = send(client, FORM, valid_data(projects=[project.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/donations/inquiry/thanks/"
    assert DonationInquiry.objects.count() == 1

    inquiry = DonationInquiry.objects.get()
    assert inquiry.status == "received"
    assert inquiry.language == "ja"
    assert list(inquiry.projects.all()) == [project]
    assert inquiry.planned_amount == 1_000_000
    assert inquiry.consent_publish_name is True and inquiry.consent_publish_amount is False
    assert inquiry.privacy_consented_at is not None
    assert inquiry.notifications.count() == 2
    assert DBTaskResult.objects.count() == 2
    # Nothing is sent inside the request: the e-mails go out from the worker, after commit.
    assert mail.outbox == []

    thanks = client.get(response["Location"]).content.decode()
    assert inquiry.reference in thanks

    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "hanako@shonan-techno.example.jp",
        "sangyo-s@city.hiratsuka.kanagawa.jp",
    ]
    acknowledgement = next(m for m in mail.outbox if m.to == [inquiry.email])
    assert inquiry.reference in acknowledgement.subject
    assert "株式会社湘南テクノ 山田 花子 様" in acknowledgement.body
    assert "1,000,000円" in acknowledgement.body
    assert "令和8年度（2026年度）" in acknowledgement.body
    assert "第3世代波力発電" in acknowledgement.body
    assert "0463-21-9758" in acknowledgement.body
    notice = next(m for m in mail.outbox if m.to != [inquiry.email])
    assert "株式会社湘南テクノ" in notice.subject
    assert "hanako@shonan-techno.example.jp" in notice.body
    assert "青色申告: あり" in notice.body
    assert set(inquiry.notifications.values_list("state", flat=True)) == {"sent"}


@pytest.mark.django_db(transaction=True)
def test_the_acknowledgement_is_in_the_companys_language(client, contact):
    response = send(client, "/en" + FORM, valid_data())
    assert response.status_code == 302
    assert response["Location"] == "/en/donations/inquiry/thanks/"
    assert DonationInquiry.objects.count() == 1
    inquiry = DonationInquiry.objects.get()
    assert inquiry.language == "en"
    run_worker()
    acknowledgement = next(m for m in mail.outbox if m.to == [inquiry.email])
    assert acknowledgement.subject.startswith("Hiratsuka City")
    assert inquiry.reference in acknowledgement.body
    assert "¥1,000,000" in acknowledgement.body
    assert "FY2026" in acknowledgement.body
    # Staff read the notice in Japanese whatever language the company wrote in.
    notice = next(m for m in mail.outbox if m.to != [inquiry.email])
    assert "寄附予定額: 1,000,000円" in notice.body


def test_the_thanks_page_shows_the_reference_only_to_the_submitter(client, contact):
    from django.test import Client

    assert send(client, FORM, valid_data()).status_code == 302
    assert DonationInquiry.objects.count() == 1
    reference = DonationInquiry.objects.get().reference
    assert reference in client.get("/donations/inquiry/thanks/").content.decode()
    stranger = Client().get("/donations/inquiry/thanks/")
    assert stranger.status_code == 302
    assert stranger["Location"] == FORM


def test_a_double_click_stores_one_inquiry(client, contact):
    data = valid_data()
    first = send(client, FORM, data)
    second = send(client, FORM, data)
    assert first.status_code == second.status_code == 302
    assert DonationInquiry.objects.count() == 1
    assert InquiryNotification.objects.count() == 2


# --- Normalisation -----------------------------------------------------------------------------


def test_full_width_digits_hyphens_and_hiragana_are_normalised(client, contact):
    response = send(
        client,
        FORM,
        valid_data(
            company_name_kana="かぶしきがいしゃ　しょうなんﾃｸﾉ",
            contact_name_kana="やまだ　はなこ",
            postal_code="２２０ー００１２",
            phone="０４５－０００－００００",
            planned_amount="１，０００，０００円",
            corporate_number="７０００－０１２０－５０００２",
        ),
    )
    assert response.status_code == 302
    assert DonationInquiry.objects.count() == 1
    inquiry = DonationInquiry.objects.get()
    assert inquiry.company_name_kana == "カブシキガイシャ　ショウナンテクノ"
    assert inquiry.contact_name_kana == "ヤマダ　ハナコ"
    assert inquiry.postal_code == "220-0012"
    assert inquiry.phone == "045-000-0000"
    assert inquiry.planned_amount == 1_000_000
    assert inquiry.corporate_number == "7000012050002"


# --- The rules, each with its message in both languages ----------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "ja", "en"),
    [
        ("planned_amount", "99999", "1回10万円以上", "at least ¥100,000"),
        ("planned_amount", "たくさん", "円単位の数字", "in yen, in figures"),
        ("corporate_number", "8000012050002", "チェックデジット", "check digit"),
        ("corporate_number", "12345", "13桁", "13 digits"),
        ("company_name_kana", "Shonan Techno", "カタカナ", "katakana"),
        ("contact_name_kana", "山田花子", "カタカナ", "katakana"),
        ("postal_code", "22-12", "7桁", "7 digits"),
        ("phone", "123", "電話番号を確認", "Check the phone number"),
        ("email", "hanako@", "有効なメールアドレス", "valid email address"),
        ("privacy_consent", None, "個人情報の取扱いへの同意が必要", "agree to the privacy notice"),
        ("company_name", "", "このフィールドは必須", "This field is required"),
    ],
)
def test_each_rule_refuses_with_its_message_next_to_the_field(
    client, contact, field, value, ja, en
):
    for prefix, message in [("", ja), ("/en", en)]:
        response = client.post(prefix + FORM, valid_data(**{field: value}))
        assert response.status_code == 200
        errors = field_errors(response, field)
        assert any(message in error for error in errors), (prefix, errors)
        html = response.content.decode()
        # The error sits by its field, and the form keeps what was typed elsewhere.
        assert f'id="error_1_id_{field}"' in html
        if field != "company_name":
            assert 'value="株式会社湘南テクノ"' in html
    assert DonationInquiry.objects.count() == 0


def test_the_minimum_amount_itself_is_accepted(client, contact):
    assert send(client, FORM, valid_data(planned_amount="100000")).status_code == 302
    assert DonationInquiry.objects.get().planned_amount == 100_000
    assert DonationInquiry.objects.count() == 1


@pytest.mark.parametrize(
    ("postal_code", "address"),
    [
        ("254-8686", "神奈川県平塚市浅間町9-1"),
        ("254-0041", "平塚市浅間町1-1"),
        ("220-0012", "神奈川県平塚市浅間町9-1"),
        ("254-8686", "9-1 Sengen-cho, Hiratsuka, Kanagawa"),
    ],
)
def test_a_head_office_in_hiratsuka_is_told_it_cannot_use_the_scheme(
    client, contact, postal_code, address
):
    response = send(client, FORM, valid_data(postal_code=postal_code, head_office_address=address))
    assert response.status_code == 200
    [error] = field_errors(response, "head_office_address")
    assert "平塚市へ寄附することができません" in error
    assert "産業振興課（電話 0463-21-9758）" in error
    english = client.post(
        "/en" + FORM, valid_data(postal_code=postal_code, head_office_address=address)
    )
    assert "0463-21-9758" in field_errors(english, "head_office_address")[0]
    assert "head office" in field_errors(english, "head_office_address")[0]
    assert DonationInquiry.objects.count() == 0


def test_a_company_without_a_blue_return_is_told_it_cannot_use_the_scheme(client, contact):
    response = send(client, FORM, valid_data(files_blue_return="no"))
    assert response.status_code == 200
    [error] = field_errors(response, "files_blue_return")
    assert "青色申告を行う法人に限られます" in error
    assert "産業振興課（電話 0463-21-9758）" in error
    # The summary above the form links to the question.
    assert 'href="#id_files_blue_return_0"' in response.content.decode() or (
        'href="#id_files_blue_return"' in response.content.decode()
    )
    english = send(client, "/en" + FORM, valid_data(files_blue_return="no"))
    [english_error] = field_errors(english, "files_blue_return")
    assert "blue return" in english_error and "0463-21-9758" in english_error
    assert DonationInquiry.objects.count() == 0


def test_the_blue_return_question_must_be_answered(client, contact):
    response = send(client, FORM, valid_data(files_blue_return=None))
    assert field_errors(response, "files_blue_return")
    assert DonationInquiry.objects.count() == 0


def test_a_company_filing_a_blue_return_is_stored_with_its_answer(client, contact):
    assert send(client, FORM, valid_data()).status_code == 302
    assert DonationInquiry.objects.get().files_blue_return is True


def test_a_branch_in_hiratsuka_with_head_office_elsewhere_may_inquire(client, contact):
    response = send(
        client,
        FORM,
        valid_data(head_office_address="東京都千代田区丸の内1-1-1", department="平塚支店 総務課"),
    )
    assert response.status_code == 302
    assert DonationInquiry.objects.count() == 1


def test_only_fiscal_years_within_the_scheme_can_be_chosen(client, contact, settings):
    settings.CORPORATE_HOMETOWN_TAX_LAST_FISCAL_YEAR = 2026
    response = send(client, FORM, valid_data(planned_fiscal_year="2027"))
    assert field_errors(response, "planned_fiscal_year")
    html = client.get(FORM).content.decode()
    assert "令和8年度（2026年度）" in html and "令和9年度" not in html


# --- Abuse protection ---------------------------------------------------------------------------


def test_the_company_reading_example_reads_hiratsuka_as_hiratsuka(client, contact):
    html = client.get(FORM).content.decode()
    assert "例：カブシキガイシャヒラツカ" in html
    assert "ヘイヅカ" not in html
    english = client.get("/en" + FORM).content.decode()
    assert "カブシキガイシャヒラツカ" in english and "ヘイヅカ" not in english


def test_only_projects_open_for_support_are_offered(client, contact):
    open_project = Project.objects.create(
        slug="open",
        title="寄附を募集中の取組み",
        summary="-",
        published_at=PUBLISHED_LONG_AGO,
        accepts_donations=True,
    )
    finished = Project.objects.create(
        slug="finished",
        title="終了した発電所",
        summary="-",
        published_at=PUBLISHED_LONG_AGO,
        status=Project.Status.COMPLETED,
    )
    draft = Project.objects.create(
        slug="draft",
        title="下書きの取組み",
        summary="-",
        accepts_donations=True,
    )
    html = client.get(FORM).content.decode()
    assert "寄附を募集中の取組み" in html
    assert "終了した発電所" not in html and "下書きの取組み" not in html
    # A project not offered cannot be posted either.
    for project in (finished, draft):
        response = send(client, FORM, valid_data(projects=[project.pk]))
        assert response.status_code == 200
        assert field_errors(response, "projects")
    assert not DonationInquiry.objects.exists()
    assert send(client, FORM, valid_data(projects=[open_project.pk])).status_code == 302


def test_the_seeded_form_offers_only_the_third_generation_project(client, contact, seeded):
    html = client.get(FORM).content.decode()
    offered = html.split('id="div_id_projects"')[1].split("</fieldset>")[0]
    assert "第3世代波力発電" in offered
    for title in ("平塚波力発電所", "波力船", "水中カメラロボット", "AUV", "電池推進船"):
        assert title not in offered


def test_the_honeypot_turns_bots_away_with_400(client, contact):
    response = send(client, FORM, valid_data(website="https://spam.example/"))
    assert response.status_code == 400
    assert DonationInquiry.objects.count() == 0


def test_a_form_sent_faster_than_a_person_can_is_shown_again(client, contact):
    response = send(client, FORM, valid_data(form_token=issue_form_token()))
    assert response.status_code == 200
    assert "送信が早すぎます" in response.content.decode()
    assert DonationInquiry.objects.count() == 0
    # The form shown again keeps its token, so a person who waits a moment gets through.
    assert response.context["form"].data["form_token"] == response.wsgi_request.POST["form_token"]


def test_a_forged_or_expired_token_keeps_the_input_and_asks_again(client, contact):
    for token in ["forged", issue_form_token(issued_at=time.time() - 2 * 24 * 3600)]:
        response = send(client, FORM, valid_data(form_token=token))
        assert response.status_code == 200
        html = response.content.decode()
        assert "フォームの有効期限が切れました" in html
        assert 'value="株式会社湘南テクノ"' in html
    assert DonationInquiry.objects.count() == 0


# --- Never a 500, nothing stored unless valid --------------------------------------------------

FIELDS = [
    "company_name",
    "company_name_kana",
    "corporate_number",
    "postal_code",
    "head_office_address",
    "contact_name",
    "contact_name_kana",
    "email",
    "phone",
    "planned_amount",
    "planned_fiscal_year",
    "projects",
    "privacy_consent",
    "form_token",
    "website",
]


@pytest.mark.slow
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    overrides=st.dictionaries(
        st.sampled_from(FIELDS),
        st.one_of(st.text(max_size=40), st.integers().map(str), st.just("")),
        max_size=6,
    )
)
def test_arbitrary_input_never_breaks_the_form(client, contact, settings, overrides):
    settings.DONATION_INQUIRY_RATE_LIMIT = 10**6
    settings.DONATION_INQUIRY_ABUSE_LIMIT = 10**6
    before = DonationInquiry.objects.count()
    response = send(client, FORM, valid_data(**overrides))
    after = DonationInquiry.objects.count()
    assert response.status_code in {200, 302, 400}
    if response.status_code == 302:
        assert after == before + 1
        DonationInquiry.objects.order_by("-pk").first().full_clean(
            exclude=["submission_token", "reference"]
        )
    else:
        assert after == before


# --- Constant queries ---------------------------------------------------------------------------


def test_the_form_takes_the_same_number_of_queries_however_many_donations(client, contact):
    from donations.models import Donation, Donor

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(FORM).status_code == 200
        return len(context.captured_queries)

    donor = Donor.objects.create(kind="company", name="寄附株式会社")
    Donation.objects.bulk_create(
        Donation(donor=donor, fiscal_year=2023, amount=1_000_000) for _ in range(5)
    )
    five = queries()
    Donation.objects.bulk_create(
        Donation(donor=donor, fiscal_year=2024, amount=1_000_000) for _ in range(95)
    )
    assert queries() == five
