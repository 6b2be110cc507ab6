"""The Japanese admin for donations: every page opens, lists are searchable, filterable and
totalled without N+1 queries, and an inquiry's follow-up goes through the services, which
record who did what and when, while what the company sent stays as it sent it."""

from __future__ import annotations

import datetime as dt
from datetime import timedelta

import factory
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from donations.models import (
    Award,
    Donation,
    DonationInquiry,
    DonationReceipt,
    Donor,
    DonorInterview,
    InquiryNote,
    InquiryNotification,
    InquiryStatus,
    InquiryStatusChange,
    Scheme,
)
from tests.admin_tools import admin_url, open_page, page_messages, resubmitted
from tests.projects.factories import ProjectFactory, VideoFactory

pytestmark = pytest.mark.django_db

REGISTERED = [Donor, Donation, Award, DonationInquiry]


# --- Test data -----------------------------------------------------------------------------------


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor

    kind = Donor.Kind.COMPANY
    name_ja = factory.Sequence(lambda n: f"湘南海洋工業{n}株式会社")
    name_en = factory.Sequence(lambda n: f"Shonan Marine Industries {n}")
    corporate_number = ""


class DonationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donation
        skip_postgeneration_save = True

    donor = factory.SubFactory(DonorFactory)
    fiscal_year = 2023
    amount = 1_000_000
    scheme = Scheme.CORPORATE_HOMETOWN_TAX
    received_on = dt.date(2023, 10, 2)
    receipt_number = factory.Sequence(lambda n: f"R5-{n:04d}")
    publish_name = True
    publish_amount = True

    @factory.post_generation
    def projects(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.projects.add(*extracted)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    title_ja = factory.Sequence(lambda n: f"地方創生担当大臣表彰{n}")
    title_en = factory.Sequence(lambda n: f"Minister's award {n}")
    presented_by_ja = "内閣府"
    presented_by_en = "Cabinet Office"
    fiscal_year = 2023
    ceremony_on = dt.date(2024, 2, 13)


class DonationInquiryFactory(factory.django.DjangoModelFactory):
    """An inquiry as the public form stores it; ``notifications={"acknowledgement": "sent",
    ...}`` adds its e-mails in those states and ``projects=[...]`` the projects it names."""

    class Meta:
        model = DonationInquiry
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"D26-T{n:05d}")
    submission_token = factory.Sequence(lambda n: f"token-{n}")
    language = "ja"
    company_name = factory.Sequence(lambda n: f"株式会社湘南テクノ{n}")
    company_name_kana = "カブシキガイシャショウナンテクノ"
    corporate_number = "7000012050002"
    postal_code = "220-0012"
    head_office_address = "神奈川県横浜市西区みなとみらい1-1-1"
    department = "総務部"
    contact_name = "山田 花子"
    contact_name_kana = "ヤマダ ハナコ"
    email = factory.Sequence(lambda n: f"hanako{n}@shonan-techno.example.jp")
    phone = "045-000-0000"
    planned_amount = 1_000_000
    planned_fiscal_year = 2026
    message = "波力発電の取組みを応援したいと考えています。"
    privacy_consented_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def projects(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.projects.add(*extracted)

    @factory.post_generation
    def notifications(obj, create, extracted, **kwargs):
        if create and extracted:
            for kind, state in extracted.items():
                InquiryNotification.objects.create(
                    inquiry=obj,
                    kind=kind,
                    recipient=obj.email,
                    subject=f"受付番号 {obj.reference}",
                    body="本文",
                    state=state,
                    attempts=6 if state == "failed" else 1,
                    last_error="ConnectionRefusedError: [Errno 111]" if state == "failed" else "",
                    sent_at=timezone.now() if state == "sent" else None,
                )


ALL_SENT = {"acknowledgement": "sent", "staff_notice": "sent"}


@pytest.fixture
def objects(django_user_model) -> dict:
    project = ProjectFactory(title_ja="第3世代波力発電", title_en="Third-generation wave power")
    donor = DonorFactory(name_ja="湘南海洋工業株式会社", name_en="Shonan Marine Industries")
    DonorInterview.objects.create(donor=donor, video=VideoFactory())
    assignee = django_user_model.objects.create_user(
        username="kikaku", is_staff=True, password=None
    )
    return {
        Donor: donor,
        Donation: DonationFactory(donor=donor, receipt_number="R5-0001", projects=[project]),
        Award: AwardFactory(
            title_ja="地方創生担当大臣表彰", title_en="Minister's award", project=project
        ),
        DonationInquiry: DonationInquiryFactory(
            reference="D26-ABC234",
            company_name="株式会社湘南テクノ",
            assignee=assignee,
            projects=[project],
            notifications=ALL_SENT,
        ),
    }


def post_change_form(client, inquiry, **changes):
    url = admin_url(DonationInquiry, "change", inquiry.pk)
    data = resubmitted(open_page(client, url)) | changes
    return client.post(url, data)


def run_action(client, action: str, *inquiries, follow: bool = True):
    return client.post(
        admin_url(DonationInquiry, "changelist"),
        {"action": action, "_selected_action": [str(i.pk) for i in inquiries]},
        follow=follow,
    )


# --- Registration and every page opening ---------------------------------------------------------


def test_every_donations_model_with_its_own_page_is_registered_with_history():
    registered = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "donations"
    }
    # Issued receipts never change: each one records who issued it and when (test_receipts.py).
    assert set(registered) == {*REGISTERED, DonationReceipt}
    for model, model_admin in registered.items():
        if model is DonationReceipt:
            continue
        assert isinstance(model_admin, SimpleHistoryAdmin)
        # The tabbed variants load jQuery UI from a CDN; the site makes no external request.
        assert "Tabbed" not in "".join(cls.__name__ for cls in type(model_admin).__mro__)
        assert isinstance(model_admin, TranslationAdmin) == (model in (Donor, Award))


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_changelist_add_change_and_history_pages_open(staff_client, objects, model):
    obj = objects[model]
    changelist = open_page(staff_client, admin_url(model, "changelist")).content.decode()
    shown = {
        Donor: "湘南海洋工業株式会社",
        Donation: "R5-0001",
        Award: "地方創生担当大臣表彰",
        DonationInquiry: "D26-ABC234",
    }
    assert shown[model] in changelist
    # Inquiries come from the public form only.
    open_page(staff_client, admin_url(model, "add"), 403 if model is DonationInquiry else 200)
    open_page(staff_client, admin_url(model, "change", obj.pk))
    open_page(staff_client, admin_url(model, "history", obj.pk))


def test_translated_models_are_edited_in_both_languages(staff_client, objects):
    for model in (Donor, Award):
        page = open_page(staff_client, admin_url(model, "change", objects[model].pk))
        assert "[ja]" in page.content.decode() and "[en]" in page.content.decode()


def test_the_admin_speaks_japanese(staff_client, objects):
    page = open_page(staff_client, admin_url(DonationInquiry, "changelist")).content.decode()
    for label in [
        "受付番号",
        "法人名",
        "寄附予定額",
        "寄附予定年度",
        "対応状況",
        "担当者",
        "経過日数",
        "通知メール",
        "通知メールを再送する",
        "自分を担当者にする",
        "連絡中にする",
    ]:
        assert label in page, label
    inquiry = objects[DonationInquiry]
    page = open_page(staff_client, admin_url(DonationInquiry, "change", inquiry.pk))
    for label in ["対応メモを追加", "対応メモ", "対応状況の履歴", "送信試行回数", "直近のエラー"]:
        assert label in page.content.decode(), label


# --- Search and filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "terms"),
    [
        (Donor, ["湘南海洋工業", "Shonan Marine"]),
        (Donation, ["湘南海洋工業", "R5-0001"]),
        (Award, ["大臣表彰", "Minister"]),
        (
            DonationInquiry,
            [
                "株式会社湘南テクノ",
                "ショウナンテクノ",
                "山田",
                "hanako",
                "7000012050002",
                "D26-ABC234",
            ],
        ),
    ],
    ids=["donor", "donation", "award", "inquiry"],
)
def test_search_finds_the_object(staff_client, objects, model, terms):
    obj = objects[model]
    url = admin_url(model, "changelist")
    for term in terms:
        results = open_page(staff_client, f"{url}?q={term}").context["cl"].result_list
        assert list(results) == [obj], term
    assert open_page(staff_client, f"{url}?q=該当なし").context["cl"].result_count == 0


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_every_filter_choice_opens(staff_client, objects, model):
    url = admin_url(model, "changelist")
    cl = open_page(staff_client, url).context["cl"]
    choices = [choice["query_string"] for spec in cl.filter_specs for choice in spec.choices(cl)]
    assert len(choices) > len(cl.filter_specs)
    for query_string in choices:
        # An unknown filter would redirect to ?e=1 instead.
        open_page(staff_client, url + query_string)


def test_fiscal_years_are_offered_and_labelled_in_wareki(staff_client):
    wanted = DonationFactory(fiscal_year=2019)
    DonationFactory(fiscal_year=2023)
    url = admin_url(Donation, "changelist")
    page = open_page(staff_client, url).content.decode()
    assert "令和元年度（2019年度）" in page and "令和5年度（2023年度）" in page
    assert list(open_page(staff_client, f"{url}?fiscal_year=2019").context["cl"].result_list) == [
        wanted
    ]
    assert open_page(staff_client, f"{url}?fiscal_year=abc").context["cl"].result_count == 0


@pytest.mark.parametrize(
    ("matching", "other", "query"),
    [
        ({"status": "contacting"}, {}, "status__exact=contacting"),
        ({"planned_fiscal_year": 2027}, {}, "planned_fiscal_year=2027"),
    ],
)
def test_an_inquiry_filter_keeps_only_the_matching_rows(staff_client, matching, other, query):
    wanted = DonationInquiryFactory(**matching)
    DonationInquiryFactory(**other)
    url = admin_url(DonationInquiry, "changelist")
    assert list(open_page(staff_client, f"{url}?{query}").context["cl"].result_list) == [wanted]


def test_inquiries_filter_by_assignee_and_project(staff_client, objects):
    wanted = objects[DonationInquiry]
    DonationInquiryFactory(projects=[ProjectFactory()])
    url = admin_url(DonationInquiry, "changelist")
    project = wanted.projects.get()
    for query in [f"assignee__id__exact={wanted.assignee_id}", f"projects__id__exact={project.pk}"]:
        assert list(open_page(staff_client, f"{url}?{query}").context["cl"].result_list) == [wanted]


def test_inquiries_are_browsed_by_date(staff_client):
    wanted = DonationInquiryFactory()
    older = DonationInquiryFactory()
    DonationInquiry.objects.filter(pk=older.pk).update(
        created_at=wanted.created_at - timedelta(days=800)
    )
    day = timezone.localtime(wanted.created_at)
    url = admin_url(DonationInquiry, "changelist")
    assert f"created_at__year={day.year}" in open_page(staff_client, url).content.decode()
    query = f"created_at__year={day.year}&created_at__month={day.month}&created_at__day={day.day}"
    assert list(open_page(staff_client, f"{url}?{query}").context["cl"].result_list) == [wanted]


def test_donors_and_projects_are_offered_by_autocomplete(staff_client, objects):
    for field_name, term, text in [
        ("donor", "湘南海洋", "湘南海洋工業株式会社"),
        ("projects", "第3世代", "第3世代波力発電"),
    ]:
        response = staff_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "donations",
                "model_name": "donation",
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200
        assert [r["text"] for r in response.json()["results"]] == [text]


# --- What the lists show -------------------------------------------------------------------------


def test_donation_list_shows_wareki_yen_and_the_total_of_the_filtered_rows(staff_client):
    for amount in [50_000_000, 3_000_000, 1_500_000, 1_000_000, 1_000_000]:
        DonationFactory(fiscal_year=2023, amount=amount)
    DonationFactory(fiscal_year=2022, amount=2_400_000)
    url = admin_url(Donation, "changelist")

    page = open_page(staff_client, f"{url}?fiscal_year=2023").content.decode()
    assert "表示中の寄附：5件 合計 56,500,000円" in page
    assert "令和5年度（2023年度）" in page
    assert "50,000,000円" in page

    page = open_page(staff_client, url).content.decode()
    assert "表示中の寄附：6件 合計 58,900,000円" in page

    page = open_page(staff_client, f"{url}?q=該当なし").content.decode()
    assert "表示中の寄附：0件 合計 0円" in page


def test_donor_list_counts_and_totals_the_donations(staff_client):
    donor = DonorFactory()
    DonationFactory(donor=donor, amount=2_000_000)
    DonationFactory(donor=donor, amount=400_000, fiscal_year=2024)
    without = DonorFactory()
    anonymous = DonorFactory(name_ja="", name_en="", is_anonymous=True)
    DonationFactory(donor=anonymous)
    response = open_page(staff_client, admin_url(Donor, "changelist"))
    rows = {row.pk: row for row in response.context["cl"].result_list}
    assert (rows[donor.pk].donation_count, rows[donor.pk].donation_total) == (2, 2_400_000)
    assert (rows[without.pk].donation_count, rows[without.pk].donation_total) == (0, None)
    page = response.content.decode()
    assert "2,400,000円" in page and "0円" in page
    assert "匿名（法人）" in page


def test_inquiry_list_shows_amount_year_age_and_notification_state(staff_client):
    sent = DonationInquiryFactory(notifications=ALL_SENT)
    failed = DonationInquiryFactory(
        notifications={"acknowledgement": "failed", "staff_notice": "sent"}
    )
    waiting = DonationInquiryFactory(
        notifications={"acknowledgement": "pending", "staff_notice": "sent"}
    )
    DonationInquiry.objects.filter(pk=sent.pk).update(created_at=timezone.now() - timedelta(days=3))
    response = open_page(staff_client, admin_url(DonationInquiry, "changelist"))
    model_admin = admin.site._registry[DonationInquiry]
    rows = {row.pk: row for row in response.context["cl"].result_list}
    assert model_admin.age(rows[sent.pk]) == "3日"
    assert model_admin.age(rows[failed.pk]) == "0日"
    assert model_admin.notification_summary(rows[sent.pk]) == "送信済み 2/2"
    assert model_admin.notification_summary(rows[failed.pk]) == "送信失敗 1"
    assert model_admin.notification_summary(rows[waiting.pk]) == "送信待ち 1/2"
    page = response.content.decode()
    for text in ["1,000,000円", "令和8年度（2026年度）", "3日", "送信済み 2/2", "送信失敗 1"]:
        assert text in page, text
    # Newest first by default; sorting by age puts the youngest first, then the oldest.
    assert list(rows)[-1] == sent.pk
    cl = response.context["cl"]
    column = cl.list_display.index("age")
    url = admin_url(DonationInquiry, "changelist")
    by_age = open_page(staff_client, f"{url}?o={column}").context["cl"].result_list
    assert by_age[len(by_age) - 1].pk == sent.pk
    by_age_desc = open_page(staff_client, f"{url}?o=-{column}").context["cl"].result_list
    assert by_age_desc[0].pk == sent.pk


def test_the_inquiry_list_takes_as_many_queries_for_50_rows_as_for_5(
    staff_client, django_user_model
):
    projects = ProjectFactory.create_batch(3)

    def add_inquiries(count: int) -> None:
        start = DonationInquiry.objects.count()
        for n in range(start, start + count):
            assignee = django_user_model.objects.create_user(
                username=f"staff{n}", is_staff=True, password=None
            )
            DonationInquiryFactory(
                assignee=assignee,
                projects=projects[: n % 3 + 1],
                notifications={"acknowledgement": "sent", "staff_notice": "failed"},
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = open_page(staff_client, admin_url(DonationInquiry, "changelist"))
        assert "送信失敗 1" in response.content.decode()
        return len(context.captured_queries)

    add_inquiries(5)
    with_5 = queries()
    add_inquiries(45)
    assert queries() == with_5


def test_list_queries_do_not_grow_with_rows_for_donors_and_donations(staff_client):
    def queries(model) -> int:
        with CaptureQueriesContext(connection) as context:
            open_page(staff_client, admin_url(model, "changelist"))
        return len(context.captured_queries)

    def make():
        donor = DonorFactory()
        DonationFactory(donor=donor, projects=[ProjectFactory()])
        AwardFactory(project=ProjectFactory())

    make()
    before = {model: queries(model) for model in (Donor, Donation, Award)}
    for _ in range(5):
        make()
    assert {model: queries(model) for model in (Donor, Donation, Award)} == before


# --- An inquiry's change page --------------------------------------------------------------------


def test_what_the_company_sent_is_shown_but_cannot_be_changed(staff_client, objects):
    inquiry = objects[DonationInquiry]
    url = admin_url(DonationInquiry, "change", inquiry.pk)
    response = open_page(staff_client, url)
    page = response.content.decode()
    for text in [
        "株式会社湘南テクノ",
        "神奈川県横浜市西区みなとみらい1-1-1",
        "1,000,000円",
        "令和8年度（2026年度）",
        "第3世代波力発電",
        inquiry.email,
    ]:
        assert text in page, text
    assert set(response.context["adminform"].form.fields) == {"status", "assignee", "new_note"}
    assert 'id="add_id_assignee"' not in page and 'id="delete_id_assignee"' not in page

    response = post_change_form(
        staff_client,
        inquiry,
        company_name="書き換えた株式会社",
        planned_amount="999999999",
        email="other@example.jp",
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.company_name == "株式会社湘南テクノ"
    assert inquiry.planned_amount == 1_000_000
    assert inquiry.email.startswith("hanako")


def test_changing_the_status_records_who_and_when(staff_client, objects):
    inquiry = objects[DonationInquiry]
    before = timezone.now()
    response = post_change_form(staff_client, inquiry, status="contacting")
    assert response.status_code == 302, response.context and response.context["errors"]

    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.CONTACTING
    change = InquiryStatusChange.objects.get(inquiry=inquiry)
    assert (change.from_status, change.to_status) == ("received", "contacting")
    assert change.changed_by == staff_client.user
    assert change.changed_at >= before
    assert inquiry.history.latest().history_user == staff_client.user

    page = open_page(staff_client, admin_url(DonationInquiry, "change", inquiry.pk))
    assert "連絡中" in page.content.decode()
    history = open_page(staff_client, admin_url(DonationInquiry, "history", inquiry.pk))
    assert "sangyo" in history.content.decode()


def test_an_invalid_transition_is_a_form_error_and_changes_nothing(staff_client, objects):
    inquiry = objects[DonationInquiry]
    note_count = InquiryNote.objects.count()
    response = post_change_form(
        staff_client, inquiry, status="donated", new_note="寄附済みにしたい", assignee=""
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert [error.code for error in form.errors.as_data()["status"]] == ["invalid_transition"]
    assert "「受付」から「寄附済み」には変更できません。" in response.content.decode()
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.RECEIVED
    assert inquiry.assignee is not None
    assert not InquiryStatusChange.objects.filter(inquiry=inquiry).exists()
    assert InquiryNote.objects.count() == note_count


def test_the_status_field_says_which_statuses_may_follow(staff_client, objects):
    inquiry = objects[DonationInquiry]
    url = admin_url(DonationInquiry, "change", inquiry.pk)
    page = open_page(staff_client, url).content.decode()
    assert "次に選べる対応状況：連絡中、見送り（市）、取下げ（企業）" in page
    DonationInquiry.objects.filter(pk=inquiry.pk).update(status="donated")
    assert "この対応状況からは変更できません。" in open_page(staff_client, url).content.decode()


def test_a_note_is_added_with_its_author_and_listed(staff_client, objects):
    inquiry = objects[DonationInquiry]
    response = post_change_form(staff_client, inquiry, new_note="  電話で制度を説明した。 ")
    assert response.status_code == 302

    note = InquiryNote.objects.get(inquiry=inquiry)
    assert (note.author, note.body) == (staff_client.user, "電話で制度を説明した。")
    # Nothing else changed: saving the form with only a note records no status change.
    assert not InquiryStatusChange.objects.filter(inquiry=inquiry).exists()
    page = open_page(staff_client, admin_url(DonationInquiry, "change", inquiry.pk))
    assert "電話で制度を説明した。" in page.content.decode()

    # An empty note box adds nothing.
    post_change_form(staff_client, inquiry, new_note="   ")
    assert InquiryNote.objects.filter(inquiry=inquiry).count() == 1


def test_the_assignee_is_changed_through_the_form(staff_client, objects, django_user_model):
    inquiry = objects[DonationInquiry]
    colleague = django_user_model.objects.create_user(
        username="kanri", is_staff=True, password=None
    )
    outsider = django_user_model.objects.create_user(username="shimin", password=None)

    response = post_change_form(staff_client, inquiry, assignee=str(outsider.pk))
    assert response.status_code == 200
    assert "assignee" in response.context["adminform"].form.errors

    response = post_change_form(staff_client, inquiry, assignee=str(colleague.pk))
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.assignee == colleague
    assert inquiry.status == InquiryStatus.RECEIVED

    post_change_form(staff_client, inquiry, assignee="")
    inquiry.refresh_from_db()
    assert inquiry.assignee is None


def test_the_change_page_lists_notes_status_history_and_emails(staff_client, objects):
    inquiry = objects[DonationInquiry]
    InquiryStatusChange.objects.create(inquiry=inquiry, from_status="", to_status="received")
    InquiryNote.objects.create(inquiry=inquiry, author=staff_client.user, body="初回の連絡メモ")
    InquiryNotification.objects.filter(inquiry=inquiry, kind="acknowledgement").update(
        state="failed", last_error="ConnectionRefusedError: [Errno 111]", attempts=6
    )
    response = open_page(staff_client, admin_url(DonationInquiry, "change", inquiry.pk))
    page = response.content.decode()
    for text in [
        "初回の連絡メモ",
        "sangyo",
        "受付",
        "送信失敗",
        "ConnectionRefusedError",
        "受付確認",
    ]:
        assert text in page, text
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission


# --- Actions -------------------------------------------------------------------------------------


def test_the_resend_action_requeues_unsent_notifications(staff_client):
    inquiry = DonationInquiryFactory(
        notifications={"acknowledgement": "failed", "staff_notice": "sent"}
    )
    done = DonationInquiryFactory(notifications=ALL_SENT)

    response = run_action(staff_client, "resend_notifications", inquiry, done)

    assert ("success", "1件の通知メールを再送します。") in page_messages(response)
    failed = inquiry.notifications.get(kind="acknowledgement")
    assert (failed.state, failed.attempts, failed.next_attempt_at) == ("pending", 0, None)
    assert inquiry.notifications.get(kind="staff_notice").state == "sent"
    (task,) = DBTaskResult.objects.all()
    assert task.status == TaskResultStatus.READY
    assert task.args_kwargs["args"] == [failed.pk]

    response = run_action(staff_client, "resend_notifications", done)
    assert page_messages(response)[0][0] == "warning"
    assert DBTaskResult.objects.count() == 1


def test_assign_to_me(staff_client):
    inquiries = DonationInquiryFactory.create_batch(2)
    response = run_action(staff_client, "assign_to_me", *inquiries)
    assert ("success", "2件の担当者をsangyoにしました。") in page_messages(response)
    assert set(DonationInquiry.objects.values_list("assignee", flat=True)) == {staff_client.user.pk}


def test_status_actions_change_what_may_change_and_report_the_rest(staff_client):
    received = DonationInquiryFactory()
    closed = DonationInquiryFactory(status=InquiryStatus.DONATED)

    response = run_action(staff_client, "mark_contacting", received, closed)

    received.refresh_from_db()
    closed.refresh_from_db()
    assert (received.status, closed.status) == ("contacting", "donated")
    change = InquiryStatusChange.objects.get()
    assert (change.inquiry, change.changed_by) == (received, staff_client.user)
    assert page_messages(response) == [
        ("error", f"{closed.reference}：「寄附済み」から「連絡中」には変更できません。"),
        ("success", "1件を「連絡中」にしました。"),
    ]

    run_action(staff_client, "mark_pledged", received)
    run_action(staff_client, "mark_donated", received)
    received.refresh_from_db()
    assert received.status == "donated"
    assert InquiryStatusChange.objects.filter(changed_by=staff_client.user).count() == 3


# --- Permissions ---------------------------------------------------------------------------------


def test_only_superusers_may_delete_inquiries(staff_client, objects, django_user_model):
    inquiry = objects[DonationInquiry]
    clerk = django_user_model.objects.create_user(username="clerk", is_staff=True, password=None)
    # Every permission of the app, delete included: deleting still takes a superuser.
    clerk.user_permissions.set(Permission.objects.filter(content_type__app_label="donations"))
    client = Client()
    client.force_login(clerk)
    delete_url = admin_url(DonationInquiry, "delete", inquiry.pk)
    open_page(client, admin_url(DonationInquiry, "change", inquiry.pk))
    open_page(client, admin_url(DonationInquiry, "add"), 403)
    open_page(client, delete_url, 403)
    actions = open_page(client, admin_url(DonationInquiry, "changelist")).context["action_form"]
    assert "delete_selected" not in dict(actions.fields["action"].choices)

    response = staff_client.post(delete_url, {"post": "yes"})
    assert response.status_code == 302
    assert not DonationInquiry.objects.exists()

    # Spam, several at once, with everything stored with it.
    spam = DonationInquiryFactory.create_batch(2, notifications=ALL_SENT)
    InquiryNote.objects.create(inquiry=spam[0], author=clerk, body="迷惑な送信")
    response = staff_client.post(
        admin_url(DonationInquiry, "changelist"),
        {"action": "delete_selected", "_selected_action": [i.pk for i in spam], "post": "yes"},
    )
    assert response.status_code == 302
    assert not DonationInquiry.objects.exists()
    assert not InquiryNotification.objects.exists() and not InquiryNote.objects.exists()


def test_staff_who_may_only_view_see_the_inquiry_and_its_records(
    client, objects, django_user_model
):
    inquiry = objects[DonationInquiry]
    InquiryNote.objects.create(inquiry=inquiry, author=inquiry.assignee, body="閲覧のみのメモ")
    viewer = django_user_model.objects.create_user(username="etsuran", is_staff=True, password=None)
    viewer.user_permissions.set(Permission.objects.filter(codename="view_donationinquiry"))
    client.force_login(viewer)
    page = open_page(client, admin_url(DonationInquiry, "change", inquiry.pk)).content.decode()
    assert "閲覧のみのメモ" in page
    assert 'name="new_note"' not in page
    run_action(client, "assign_to_me", inquiry)
    inquiry.refresh_from_db()
    assert inquiry.assignee.username == "kikaku"
