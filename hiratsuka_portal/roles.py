"""The staff roles: who may do what in the admin, declared once (issue 11, point 1).

Each role is a group whose permissions are exactly what this policy grants. The data migration
``0005_staff_roles`` creates the groups, and a ``post_migrate`` handler (see ``apps.py``)
re-applies the policy after every ``migrate``, so a model added later gets its permissions
without anyone acting, and a permission removed by hand in the admin comes back. Exceptions for
one person belong in a group of their own, never in these.

Every model the site installs is classified below, by its ``app_label.model`` label (the site
may name the apps by label; it never imports their code here). A test refuses a model nobody
classified, so whoever adds a model decides who may see it.

Superusers can do everything; staff accounts need ``is_staff`` to reach ``/admin/`` and get
their role by group membership.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS

EDITOR = "編集者"
DONATIONS_OFFICER = "寄附担当"
VIEWER = "閲覧者"

VIEW = ("view",)
FULL = ("view", "add", "change", "delete")
STANDARD_ACTIONS = frozenset(FULL)

# The permission that shows an inquiry's personal data (contact person, e-mail, phone, address,
# message); see donations.models.inquiries.INQUIRY_PERSONAL_FIELDS.
VIEW_PERSONAL_DATA = "view_personal_data"

# --- What each model is --------------------------------------------------------------------------

# What the public sees: the projects, the research group, the agreements and the site's texts.
CONTENT = frozenset(
    {
        "core.siteprofile",
        "hiratsuka_portal.sitepage",
        "hiratsuka_portal.sitepagesection",
        "hiratsuka_portal.accessibilitycriterion",
        "projects.organization",
        "projects.theme",
        "projects.fundingsource",
        "projects.project",
        "projects.participation",
        "projects.funding",
        "projects.milestone",
        "projects.projectimage",
        "projects.video",
        "projects.researchgroup",
        "projects.membership",
        "projects.meeting",
        "projects.activityrecord",
        "projects.outcome",
        "projects.facility",
        "agreements.agreement",
        "agreements.focusarea",
        "agreements.article",
        "agreements.agreementevent",
        "agreements.agreementdocument",
        "agreements.agreementphoto",
        "agreements.relationshipphase",
        # An award the city received is news, not a donor's record.
        "donations.award",
    }
)

# The donation record: donors (with their contact data), donations, receipts, interviews, and
# the letter of thanks sent with a receipt.
DONATION_RECORD = frozenset(
    {
        "donations.donorletter",
        "donations.donor",
        "donations.donation",
        "donations.donationreceipt",
        "donations.donorinterview",
    }
)

# The inquiries companies send, and their follow-up.
INQUIRIES = frozenset(
    {
        "donations.donationinquiry",
        "donations.inquirynote",
        "donations.inquirystatuschange",
        "donations.inquirynotification",
        # The 寄附申出書 issued for a pledge (its PDF needs view_personal_data as well).
        "donations.donationapplication",
    }
)

# Internal machinery and accounts: superusers only, no role gets any permission on these.
# Optional packages (axes) are listed so that installing them needs no decision here again.
SUPERUSER_ONLY = frozenset(
    {
        "admin.logentry",
        "auth.group",
        "auth.permission",
        "auth.user",
        "contenttypes.contenttype",
        "sessions.session",
        "django_tasks_database.dbtaskresult",
        # The counter receipt_number_assign takes numbers from; staff see the numbers on receipts.
        "donations.receiptserial",
        # The row that marks a database of synthetic demo data (manage.py generate_demo_data).
        "hiratsuka_portal.demodatamarker",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accessfailurelog",
        "axes.accesslog",
        # The staff's second factor: secrets and recovery codes, reset by a superuser only.
        "otp_totp.totpdevice",
        "otp_static.staticdevice",
        "otp_static.statictoken",
    }
)

CLASSIFIED = CONTENT | DONATION_RECORD | INQUIRIES | SUPERUSER_ONLY


def _grant(models: Iterable[str], actions: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {model: actions for model in models}


# --- The roles -----------------------------------------------------------------------------------

# role → {"app_label.model": actions}. An action is view/add/change/delete, or the codename of a
# model's own permission (``view_personal_data``).
ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    EDITOR: _grant(CONTENT, FULL),
    DONATIONS_OFFICER: {
        **_grant(CONTENT, VIEW),
        **_grant(DONATION_RECORD, FULL),
        **_grant(INQUIRIES, FULL),
        "donations.donationinquiry": (*FULL, VIEW_PERSONAL_DATA),
    },
    VIEWER: _grant(CONTENT | DONATION_RECORD | INQUIRIES, VIEW),
}


def role_codenames(role: str) -> set[str]:
    """The permissions ``role`` grants, as ``app_label.codename`` (what ``has_perm`` takes)."""
    codenames = set()
    for label, actions in ROLES[role].items():
        app_label, model_name = label.split(".")
        for action in actions:
            codename = f"{action}_{model_name}" if action in STANDARD_ACTIONS else action
            codenames.add(f"{app_label}.{codename}")
    return codenames


def roles_apply(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the role groups and give each exactly the permissions the policy grants.

    ``apps`` is the registry to work with: a migration's historical one, or the project's.
    Models of packages not installed (axes before it is added) are skipped."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = {
        (app_label, codename): pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for role in ROLES:
        wanted = []
        for name in sorted(role_codenames(role)):
            app_label, codename = name.split(".")
            if (pk := permissions.get((app_label, codename))) is not None:
                wanted.append(pk)
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set(wanted)


def permissions_create_all(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create the content types and permissions of every installed app now.

    Django creates them after each app's migrations, so inside a migration on a fresh database
    (or before the last app's post_migrate) some do not exist yet."""
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)


def roles_sync(*, apps=global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """The post_migrate handler: every permission exists, then the policy is applied."""
    permissions_create_all(apps=apps, using=using)
    roles_apply(apps=apps, using=using)
