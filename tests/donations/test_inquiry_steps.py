"""The inquiry form's 入力 → 確認 → 完了 steps, without JavaScript."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest
from django.test import Client

from donations.models import DonationInquiry
from donations.postal import address_for_postal_code
from donations.services import notification_deliver
from projects.models import Project
from tests.core.factories import PUBLISHED_LONG_AGO, SiteProfileFactory

from .inquiry_tools import CONFIRM, FORM, send, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def contact(db):
    return SiteProfileFactory()


@pytest.fixture
def project(db) -> Project:
    return Project.objects.create(
        slug="wave",
        title="第3世代波力発電",
        summary="概要",
        published_at=PUBLISHED_LONG_AGO,
        accepts_donations=True,
    )


def test_a_valid_form_is_shown_back_for_confirmation_and_not_stored(client, project):
    response = client.post(FORM, valid_data(projects=[project.pk], send="1"))
    # Post/Redirect/Get: the 確認 page is a GET, so Back never lands on a POST.
    assert response.status_code == 302
    assert response["Location"] == CONFIRM
    html = client.get(CONFIRM).content.decode()
    assert "<h1>入力内容の確認</h1>" in html
    assert "まだ送信していません" in html
    for shown in [
        "<dt>法人名</dt>",
        "<dd>株式会社湘南テクノ</dd>",
        "<dd>220-0012</dd>",
        "<dd>1,000,000円</dd>",
        "<dd>令和8年度（2026年度）</dd>",
        "<dd>第3世代波力発電</dd>",
        "<dd>hanako@shonan-techno.example.jp</dd>",
        "<dd>波力発電の取組みを応援したいと考えています。</dd>",
    ]:
        assert shown in html, shown
    # Every value is read-only: the only controls are the two buttons.
    assert 'name="company_name"' not in html
    assert ">送信する</button>" in html and ">入力内容を修正する</button>" in html
    # Even a 「送信する」 posted from the input page stores nothing: only the 確認 page sends.
    assert DonationInquiry.objects.count() == 0


def test_only_send_on_the_confirmation_page_stores_it_and_only_once(client, project):
    assert client.post(FORM, valid_data(projects=[project.pk])).status_code == 302
    first = client.post(CONFIRM, {"send": "1"})
    assert first.status_code == 302
    assert first["Location"] == "/donations/inquiry/thanks/"
    again = client.post(CONFIRM, {"send": "1"})  # a double click, a reload
    assert again.status_code == 302
    assert again["Location"] == "/donations/inquiry/thanks/"
    assert DonationInquiry.objects.count() == 1
    inquiry = DonationInquiry.objects.get()
    assert inquiry.company_name == "株式会社湘南テクノ"
    assert list(inquiry.projects.all()) == [project]


def test_the_same_form_sent_twice_through_confirmation_stores_one_inquiry(client):
    data = valid_data()
    for _ in range(2):
        assert send(client, FORM, data).status_code == 302
    assert DonationInquiry.objects.count() == 1


def test_correcting_returns_to_the_form_with_every_value_kept(client, project):
    data = valid_data(projects=[project.pk], message="二行の\nお問い合わせ")
    assert client.post(FORM, data).status_code == 302
    back = client.post(CONFIRM, {"edit": "1"})
    assert back.status_code == 302 and back["Location"] == FORM
    response = client.get(FORM)
    html = response.content.decode()
    assert 'value="株式会社湘南テクノ"' in html
    assert 'value="hanako@shonan-techno.example.jp"' in html
    assert "二行の\nお問い合わせ</textarea>" in html
    form = response.context["form"]
    assert form["projects"].value() == [str(project.pk)]
    assert form["privacy_consent"].value() is True
    assert form["files_blue_return"].value() == "yes"
    assert not form.errors
    assert DonationInquiry.objects.count() == 0
    # And the corrected form goes through 確認 again.
    corrected = valid_data(
        company_name="株式会社湘南テクノ（修正）", form_token=form["form_token"].value()
    )
    assert send(client, FORM, corrected).status_code == 302
    assert DonationInquiry.objects.get().company_name == "株式会社湘南テクノ（修正）"


def test_the_confirmation_page_without_a_draft_leads_to_the_form(client):
    assert client.get(CONFIRM)["Location"] == FORM
    assert client.post(CONFIRM, {"send": "1"})["Location"] == FORM
    assert DonationInquiry.objects.count() == 0


def test_the_confirmation_page_works_in_english(client):
    response = client.post("/en" + FORM, valid_data())
    assert response["Location"] == "/en" + CONFIRM
    html = client.get("/en" + CONFIRM).content.decode()
    assert "Check your inquiry" in html
    assert "<dd>¥1,000,000</dd>" in html
    sent = client.post("/en" + CONFIRM, {"send": "1"})
    assert sent["Location"] == "/en/donations/inquiry/thanks/"
    assert DonationInquiry.objects.get().language == "en"


@pytest.mark.parametrize(
    ("field", "autocomplete", "inputmode"),
    [
        ("company_name", "organization", None),
        ("corporate_number", "off", "numeric"),
        ("postal_code", "postal-code", "numeric"),
        ("head_office_address", "street-address", None),
        ("contact_name", "name", None),
        ("email", "email", "email"),
        ("phone", "tel", "tel"),
        ("planned_amount", "off", "numeric"),
    ],
)
def test_fields_bring_up_the_right_keyboard_and_autofill(client, field, autocomplete, inputmode):
    found = {}

    class Inputs(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("name") == field:
                found.update(attrs)

    Inputs().feed(client.get(FORM).content.decode())
    assert found.get("autocomplete") == autocomplete
    assert found.get("inputmode") == inputmode
    if field == "phone":
        assert found["type"] == "tel"


def test_the_address_is_filled_in_from_the_postal_code_without_javascript(client):
    data = valid_data(
        postal_code="２５４－００４５", head_office_address="", company_name="", fill_address="1"
    )
    response = client.post(FORM, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="神奈川県平塚市見附町"' in html
    main = html[html.index("<main") :]
    assert 'role="status">郵便番号から住所「神奈川県平塚市見附町」を入力しました' in main
    # Everything else is kept, and nothing is judged yet: the company has not sent the form.
    assert 'value="hanako@shonan-techno.example.jp"' in html
    assert "入力内容を確認してください" not in html
    assert not response.context["form"].errors
    assert DonationInquiry.objects.count() == 0


def test_a_typed_street_number_is_kept_when_the_address_is_filled_in_again(client):
    data = valid_data(
        postal_code="220-0012",
        head_office_address="神奈川県横浜市西区みなとみらい1-1-1",
        fill_address="1",
    )
    html = client.post(FORM, data).content.decode()
    assert 'value="神奈川県横浜市西区みなとみらい1-1-1"' in html


def test_an_unknown_postal_code_is_said_at_its_field(client):
    response = client.post(FORM, valid_data(postal_code="000-0000", fill_address="1"))
    assert response.status_code == 200
    [error] = response.context["form"].errors["postal_code"]
    assert "住所が見つかりませんでした" in error
    assert list(response.context["form"].errors) == ["postal_code"]
    assert 'value="株式会社湘南テクノ"' in response.content.decode()
    english = client.post("/en" + FORM, valid_data(postal_code="000-0000", fill_address="1"))
    assert "No address" in english.context["form"].errors["postal_code"][0]
    assert DonationInquiry.objects.count() == 0


def test_the_thanks_page_says_when_the_city_answers_and_what_was_sent(
    client, project, time_machine
):
    # Wednesday 2025-04-30 before Golden Week: three working days later is Wednesday 5/7.
    time_machine.move_to("2025-04-30 15:00:00+09:00", tick=False)
    response = send(client, FORM, valid_data(projects=[project.pk], planned_fiscal_year="2025"))
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    inquiry = DonationInquiry.objects.get()
    assert "3開庁日以内（令和7年5月7日（2025年5月7日）まで）に、ご担当者様へご連絡します" in html
    for shown in [
        f"<dd>{inquiry.reference}</dd>",
        "<dd>株式会社湘南テクノ</dd>",
        "<dd>1,000,000円</dd>",
        "<li>第3世代波力発電</li>",
    ]:
        assert shown in html, shown
    english = client.get("/en/donations/inquiry/thanks/").content.decode()
    assert "within 3 working days (by May 7, 2025)" in english


def test_the_summary_is_only_for_the_browser_that_sent_it(client, project):
    assert send(client, FORM, valid_data(company_name="株式会社秘密")).status_code == 302
    stranger = Client().get("/donations/inquiry/thanks/")
    assert stranger.status_code == 302
    assert stranger["Location"] == FORM


def test_every_step_ends_in_a_redirect_so_back_and_reload_never_post_again(client):
    entered = client.post(FORM, valid_data())
    sent = client.post(CONFIRM, {"send": "1"})
    # Post/Redirect/Get: the 確認 and thanks pages are GETs; reloading them stores nothing.
    assert entered.status_code == sent.status_code == 302
    for _ in range(2):
        assert client.get(sent["Location"]).status_code == 200
        assert client.get(CONFIRM)["Location"] == FORM  # the draft is gone once sent
    assert DonationInquiry.objects.count() == 1


def test_the_script_asks_the_address_endpoint_for_the_same_answer(client):
    found = client.get("/donations/inquiry/address/", {"postal_code": "254-0045"})
    assert found.status_code == 200
    assert found.json()["address"] == "神奈川県平塚市見附町"
    unknown = client.get("/en/donations/inquiry/address/", {"postal_code": "000-0000"})
    assert unknown.json()["address"] is None
    assert "No address" in unknown.json()["error"]
    html = client.get(FORM).content.decode()
    assert 'data-address-url="/donations/inquiry/address/"' in html
    assert '<script src="/static/donations/postal_fill.js' in html


def test_the_postal_lookup_answers_from_any_thread_of_a_threaded_server():
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(address_for_postal_code, ["2540045", "254-8686", "0000000"]))
    assert found == ["神奈川県平塚市見附町", "神奈川県平塚市浅間町", None]


def test_enter_in_a_field_goes_on_to_confirmation_not_to_the_address(client):
    # A browser submits the form's first submit button when Enter is pressed in a text field.
    buttons: list[str] = []

    class SubmitButtons(HTMLParser):
        in_form = False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.in_form = attrs.get("action") == FORM
            elif self.in_form and tag in {"button", "input"} and attrs.get("type") == "submit":
                buttons.append(attrs.get("name", ""))

        def handle_endtag(self, tag):
            if tag == "form":
                self.in_form = False

    SubmitButtons().feed(client.get(FORM).content.decode())
    assert buttons[0] == "confirm"
    assert "fill_address" in buttons


def test_the_thanks_page_says_the_acknowledgement_will_follow_while_it_waits(client, contact):
    # The mail server is down, or the worker has not run yet: nothing has been sent.
    assert send(client, FORM, valid_data()).status_code == 302
    html = client.get("/donations/inquiry/thanks/").content.decode()
    assert "受付確認のメールは、ご入力のメールアドレスにまもなくお送りします。" in html
    assert "24時間たっても届かない場合は、迷惑メールのフォルダをご確認" in html
    assert contact.phone in html and contact.email in html
    assert "お送りしました" not in html
    english = client.get("/en/donations/inquiry/thanks/").content.decode()
    assert "An acknowledgement e-mail will follow shortly" in english
    assert "within 24 hours, please check your spam folder" in english
    assert "has been sent" not in english and "We have sent" not in english


def test_the_thanks_page_says_the_acknowledgement_was_sent_once_it_was(client, mailoutbox):
    assert send(client, FORM, valid_data()).status_code == 302
    inquiry = DonationInquiry.objects.get()
    notification_deliver(notification_id=inquiry.notifications.get(kind="acknowledgement").pk)

    html = client.get("/donations/inquiry/thanks/").content.decode()
    assert "ご入力のメールアドレスに受付確認のメールをお送りしました。" in html
    assert "まもなくお送りします" not in html
    assert len(mailoutbox) == 1
    english = client.get("/en/donations/inquiry/thanks/").content.decode()
    assert "We have sent a confirmation to the e-mail address you gave" in english
    assert "will follow shortly" not in english
