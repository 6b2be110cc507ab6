"""Every admin page a superuser reaches reads in Japanese: no English UI word is left.

The pages are found, not listed: each model registered with the admin gives its changelist
(also searched), its add page (when adding is allowed), the change and history pages of one of
its records (with the seed loaded, or a record made here for models the seed leaves empty) and
the page each of its actions leads to (the confirmation, or the list with the action's message).
A page added by a new ModelAdmin or action is checked without changing this test; a model the
seed leaves empty needs a record made in ``RECORD_MAKERS``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from tests.admin_tools import admin_url

from .visible_text_tools import english_words, stored_texts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


def _make_inquiry():
    from donations.services import inquiry_add_note, inquiry_change_status
    from tests.donations.factories import ALL_SENT, DonationInquiryFactory

    inquiry = DonationInquiryFactory(notifications=ALL_SENT)
    user = _superuser()
    inquiry_add_note(inquiry=inquiry, author=user, body="電話で連絡しました。")
    inquiry_change_status(inquiry=inquiry, to_status="contacting", changed_by=user)
    return inquiry


def _make_receipt():
    from donations.models import Donation
    from donations.services import receipt_issue

    donation = Donation.objects.filter(donor__is_anonymous=False).exclude(donor__name="").first()
    donation.received_on = dt.date(donation.fiscal_year, 6, 1)
    donation.save()
    return receipt_issue(donation=donation, issued_by=_superuser())


def _make_application():
    from donations.services import inquiry_change_status

    inquiry = _make_inquiry()
    # The pledge issues the 寄附申出書.
    inquiry_change_status(inquiry=inquiry, to_status="pledged", changed_by=_superuser())
    return inquiry.applications.get()


def _make_task_result():
    from donations.tasks import deliver_notification

    return deliver_notification.enqueue(notification_id=0)


def _make_group():
    return Group.objects.create(name="確認用のグループ")


def _sign_in_attempt():
    # What django-axes stores for one failed sign-in; the values are data, the labels UI.
    return {
        "username": "sangyo",
        "ip_address": "192.0.2.10",
        "user_agent": "Mozilla/5.0",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }


def _make_access_attempt():
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        **_sign_in_attempt(), get_data="", post_data="username=sangyo", failures_since_start=1
    )


def _make_access_failure():
    from axes.models import AccessFailureLog

    return AccessFailureLog.objects.create(**_sign_in_attempt(), locked_out=False)


RECORD_MAKERS = {
    ("axes", "accessattempt"): _make_access_attempt,
    ("axes", "accessfailurelog"): _make_access_failure,
    ("donations", "donationinquiry"): _make_inquiry,
    ("donations", "donationreceipt"): _make_receipt,
    ("donations", "donationapplication"): _make_application,
    ("django_tasks_database", "dbtaskresult"): _make_task_result,
    ("auth", "group"): _make_group,
}


def _superuser():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_superuser=True).first()


def _registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


class Pages:
    """Opens admin pages as the superuser and collects the English words each shows."""

    def __init__(self, client):
        self.client = client
        self.data = stored_texts()
        self.found: dict[str, list[str]] = {}

    def refresh_data(self):
        self.data = stored_texts()

    def check(self, url: str, response=None, *, method: str = "GET"):
        if response is None:
            response = self.client.get(url)
        if response.status_code == 302:
            url = response.url
            response = self.client.get(url)
        assert response.status_code == 200, f"{method} {url}: {response.status_code}"
        words = english_words(response.content.decode(), self.data)
        if words:
            self.found[f"{method} {url}"] = sorted(set(words))

    def assert_japanese(self):
        report = "\n".join(f"  {url}: {' '.join(words)}" for url, words in self.found.items())
        assert not self.found, f"English left on these admin pages:\n{report}"


@pytest.fixture
def pages(staff_client, seeded):
    return Pages(staff_client)


def test_the_index_and_the_site_wide_pages_are_japanese(pages, client):
    pages.check(reverse("admin:index"))
    for app_label in sorted({model._meta.app_label for model, _ in _registered()}):
        pages.check(reverse("admin:app_list", args=[app_label]))
    pages.check(reverse("admin:password_change"))
    user = pages.client.user
    pages.check(reverse("admin:auth_user_password_change", args=[user.pk]))
    client.logout()
    anonymous = Pages(client)
    anonymous.check(reverse("admin:login"))
    pages.found |= anonymous.found
    pages.assert_japanese()


@pytest.mark.parametrize(
    "model",
    [model for model, _ in _registered()],
    ids=[model._meta.label_lower for model, _ in _registered()],
)
def test_every_page_of_each_model_admin_is_japanese(pages, staff, model):
    model_admin = admin.site._registry[model]
    opts = model._meta
    obj = model._default_manager.first()
    if obj is None and (opts.app_label, opts.model_name) in RECORD_MAKERS:
        RECORD_MAKERS[opts.app_label, opts.model_name]()
        obj = model._default_manager.first()
        pages.refresh_data()
    assert obj is not None, (
        f"{opts.label}: no record to open its change page; make one in RECORD_MAKERS"
    )

    changelist = admin_url(model, "changelist")
    request = RequestFactory().get(changelist)
    request.user = staff
    pages.check(changelist)
    if model_admin.get_search_fields(request):
        pages.check(f"{changelist}?q=平塚")
    if model_admin.has_add_permission(request):
        pages.check(admin_url(model, "add"))
    pages.check(admin_url(model, "change", obj.pk))
    pages.check(admin_url(model, "history", obj.pk))
    _check_audit_trail_pages(pages, model, obj)
    _check_spreadsheet_pages(pages, model, model_admin, request)

    for action in model_admin.get_actions(request):
        response = pages.client.post(
            changelist,
            {"action": action, "_selected_action": [obj.pk], "index": 0, "select_across": 0},
        )
        pages.check(f"{changelist} action={action}", response, method="POST")
    pages.assert_japanese()


def _check_audit_trail_pages(pages, model, obj) -> None:
    """A version of the record and the list of the model's deleted records (HistoryAdmin)."""
    history = getattr(model, "history", None)
    if history is None:
        return
    opts = model._meta
    version = history.model.objects.filter(id=obj.pk).order_by("-history_date").first()
    if version is not None:
        pages.check(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                args=[obj.pk, version.pk],
            )
        )
    with contextlib.suppress(NoReverseMatch):
        pages.check(reverse(f"admin:{opts.app_label}_{opts.model_name}_deleted"))


def _check_spreadsheet_pages(pages, model, model_admin, request) -> None:
    """The import form and the export form (django-import-export) where the admin has them."""
    for view, allowed in (
        ("import", getattr(model_admin, "has_import_permission", None)),
        ("export", getattr(model_admin, "has_export_permission", None)),
    ):
        if allowed is not None and allowed(request):
            with contextlib.suppress(NoReverseMatch):  # export-only admins have no import
                pages.check(admin_url(model, view))


def test_the_checker_finds_english_and_ignores_data():
    html = (
        "<h1>Select 寄附 to change</h1><script>var English = 1;</script>"
        '<input type="text" value="Stored text"><input type="submit" value="Save">'
        '<a title="View on site" href="/x/">Ocean Energy Lab</a><textarea>Typed</textarea>'
        "<p>PDFを開く https://example.jp/path sangyo@example.jp</p>"
    )
    assert english_words(html, ["Ocean Energy Lab"]) == [
        "Select",
        "to",
        "change",
        "Save",
        "View",
        "on",
        "site",
    ]


# --- What the walk above relies on, shown where staff notice it ---------------------------------


def test_an_inquirys_status_changes_read_as_labels_on_its_page_and_its_history(pages):
    inquiry = _make_inquiry()
    change = pages.client.get(admin_url(type(inquiry), "change", inquiry.pk)).content.decode()
    assert "受付" in change and "連絡中" in change
    history = pages.client.get(admin_url(type(inquiry), "history", inquiry.pk)).content.decode()
    assert "受付" in history and "連絡中" in history
    for code in ("received", "contacting", "None"):
        assert code not in english_words(history, [])


def test_yes_and_no_icons_are_read_out_in_japanese(pages):
    from projects.models import Project

    page = pages.client.get(admin_url(Project, "changelist")).content.decode()
    assert 'alt="はい"' in page and 'alt="いいえ"' in page
    assert 'alt="True"' not in page and 'alt="False"' not in page


def test_background_tasks_are_for_superusers_only(pages, client, django_user_model):
    from django.contrib.auth.models import Permission

    _make_task_result()
    superuser_index = pages.client.get(reverse("admin:index")).content.decode()
    assert "バックグラウンド処理" in superuser_index
    clerk = django_user_model.objects.create_user(username="clerk", is_staff=True, password=None)
    # Even a role given every permission on them does not see them.
    clerk.user_permissions.add(*Permission.objects.filter(codename__endswith="dbtaskresult"))
    client.force_login(clerk)
    assert "バックグラウンド処理" not in client.get(reverse("admin:index")).content.decode()
    changelist = reverse("admin:django_tasks_database_dbtaskresult_changelist")
    assert client.get(changelist).status_code == 403


def test_the_index_speaks_plainly_before_staff_have_done_anything(pages):
    page = pages.client.get(reverse("admin:index")).content.decode()
    assert "平塚市 知的対流推進事業 管理画面" in page
    assert "利用不可" not in page


def test_admin_pages_load_the_stylesheet_for_readable_japanese_columns(pages):
    from django.contrib.staticfiles import finders

    page = pages.client.get(reverse("admin:index")).content.decode()
    assert 'href="/static/css/admin-overrides.css"' in page
    css = Path(finders.find("css/admin-overrides.css")).read_text(encoding="utf-8")
    assert "word-break: keep-all" in css


def test_the_donation_list_says_in_one_short_column_what_is_published(pages):
    from donations.models import Donation

    cl = pages.client.get(admin_url(Donation, "changelist")).context["cl"]
    assert "publication" in cl.list_display
    assert "publish_name" not in cl.list_display and "publish_amount" not in cl.list_display
    model_admin = admin.site._registry[Donation]
    shown = {
        (d.publish_name, d.publish_amount): model_admin.publication(d)
        for d in Donation.objects.all()
    }
    assert shown[True, True] == "名称・金額"
    assert shown[False, True] == "金額のみ"


def test_the_admins_javascript_speaks_japanese_too(pages):
    # The calendar's labels and the time-zone note are drawn by JavaScript, from this catalogue.
    catalogue = pages.client.get(reverse("admin:jsi18n")).content.decode()
    assert "\\u6ce8\\u610f" in catalogue or "注意" in catalogue  # 注意：時刻は…
    assert "\\u4eca\\u65e5" in catalogue or "今日" in catalogue  # 今日（…）


@pytest.mark.parametrize("role", ["閲覧者", "編集者", "寄附担当"])
def test_what_each_role_reads_is_japanese_too(user_with_role, seeded, staff, role):
    """A role sees pages the superuser does not: read-only forms (閲覧者), masked personal data,
    lists without the actions it may not run."""
    client = user_with_role(role)
    pages = Pages(client)
    for maker in (_make_inquiry, _make_receipt):
        maker()
    pages.refresh_data()
    request = RequestFactory().get("/admin/")
    request.user = client.user
    pages.check(reverse("admin:index"))
    for model, model_admin in _registered():
        if not model_admin.has_view_permission(request):
            continue
        obj = model._default_manager.first()
        pages.check(admin_url(model, "changelist"))
        if obj is not None:
            pages.check(admin_url(model, "change", obj.pk))
            pages.check(admin_url(model, "history", obj.pk))
    pages.assert_japanese()
