"""Sign-in protection (django-axes): five failed sign-ins for one account from one address
lock that account for that address for 30 minutes; a superuser lifts the lock in the admin."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.core.factories import SiteProfileFactory

pytestmark = pytest.mark.django_db

PASSWORD = "umi-no-kaze-2026"
LOGIN = reverse("admin:login")
LOCK_MESSAGE = "ログインの試行が続けて失敗したため、このアカウントは30分間ロックされています。"


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # The real hasher is deliberately slow; these tests sign in a dozen times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        username="henshu", password=PASSWORD, is_staff=True
    )


def sign_in(client, password: str, address: str = "192.0.2.10", username: str = "henshu"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def fail_five_times(client, address: str = "192.0.2.10") -> None:
    for _ in range(5):
        response = sign_in(client, "wrong-password", address)
        assert response.status_code in (200, 429)


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_right_password_signs_in(client, editor):
    assert signed_in(sign_in(client, PASSWORD))


def test_five_failures_lock_the_account_even_against_the_right_password(client, editor):
    SiteProfileFactory()
    fail_five_times(client)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert LOCK_MESSAGE in html
    # Whom to ask: the city's contact, in the admin's own look.
    assert "0463-21-9758" in html and "sangyo-s@city.hiratsuka.kanagawa.jp" in html
    assert "平塚市 知的対流推進事業 管理画面" in html
    assert "_auth_user_id" not in client.session


def test_four_failures_do_not_lock(client, editor):
    for _ in range(4):
        sign_in(client, "wrong-password")
    assert signed_in(sign_in(client, PASSWORD))


def test_the_lock_holds_for_that_address_only(client, editor):
    fail_five_times(client, "192.0.2.10")
    assert signed_in(sign_in(client, PASSWORD, address="198.51.100.7"))


def test_the_lock_holds_for_that_account_only(client, editor, django_user_model):
    django_user_model.objects.create_user(username="kifu", password=PASSWORD, is_staff=True)
    fail_five_times(client)
    assert signed_in(sign_in(client, PASSWORD, username="kifu"))


def test_the_lock_expires_after_30_minutes(client, editor):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail_five_times(client)
        traveller.shift(timedelta(minutes=29))
        assert sign_in(client, PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=2))
        assert signed_in(sign_in(client, PASSWORD))


def test_the_attempts_are_recorded(client, editor):
    fail_five_times(client)
    attempt = AccessAttempt.objects.get(username="henshu")
    assert attempt.ip_address == "192.0.2.10"
    assert attempt.failures_since_start == 5
    assert AccessFailureLog.objects.filter(username="henshu").count() == 5
    # The password typed is never stored.
    assert "wrong-password" not in attempt.post_data


def test_a_superuser_lifts_the_lock_in_the_admin(editor, staff_client):
    client = Client()  # the locked-out member of staff, on another computer
    fail_five_times(client)
    attempt = AccessAttempt.objects.get(username="henshu")
    changelist = reverse("admin:axes_accessattempt_changelist")
    html = staff_client.get(changelist).content.decode()
    assert "henshu" in html and "ロック中" in html
    response = staff_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert signed_in(sign_in(client, PASSWORD))


def test_the_sign_in_records_are_for_superusers_only(client, editor):
    client.force_login(editor)
    editor.user_permissions.set([])
    for name in ("accessattempt", "accesslog", "accessfailurelog"):
        assert client.get(reverse(f"admin:axes_{name}_changelist")).status_code == 403
    assert "ログインの保護" not in client.get(reverse("admin:index")).content.decode()


def test_the_admin_shows_the_records_in_japanese(staff_client, editor):
    fail_five_times(Client())
    index = staff_client.get(reverse("admin:index")).content.decode()
    assert "ログインの保護" in index
    html = staff_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    for word in ("アクセス試行", "IPアドレス", "ユーザー名", "失敗回数"):
        assert word in html
    for english in ("Access attempt", "IP Address", "Failed Logins", "Locked Out"):
        assert english not in html
