"""The staff roles (hiratsuka_portal/roles.py): every model is classified, the groups are kept in
step by migrate, and each boundary holds by URL and by action."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.urls import NoReverseMatch, reverse
from django_tasks_db.models import DBTaskResult
from simple_history.models import HistoricalChanges

from agreements.models import Agreement
from donations.models import Donation, DonationInquiry, InquiryStatus
from hiratsuka_portal import roles
from projects.models import Project
from tests.admin_tools import admin_url, open_page, post_change_form
from tests.agreements.factories import AgreementFactory
from tests.donations.factories import DonationFactory, DonationInquiryFactory
from tests.projects.factories import OrganizationFactory, ProjectFactory

pytestmark = pytest.mark.django_db

OUR_APPS = {"core", "hiratsuka_portal", "projects", "donations", "agreements"}


def model_label(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


# --- The policy ----------------------------------------------------------------------------------


def test_every_model_is_classified_by_the_policy():
    # A developer adding a model must say who may see it: an unclassified model fails here.
    # Historical models follow the model they record (simple-history checks the model's own
    # permissions), so they need no entry of their own.
    models = [m for m in apps.get_models() if not issubclass(m, HistoricalChanges)]
    assert {m._meta.app_label for m in models} >= OUR_APPS
    unclassified = sorted(model_label(m) for m in models if model_label(m) not in roles.CLASSIFIED)
    assert unclassified == []


def test_the_policy_names_only_models_that_exist_or_optional_packages():
    installed = {model_label(m) for m in apps.get_models()}
    optional = {label for label in roles.CLASSIFIED if label.startswith("axes.")}
    assert roles.CLASSIFIED - installed <= optional
    # Each model is in one class only.
    classes = [roles.CONTENT, roles.DONATION_RECORD, roles.INQUIRIES, roles.SUPERUSER_ONLY]
    assert sum(len(c) for c in classes) == len(roles.CLASSIFIED)


def group_codenames(role: str) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.parametrize("role", [roles.EDITOR, roles.DONATIONS_OFFICER, roles.VIEWER])
def test_the_migration_made_each_role_with_exactly_its_permissions(role):
    assert group_codenames(role) == roles.role_codenames(role)


def test_no_role_gets_internal_machinery_or_accounts():
    for role in roles.ROLES:
        granted = {name.split(".")[0] for name in group_codenames(role)}
        assert not granted & {"auth", "admin", "contenttypes", "sessions", "django_tasks_database"}


def test_only_the_donations_officer_may_see_inquiries_personal_data():
    permission = "donations.view_personal_data"
    assert Permission.objects.get(codename="view_personal_data").name == (
        "問い合わせの個人情報を閲覧できる"
    )
    assert permission in group_codenames(roles.DONATIONS_OFFICER)
    assert permission not in group_codenames(roles.VIEWER)
    assert permission not in group_codenames(roles.EDITOR)


def test_a_removed_permission_comes_back_after_migrate():
    editors = Group.objects.get(name=roles.EDITOR)
    change_project = Permission.objects.get(codename="change_project")
    editors.permissions.remove(change_project)
    # A permission someone added by hand goes too: the roles are exactly the policy.
    editors.permissions.add(Permission.objects.get(codename="view_donationinquiry"))

    call_command("migrate", verbosity=0)

    assert editors.permissions.filter(pk=change_project.pk).exists()
    assert not editors.permissions.filter(codename="view_donationinquiry").exists()


def test_a_model_added_later_gets_its_permissions_from_post_migrate():
    # As after a new model's migration: its permissions do not exist yet, then post_migrate runs.
    Permission.objects.filter(codename__endswith="_facility").delete()
    assert not Group.objects.get(name=roles.EDITOR).permissions.filter(codename="change_facility")

    post_migrate.send(
        sender=apps.get_app_config("hiratsuka_portal"),
        app_config=apps.get_app_config("hiratsuka_portal"),
        verbosity=0,
        interactive=False,
        using="default",
        apps=apps,
        plan=[],
    )

    assert Group.objects.get(name=roles.EDITOR).permissions.filter(codename="change_facility")
    assert group_codenames(roles.VIEWER) >= {"projects.view_facility"}


# --- 編集者 ---------------------------------------------------------------------------------------


@pytest.fixture
def records():
    project = ProjectFactory(title_ja="波力船")
    return {
        "project": project,
        "agreement": AgreementFactory(parties=[OrganizationFactory()]),
        "donation": DonationFactory(amount=1_000_000),
        "inquiry": DonationInquiryFactory(
            contact_name="山田 花子",
            email="hanako@shonan-techno.example.jp",
            phone="0463-00-1234",
            head_office_address="神奈川県横浜市西区みなとみらい1-1-1",
            message="寄附の時期を相談したい",
        ),
    }


def export_urls(inquiry) -> list[str]:
    """The inquiry export's URL, once django-import-export adds it (another part of issue 11)."""
    try:
        return [reverse("admin:donations_donationinquiry_export")]
    except NoReverseMatch:
        return []


def test_an_editor_gets_403_on_every_inquiry_page(user_with_role, records):
    editor = user_with_role(roles.EDITOR)
    inquiry = records["inquiry"]
    for url in [
        admin_url(DonationInquiry, "changelist"),
        admin_url(DonationInquiry, "change", inquiry.pk),
        admin_url(DonationInquiry, "history", inquiry.pk),
        admin_url(DonationInquiry, "deleted"),
        *export_urls(inquiry),
    ]:
        assert editor.get(url).status_code == 403, url
    version = inquiry.history.first()
    url = reverse("admin:donations_donationinquiry_simple_history", args=[inquiry.pk, version.pk])
    assert editor.get(url).status_code == 403


def test_an_editor_changes_a_project_and_an_agreement(user_with_role, records):
    editor = user_with_role(roles.EDITOR)
    response = post_change_form(editor, records["project"], title_ja="波力船（改良型）")
    assert response.status_code == 302
    assert Project.objects.get(pk=records["project"].pk).title_ja == "波力船（改良型）"

    agreement = records["agreement"]
    response = post_change_form(editor, agreement, title_ja="連携協力に関する協定（改定）")
    assert response.status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).title_ja == "連携協力に関する協定（改定）"


def test_an_editor_sees_no_donations_anywhere(user_with_role, records):
    editor = user_with_role(roles.EDITOR)
    donation = records["donation"]
    assert editor.get(admin_url(Donation, "changelist")).status_code == 403
    assert editor.get(admin_url(Donation, "change", donation.pk)).status_code == 403
    index = open_page(editor, reverse("admin:index")).content.decode()
    assert admin_url(Project, "changelist") in index
    for hidden in [Donation, DonationInquiry, DBTaskResult]:
        assert admin_url(hidden, "changelist") not in index


# --- 寄附担当 -------------------------------------------------------------------------------------


def test_a_donations_officer_changes_a_donation_and_follows_an_inquiry_up(user_with_role, records):
    officer = user_with_role(roles.DONATIONS_OFFICER)
    donation = records["donation"]
    response = post_change_form(officer, donation, amount="2000000")
    assert response.status_code == 302
    assert Donation.objects.get(pk=donation.pk).amount == 2_000_000

    inquiry = records["inquiry"]
    response = post_change_form(officer, inquiry, status=InquiryStatus.CONTACTING)
    assert response.status_code == 302
    assert DonationInquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.CONTACTING
    # The officer sees who wrote and how to reach them.
    page = open_page(officer, admin_url(DonationInquiry, "change", inquiry.pk)).content.decode()
    assert "hanako@shonan-techno.example.jp" in page and "山田 花子" in page


def test_a_donations_officer_reads_but_cannot_change_a_project(user_with_role, records):
    officer = user_with_role(roles.DONATIONS_OFFICER)
    project = records["project"]
    response = open_page(officer, admin_url(Project, "change", project.pk))
    assert not response.context["has_change_permission"]
    response = officer.post(admin_url(Project, "change", project.pk), {"title_ja": "書き換え"})
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).title_ja == "波力船"


# --- 閲覧者 ---------------------------------------------------------------------------------------


def test_a_viewer_opens_every_page_it_may_view(user_with_role, records):
    viewer = user_with_role(roles.VIEWER)
    for obj in records.values():
        model = type(obj)
        open_page(viewer, admin_url(model, "changelist"))
        open_page(viewer, admin_url(model, "change", obj.pk))
        open_page(viewer, admin_url(model, "history", obj.pk))
        assert viewer.get(admin_url(model, "add")).status_code == 403


def test_a_viewer_cannot_save_delete_or_run_actions(user_with_role, records):
    viewer = user_with_role(roles.VIEWER)
    project = records["project"]
    response = viewer.post(admin_url(Project, "change", project.pk), {"title_ja": "書き換え"})
    assert response.status_code == 403
    response = viewer.post(admin_url(Project, "delete", project.pk), {"post": "yes"})
    assert response.status_code == 403
    response = viewer.post(
        admin_url(Project, "changelist"),
        {"action": "delete_selected", "_selected_action": [project.pk], "post": "yes"},
    )
    assert Project.objects.filter(pk=project.pk, title_ja="波力船").exists()
    inquiry = records["inquiry"]
    response = viewer.post(
        admin_url(DonationInquiry, "changelist"),
        {"action": "mark_contacting", "_selected_action": [inquiry.pk]},
    )
    assert DonationInquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.RECEIVED


def test_a_viewer_cannot_revert_to_a_past_version(user_with_role, records):
    viewer = user_with_role(roles.VIEWER)
    project = records["project"]
    first = project.history.earliest()
    project.title_ja = "波力船（第2版）"
    project.save()
    url = reverse("admin:projects_project_simple_history", args=[project.pk, first.pk])
    open_page(viewer, url)
    assert viewer.post(url, {}).status_code == 403
    assert Project.objects.get(pk=project.pk).title_ja == "波力船（第2版）"


PERSONAL = [
    "山田 花子",
    "ヤマダ",
    "hanako@shonan-techno.example.jp",
    "0463-00-1234",
    "神奈川県横浜市西区みなとみらい1-1-1",
    "寄附の時期を相談したい",
]


def test_a_viewer_sees_no_personal_data_of_an_inquiry(user_with_role, records):
    viewer = user_with_role(roles.VIEWER)
    inquiry = records["inquiry"]
    # A change by the officer, so that the history has a version with changed fields.
    inquiry.email = "taro@shonan-techno.example.jp"
    inquiry.save()
    inquiry.notes.create(author=user_with_role(roles.DONATIONS_OFFICER).user, body="花子様に電話")
    version = inquiry.history.first()
    pages = [
        admin_url(DonationInquiry, "changelist"),
        admin_url(DonationInquiry, "change", inquiry.pk),
        admin_url(DonationInquiry, "history", inquiry.pk),
        reverse("admin:donations_donationinquiry_simple_history", args=[inquiry.pk, version.pk]),
    ]
    for url in pages:
        page = open_page(viewer, url).content.decode()
        assert inquiry.company_name in page, url
        for text in [*PERSONAL, "taro@shonan-techno.example.jp", "花子様に電話"]:
            assert text not in page, (url, text)
    # Nor can a search by e-mail address tell that the company wrote.
    url = admin_url(DonationInquiry, "changelist") + "?q=hanako@shonan-techno.example.jp"
    assert list(open_page(viewer, url).context["cl"].result_list) == []


def test_the_officer_sees_the_personal_data_in_the_history(user_with_role, records):
    officer = user_with_role(roles.DONATIONS_OFFICER)
    inquiry = records["inquiry"]
    inquiry.email = "taro@shonan-techno.example.jp"
    inquiry.save()
    page = open_page(officer, admin_url(DonationInquiry, "history", inquiry.pk))
    text = page.content.decode()
    assert "hanako@shonan-techno.example.jp → taro@shonan-techno.example.jp" in text


# --- Superusers and machinery --------------------------------------------------------------------


def test_only_a_superuser_sees_the_task_results(staff_client, user_with_role):
    url = admin_url(DBTaskResult, "changelist")
    open_page(staff_client, url)
    assert url in open_page(staff_client, reverse("admin:index")).content.decode()
    for role in roles.ROLES:
        client = user_with_role(role)
        assert client.get(url).status_code == 403, role
        assert url not in open_page(client, reverse("admin:index")).content.decode()


def test_a_role_needs_a_staff_account_to_reach_the_admin(user_with_role):
    client = user_with_role(roles.EDITOR)
    client.user.is_staff = False
    client.user.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/login/" in response["Location"]
