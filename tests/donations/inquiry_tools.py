"""A company's donation inquiry: what its contact answers, as the form posts it
(/donations/inquiry/) and as the services receive it once checked; and the task worker that
sends its e-mails."""

from __future__ import annotations

import io
import signal
import time

from django.core.management import call_command

from donations.abuse import issue_form_token
from donations.services import InquiryData

FORM = "/donations/inquiry/"
CONFIRM = "/donations/inquiry/confirm/"

ANSWERS = {
    "company_name": "株式会社湘南テクノ",
    "company_name_kana": "カブシキガイシャショウナンテクノ",
    "corporate_number": "",
    "postal_code": "220-0012",
    "head_office_address": "神奈川県横浜市西区みなとみらい1-1-1",
    "files_blue_return": True,
    "department": "総務部",
    "contact_name": "山田 花子",
    "contact_name_kana": "ヤマダ ハナコ",
    "email": "hanako@shonan-techno.example.jp",
    "phone": "045-000-0000",
    "planned_amount": 1_000_000,
    "planned_fiscal_year": 2026,
    "consent_publish_name": True,
    "consent_publish_amount": False,
    "message": "波力発電の取組みを応援したいと考えています。",
}


def inquiry_data(**overrides) -> InquiryData:
    """``ANSWERS`` as the services receive them; ``overrides`` change fields."""
    return InquiryData(**(ANSWERS | overrides))


def valid_data(**overrides) -> dict:
    """``ANSWERS`` as the form posts them, with the privacy consent; ``overrides`` change fields
    (``None`` leaves one out)."""
    data = {
        # A ticked box is posted as "on", an unticked one not at all.
        name: ("on" if value else None) if isinstance(value, bool) else str(value)
        for name, value in ANSWERS.items()
    }
    data |= {
        # A radio choice, not a box.
        "files_blue_return": "yes",
        "privacy_consent": "on",
        # A form shown ten seconds ago, as a person would send it.
        "form_token": issue_form_token(issued_at=time.time() - 10),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def send(client, url: str, data: dict):
    """What a company does: post the input page and, if it reaches the 確認 page, press
    「送信する」 there. The last response (the redirect to the thanks page, or the form again)."""
    response = client.post(url, data)
    if response.status_code != 302 or not response["Location"].endswith(CONFIRM):
        return response
    return client.post(response["Location"], {"send": "1"})


def run_worker() -> None:
    """The real task worker, once through whatever is due, as `manage.py db_worker` runs it.

    It commits and manages its own connections, as in production: tests that run it use real
    transactions (``django_db(transaction=True)``).
    """
    # The worker installs its own signal handlers; give the test process its own back.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            verbosity=0,
            stdout=io.StringIO(),
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
