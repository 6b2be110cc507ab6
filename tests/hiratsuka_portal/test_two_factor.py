"""A second factor for staff (issue 14): a code from an authenticator app after the password,
required of superusers and 寄附担当 (STAFF_TWO_FACTOR), with recovery codes, a superuser's
reset, and wrong codes counted by the sign-in lockout (django-axes)."""

from __future__ import annotations

import re
from base64 import b32encode
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.two_factor_tools import code_for_key, current_code, totp_device

pytestmark = pytest.mark.django_db

PASSWORD = "umi-no-kaze-2026"
LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")
VERIFY = reverse("two_factor:verify")
RECOVERY = reverse("two_factor:recovery")
ENROL = reverse("two_factor:enrol")
MANAGE = reverse("two_factor:manage")
LOCK_MESSAGE = "ログインの試行が続けて失敗したため、このアカウントは30分間ロックされています。"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The real hasher is deliberately slow; these tests sign in many times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_staff(django_user_model):
    def make(username: str, *, role: str | None = None, superuser: bool = False):
        user = django_user_model.objects.create_user(
            username=username, password=PASSWORD, is_staff=True, is_superuser=superuser
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def officer(make_staff):
    """A member of 寄附担当: must use a second factor under the default policy."""
    return make_staff("kifu", role="寄附担当")


@pytest.fixture
def editor(make_staff):
    """A member of 編集者: may use a second factor, need not."""
    return make_staff("henshu", role="編集者")


@pytest.fixture
def superuser(make_staff):
    return make_staff("kanri", superuser=True)


def sign_in(client, username: str, password: str = PASSWORD, address: str = "192.0.2.10"):
    return client.post(
        LOGIN, {"username": username, "password": password, "next": INDEX}, REMOTE_ADDR=address
    )


def enter_code(client, code: str, address: str = "192.0.2.10", url: str = VERIFY):
    return client.post(url, {"code": code, "next": INDEX}, REMOTE_ADDR=address)


def in_the_admin(client) -> bool:
    return client.get(INDEX).status_code == 200


def redirected_to(response, url: str) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0] == url


# --- Enrolment ---------------------------------------------------------------------------------


def test_a_required_account_without_a_device_is_sent_to_enrolment(client, officer):
    response = sign_in(client, "kifu")
    assert response.status_code == 302
    # The admin itself, every page of it, sends the account to the enrolment first.
    for url in (
        INDEX,
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_change", args=[officer.pk]),
        reverse("admin:password_change"),
        reverse("admin:donations_donation_changelist"),
        MANAGE,
        VERIFY,
    ):
        assert redirected_to(client.get(url), ENROL), url
    assert client.get(INDEX, follow=True).redirect_chain[-1][0].startswith(ENROL)


def test_the_enrolment_page_draws_the_qr_code_itself(client, officer):
    sign_in(client, "kifu")
    response = client.get(ENROL)
    assert response.status_code == 200
    html = response.content.decode()
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    qr = re.search(r"<svg [^>]*class=\"two-factor-qr\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in qr and "<title>認証アプリで読み取るQRコード</title>" in qr
    assert 'viewBox="0 0 ' in qr
    # Drawn here: no image to fetch from anywhere, no data: URL for the CSP to allow.
    assert "<img" not in html.split('id="content-main"')[1]
    assert "data:" not in qr and "http" not in qr
    assert "chart.googleapis" not in html and "otpauth://" not in html
    # The secret for typing in by hand, grouped in fours.
    secret = b32encode(device.bin_key).decode()
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    assert grouped in html
    # The field is labelled and tells phones what it wants.
    assert '<label for="id_code">確認コード（6桁）' in html
    assert 'autocomplete="one-time-code"' in html and 'inputmode="numeric"' in html
    assert 'aria-describedby="id_code_helptext"' in html
    # A reload shows the same code, not a new secret.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=officer).count() == 1


def test_enrolment_with_the_right_code_confirms_and_shows_the_recovery_codes_once(client, officer):
    sign_in(client, "kifu")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer)
    response = client.post(ENROL, {"code": code_for_key(device.key), "next": INDEX})
    assert redirected_to(response, reverse("two_factor:recovery_codes"))
    device.refresh_from_db()
    assert device.confirmed
    page = client.get(response["Location"])
    html = page.content.decode()
    tokens = set(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert len(tokens) == 10
    shown = {code.replace("-", "") for code in re.findall(r"<code>([a-z2-7-]{9})</code>", html)}
    assert shown == tokens
    assert "一度だけ表示されます" in html and "印刷" in html
    assert f'href="{INDEX}"' in html
    # Once: the next visit shows them no more.
    assert redirected_to(client.get(response["Location"]), MANAGE)
    assert "<code>" not in client.get(MANAGE).content.decode()
    # The session that enrolled is verified: the admin opens.
    assert in_the_admin(client)


def test_enrolment_with_a_wrong_code_confirms_nothing(client, officer):
    sign_in(client, "kifu")
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer)
    wrong = f"{(int(code_for_key(device.key)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong})
    assert response.status_code == 200
    html = response.content.decode()
    assert "コードが正しくありません" in html
    # The error is tied to the field.
    assert 'aria-invalid="true"' in html and 'id="id_code_error"' in html
    assert 'aria-describedby="id_code_helptext id_code_error"' in html
    assert not TOTPDevice.objects.filter(user=officer, confirmed=True).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert redirected_to(client.get(INDEX), ENROL)


def test_a_code_that_is_not_six_digits_is_refused_politely(client, officer):
    sign_in(client, "kifu")
    response = client.post(ENROL, {"code": "12ab"})
    assert response.status_code == 200
    assert "確認コードは6桁の数字です。" in response.content.decode()


# --- Sign-in with the code ---------------------------------------------------------------------


def test_sign_in_with_the_code_reaches_the_admin(client, officer):
    device = totp_device(officer)
    assert redirected_to(sign_in(client, "kifu"), INDEX)
    assert redirected_to(client.get(INDEX), VERIFY)
    page = client.get(VERIFY).content.decode()
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert "回復コードでログインする" in page
    # Nothing of the admin before the code: no app list, no links but the sign-out.
    assert "寄附" not in page.split('id="content-main"')[0].split("</header>")[-1]
    assert reverse("admin:password_change") not in page
    response = enter_code(client, current_code(device))
    assert redirected_to(response, INDEX)
    assert in_the_admin(client)


def test_the_code_may_be_typed_with_a_space(client, officer):
    device = totp_device(officer)
    sign_in(client, "kifu")
    code = current_code(device)
    assert redirected_to(enter_code(client, f"{code[:3]} {code[3:]}"), INDEX)


def test_without_the_code_the_admin_stays_shut(client, officer, superuser):
    totp_device(officer)
    sign_in(client, "kifu")
    for url in (
        INDEX,
        reverse("admin:donations_donation_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:password_change"),
        ENROL,
        MANAGE,
        reverse("admin:auth_user_two_factor_reset", args=[superuser.pk]),
    ):
        assert redirected_to(client.get(url), VERIFY), url


def test_without_the_code_staff_privileges_do_not_reach_the_public_site(client, superuser):
    totp_device(superuser)
    sign_in(client, "kanri")
    # A verified staff session would preview drafts (X-Robots-Tag marks a preview).
    assert "X-Robots-Tag" not in client.get("/projects/?preview=1")


def test_a_wrong_code_is_refused(client, officer):
    device = totp_device(officer)
    sign_in(client, "kifu")
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = enter_code(client, wrong)
    assert response.status_code == 200
    html = response.content.decode()
    assert "コードが正しくありません" in html and 'aria-invalid="true"' in html
    assert not in_the_admin(client)


def test_a_code_is_good_once(officer):
    device = totp_device(officer)
    first, second = Client(), Client()
    sign_in(first, "kifu")
    sign_in(second, "kifu")
    code = current_code(device)
    assert redirected_to(enter_code(first, code), INDEX)
    # Seen over someone's shoulder, it is worth nothing afterwards.
    assert enter_code(second, code).status_code == 200
    assert not in_the_admin(second)


def test_django_otp_throttling_stays_on(client, officer):
    device = totp_device(officer)
    sign_in(client, "kifu")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        enter_code(client, "000000" if current_code(device) != "000000" else "111111")
        # At once after a wrong code, even the right one waits.
        response = enter_code(client, current_code(device))
        assert "少し待ってから" in response.content.decode()
        traveller.shift(timedelta(seconds=5))
        assert redirected_to(enter_code(client, current_code(device)), INDEX)


def test_an_optional_account_reaches_the_admin_with_the_password_alone(client, editor):
    assert redirected_to(sign_in(client, "henshu"), INDEX)
    assert in_the_admin(client)


def test_an_optional_account_that_enrolled_signs_in_with_a_code(client, editor):
    device = totp_device(editor)
    sign_in(client, "henshu")
    assert redirected_to(client.get(INDEX), VERIFY)
    enter_code(client, current_code(device))
    assert in_the_admin(client)


# --- Recovery codes ----------------------------------------------------------------------------


def test_a_recovery_code_works_once(officer):
    totp_device(officer)
    static = StaticDevice.objects.create(user=officer, name="回復コード")
    static.token_set.create(token="abcd2345")
    static.token_set.create(token="efgh6789")
    first = Client()
    sign_in(first, "kifu")
    assert 'autocomplete="off"' in first.get(RECOVERY).content.decode()
    response = enter_code(first, "ABCD-2345", url=RECOVERY)
    assert redirected_to(response, INDEX)
    index = first.get(INDEX)
    assert index.status_code == 200
    assert "残りの回復コードは1個です" in index.content.decode()
    # Used: the same code no more.
    second = Client()
    sign_in(second, "kifu")
    response = enter_code(second, "abcd2345", url=RECOVERY)
    assert response.status_code == 200
    assert "コードが正しくありません" in response.content.decode()
    assert not in_the_admin(second)


def test_new_recovery_codes_replace_the_old_ones(client, editor):
    totp_device(editor)
    static = StaticDevice.objects.create(user=editor, name="回復コード")
    static.token_set.create(token="abcd2345")
    sign_in(client, "henshu")
    enter_code(client, current_code(TOTPDevice.objects.get(user=editor)))
    assert "未使用の回復コードは1個です" in client.get(MANAGE).content.decode()
    response = client.post(reverse("two_factor:recovery_codes_new"))
    html = client.get(response["Location"]).content.decode()
    assert html.count("<code>") == 10
    assert not StaticToken.objects.filter(token="abcd2345").exists()


# --- The 「二段階認証」 page ---------------------------------------------------------------------


def test_the_user_tools_link_to_the_two_factor_page(staff_client):
    assert f'href="{MANAGE}"' in staff_client.get(INDEX).content.decode()


def test_an_optional_account_enrols_and_removes_its_own_device(client, editor):
    sign_in(client, "henshu")
    page = client.get(MANAGE).content.decode()
    assert "二段階認証を使っていません" in page and f'href="{ENROL}"' in page
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=editor)
    client.post(ENROL, {"code": code_for_key(device.key)})
    assert TOTPDevice.objects.get(user=editor).confirmed
    assert f'href="{reverse("two_factor:remove")}"' in client.get(MANAGE).content.decode()
    response = client.post(reverse("two_factor:remove"))
    assert redirected_to(response, MANAGE)
    assert not TOTPDevice.objects.filter(user=editor).exists()
    assert not StaticDevice.objects.filter(user=editor).exists()
    assert in_the_admin(client)


def test_a_required_account_cannot_remove_its_device(client, officer):
    device = totp_device(officer)
    sign_in(client, "kifu")
    enter_code(client, current_code(device))
    assert reverse("two_factor:remove") not in client.get(MANAGE).content.decode()
    assert client.post(reverse("two_factor:remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).exists()


def test_a_session_owing_its_code_cannot_enrol_a_new_device(client, officer):
    totp_device(officer)
    sign_in(client, "kifu")
    assert redirected_to(client.get(ENROL), VERIFY)
    assert redirected_to(client.post(ENROL, {"code": "123456"}), VERIFY)
    assert TOTPDevice.objects.filter(user=officer).count() == 1


# --- The setting -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "must"),
    [
        ("roles", {"kanri", "kifu"}),
        ("everyone", {"kanri", "kifu", "henshu", "etsuran"}),
        ("none", set()),
    ],
)
def test_the_setting_says_who_must_use_it(settings, make_staff, policy, must):
    settings.STAFF_TWO_FACTOR = policy
    make_staff("kanri", superuser=True)
    make_staff("kifu", role="寄附担当")
    make_staff("henshu", role="編集者")
    make_staff("etsuran", role="閲覧者")
    for username in ("kanri", "kifu", "henshu", "etsuran"):
        client = Client()
        sign_in(client, username)
        expected = ENROL if username in must else INDEX
        assert redirected_to(client.get(INDEX), expected) or (
            expected == INDEX and in_the_admin(client)
        ), (policy, username)


def test_the_default_is_roles(settings):
    assert settings.STAFF_TWO_FACTOR == "roles"


def test_a_typo_in_the_setting_stops_the_start(tmp_path):
    from tests.hiratsuka_portal.test_settings import manage

    result = manage("check", env={"STAFF_TWO_FACTOR": "evryone", "DJANGO_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "STAFF_TWO_FACTOR" in result.stderr


def test_under_none_an_enrolled_account_still_gives_its_code(settings, client, officer):
    # "Nobody must" does not switch off a factor someone chose to have.
    settings.STAFF_TWO_FACTOR = "none"
    totp_device(officer)
    sign_in(client, "kifu")
    assert redirected_to(client.get(INDEX), VERIFY)


# --- The lockout -------------------------------------------------------------------------------


def wrong_code(user) -> str:
    right = current_code(TOTPDevice.objects.get(user=user))
    return "000000" if right != "000000" else "111111"


def test_wrong_codes_reach_the_lockout(client, officer, settings):
    totp_device(officer)
    sign_in(client, "kifu")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert enter_code(client, wrong_code(officer)).status_code == 200
    response = enter_code(client, wrong_code(officer))
    assert response.status_code == 429
    assert LOCK_MESSAGE in response.content.decode()
    # The half-done sign-in is over, and the password alone cannot start another.
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="kifu").failures_since_start == 5
    assert sign_in(client, "kifu").status_code == 429


def test_re_entering_the_password_does_not_give_fresh_guesses(client, officer):
    totp_device(officer)
    sign_in(client, "kifu")
    for _ in range(3):
        enter_code(client, wrong_code(officer))
    client.post(reverse("admin:logout"))
    sign_in(client, "kifu")
    enter_code(client, wrong_code(officer))
    assert enter_code(client, wrong_code(officer)).status_code == 429


def test_a_locked_account_cannot_reach_the_second_step(officer):
    totp_device(officer)
    waiting = Client()
    sign_in(waiting, "kifu")
    # Meanwhile someone fails with the password from the same address until the lock.
    other = Client()
    for _ in range(5):
        sign_in(other, "kifu", password="wrong-password")
    response = waiting.get(VERIFY, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    assert LOCK_MESSAGE in response.content.decode()
    assert enter_code(waiting, current_code(TOTPDevice.objects.get(user=officer))).status_code in (
        302,
        429,
    )
    assert not in_the_admin(waiting)


def test_the_right_code_forgets_earlier_failures(client, officer):
    device = totp_device(officer)
    sign_in(client, "kifu")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(3):
            enter_code(client, wrong_code(officer))
        traveller.shift(timedelta(seconds=10))
        assert redirected_to(enter_code(client, current_code(device)), INDEX)
    assert not AccessAttempt.objects.filter(username="kifu").exists()


# --- A superuser's reset -----------------------------------------------------------------------


def test_a_superuser_resets_a_lost_device(staff_client, officer):
    totp_device(officer)
    StaticDevice.objects.create(user=officer, name="回復コード").token_set.create(token="abcd2345")
    change = reverse("admin:auth_user_change", args=[officer.pk])
    reset = reverse("admin:auth_user_two_factor_reset", args=[officer.pk])
    assert f'href="{reset}"' in staff_client.get(change).content.decode()
    confirmation = staff_client.get(reset)
    assert confirmation.status_code == 200
    assert "kifu の認証アプリの設定と回復コードを削除します" in confirmation.content.decode()
    assert TOTPDevice.objects.filter(user=officer).exists()  # a GET changes nothing
    response = staff_client.post(reset)
    assert redirected_to(response, change)
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    # Who and when, in the user's history.
    entry = LogEntry.objects.get(object_id=str(officer.pk))
    assert entry.user == staff_client.user and entry.is_change()
    assert "二段階認証をリセットしました" in entry.get_change_message()
    history = staff_client.get(reverse("admin:auth_user_history", args=[officer.pk]))
    assert "二段階認証をリセットしました" in history.content.decode()
    # The account enrols again at its next sign-in.
    client = Client()
    sign_in(client, "kifu")
    assert redirected_to(client.get(INDEX), ENROL)


def test_a_reset_ends_the_verified_session_of_the_account(officer, staff_client):
    device = totp_device(officer)
    client = Client()
    sign_in(client, "kifu")
    enter_code(client, current_code(device))
    assert in_the_admin(client)
    staff_client.post(reverse("admin:auth_user_two_factor_reset", args=[officer.pk]))
    assert redirected_to(client.get(INDEX), ENROL)


@pytest.mark.parametrize("role", ["寄附担当", "編集者", "閲覧者"])
def test_no_one_but_a_superuser_resets(user_with_role, superuser, role):
    client = user_with_role(role)
    totp_device(superuser)
    reset = reverse("admin:auth_user_two_factor_reset", args=[superuser.pk])
    assert client.get(reset).status_code == 403
    assert client.post(reset).status_code == 403
    assert TOTPDevice.objects.filter(user=superuser).exists()
    assert not LogEntry.objects.exists()


def test_the_device_admins_of_django_otp_are_not_shown(staff_client):
    # They would show the secrets; the reset is the one thing a superuser does with a device.
    html = staff_client.get(INDEX).content.decode()
    assert "otp_totp" not in html and "otp_static" not in html
