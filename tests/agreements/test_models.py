"""The agreements' rules: the database refuses what cannot be true, validation names the field
to correct, and the status follows the dates to the day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from agreements.models import Agreement, Article

from .factories import (
    FIRST_SIGNING,
    AgreementDocumentFactory,
    AgreementEventFactory,
    AgreementFactory,
    AgreementPhotoFactory,
    ArticleFactory,
    RelationshipPhaseFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def refused_by_the_database(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def validation_errors(obj, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean(**kwargs)
    return caught.value.message_dict


# --- The database refuses what cannot be true --------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(
            lambda: AgreementFactory(in_force_until=FIRST_SIGNING - DAY),
            id="ends-before-it-starts",
        ),
        pytest.param(
            lambda: AgreementFactory(in_force_from=FIRST_SIGNING - DAY),
            id="in-force-before-signing",
        ),
        pytest.param(
            lambda: AgreementDocumentFactory(agreement=None, event=None),
            id="document-of-nothing",
        ),
        pytest.param(
            lambda: AgreementPhotoFactory(alt_text_ja="", alt_text_en=""),
            id="photo-without-alt",
        ),
        pytest.param(lambda: ArticleFactory(number=0), id="article-number-0"),
        pytest.param(
            lambda: RelationshipPhaseFactory(start_fiscal_year=2019, end_fiscal_year=2018),
            id="phase-ends-before-it-starts",
        ),
    ],
)
def test_the_database_refuses(make):
    refused_by_the_database(make)


def test_the_database_refuses_an_agreement_superseding_itself():
    agreement = AgreementFactory()
    agreement.supersedes = agreement
    refused_by_the_database(agreement.save)


def test_the_database_refuses_two_articles_with_the_same_number():
    first = ArticleFactory(number=1)
    refused_by_the_database(lambda: ArticleFactory(agreement=first.agreement, number=1))
    # The same number in another agreement is fine.
    ArticleFactory(number=1)


def test_what_the_database_allows_at_the_edges():
    # Ends the day it starts; in force the day it is signed; a phase within one year; a
    # document of the agreement itself; an open-ended phase.
    AgreementFactory(in_force_until=FIRST_SIGNING)
    AgreementFactory(signed_on=FIRST_SIGNING, in_force_from=FIRST_SIGNING + DAY)
    RelationshipPhaseFactory(start_fiscal_year=2019, end_fiscal_year=2019)
    RelationshipPhaseFactory(start_fiscal_year=2019, end_fiscal_year=None)
    AgreementDocumentFactory(agreement=AgreementFactory(), event=None)
    successor = AgreementFactory(supersedes=AgreementFactory())
    assert successor.supersedes.superseded_by == successor


# --- Validation names the field to correct -----------------------------------------------------


def test_an_agreement_ending_before_it_starts_is_refused_on_the_end_date():
    agreement = AgreementFactory.build(in_force_until=FIRST_SIGNING - DAY)
    assert validation_errors(agreement) == {
        "in_force_until": ["終了日は効力の発生日以降にしてください。"]
    }


def test_an_agreement_in_force_before_it_was_signed_is_refused_on_the_start_date():
    agreement = AgreementFactory.build(in_force_from=FIRST_SIGNING - DAY)
    assert validation_errors(agreement) == {
        "in_force_from": ["効力の発生日は締結日以降にしてください。"]
    }


def test_both_date_errors_are_reported_at_once():
    agreement = AgreementFactory.build(
        signed_on=dt.date(2024, 3, 25),
        in_force_from=dt.date(2024, 3, 1),
        in_force_until=dt.date(2024, 2, 1),
    )
    assert set(validation_errors(agreement)) == {"in_force_from", "in_force_until"}


def test_the_date_errors_have_codes():
    agreement = AgreementFactory.build(in_force_until=FIRST_SIGNING - DAY)
    with pytest.raises(ValidationError) as caught:
        agreement.clean()
    assert caught.value.error_dict["in_force_until"][0].code == "period_reversed"
    agreement = AgreementFactory.build(in_force_from=FIRST_SIGNING - DAY)
    with pytest.raises(ValidationError) as caught:
        agreement.clean()
    assert caught.value.error_dict["in_force_from"][0].code == "in_force_before_signing"


def test_a_sensible_agreement_is_valid():
    AgreementFactory.build().full_clean()
    AgreementFactory.build(in_force_until=FIRST_SIGNING).full_clean()


def test_an_agreement_cannot_take_the_history_pages_url_name(client):
    # /agreements/history/ is the history by fiscal year: such an agreement's page would be
    # out of reach, so staff are told at once.
    agreement = AgreementFactory.build(slug="history")
    errors = validation_errors(agreement)
    assert errors["slug"] == [
        "「history」はほかのページのアドレスに使われているため、URL用の名前にできません。"
    ]
    assert client.get("/agreements/history/").status_code == 200


def test_an_agreement_cannot_take_the_url_name_of_the_page_of_all_agreements(client):
    agreement = AgreementFactory.build(slug="all")
    assert validation_errors(agreement)["slug"] == [
        "「all」はほかのページのアドレスに使われているため、URL用の名前にできません。"
    ]
    assert client.get("/agreements/all/").status_code == 200


def test_a_photo_without_alt_text_is_refused_on_the_alt_text():
    photo = AgreementPhotoFactory.build(event=AgreementEventFactory(), alt_text_ja="")
    assert "alt_text" in validation_errors(photo, exclude=["image"])


def test_a_document_of_nothing_is_refused():
    document = AgreementDocumentFactory.build(agreement=None, event=None)
    assert "__all__" in validation_errors(document)
    document.event = AgreementEventFactory()
    document.full_clean()


def test_a_duplicate_article_number_is_refused():
    first = ArticleFactory(number=1)
    duplicate = Article(agreement=first.agreement, number=1, text_ja="重複")
    assert "__all__" in validation_errors(duplicate)
    Article(agreement=first.agreement, number=2, text_ja="次の条").full_clean()


def test_article_number_0_is_refused():
    article = Article(agreement=AgreementFactory(), number=0, text_ja="第0条")
    # The error sits on the number field, where staff typed it.
    assert "number" in validation_errors(article)


def test_a_phase_ending_before_it_starts_is_refused():
    phase = RelationshipPhaseFactory.build(start_fiscal_year=2019, end_fiscal_year=2018)
    assert validation_errors(phase)["__all__"] == ["終了年度は開始年度以降にしてください。"]


def test_an_agreement_superseding_itself_is_refused_by_validation():
    agreement = AgreementFactory()
    agreement.supersedes = agreement
    assert validation_errors(agreement)


# --- The status follows the dates --------------------------------------------------------------

FROM = dt.date(2019, 3, 19)
UNTIL = dt.date(2024, 3, 31)


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (FROM - DAY, Agreement.Status.NOT_YET),
        (FROM, Agreement.Status.IN_FORCE),
        (UNTIL, Agreement.Status.IN_FORCE),
        (UNTIL + DAY, Agreement.Status.ENDED),
    ],
    ids=["day-before", "first-day", "last-day", "day-after"],
)
def test_status_on_the_boundaries(day, status):
    agreement = AgreementFactory.build(in_force_from=FROM, in_force_until=UNTIL)
    assert agreement.status_on(day) == status


def test_without_an_end_date_an_agreement_stays_in_force():
    agreement = AgreementFactory.build(in_force_from=FROM, in_force_until=None)
    assert agreement.status_on(FROM - DAY) == Agreement.Status.NOT_YET
    for day in [FROM, UNTIL + DAY, dt.date(2100, 1, 1), dt.date.max]:
        assert agreement.status_on(day) == Agreement.Status.IN_FORCE


def test_status_labels_are_japanese():
    assert [Agreement.Status(value).label for value in ["in_force", "ended", "not_yet"]] == [
        "現行",
        "終了",
        "発効前",
    ]


def test_status_is_todays(monkeypatch):
    agreement = AgreementFactory.build(in_force_from=FROM, in_force_until=UNTIL)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: UNTIL)
    assert agreement.status == Agreement.Status.IN_FORCE
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: UNTIL + DAY)
    assert agreement.status == Agreement.Status.ENDED


def test_in_force_keeps_the_agreements_in_force_on_the_day():
    ended = AgreementFactory(in_force_from=FROM, in_force_until=UNTIL)
    current = AgreementFactory(signed_on=dt.date(2024, 3, 25), in_force_from=UNTIL + DAY)
    assert set(Agreement.objects.in_force(on=FROM - DAY)) == set()
    assert set(Agreement.objects.in_force(on=FROM)) == {ended}
    assert set(Agreement.objects.in_force(on=UNTIL)) == {ended}
    assert set(Agreement.objects.in_force(on=UNTIL + DAY)) == {current}


def test_in_force_defaults_to_today(monkeypatch):
    agreement = AgreementFactory(in_force_from=FROM, in_force_until=UNTIL)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: UNTIL)
    assert list(Agreement.objects.in_force()) == [agreement]
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: UNTIL + DAY)
    assert list(Agreement.objects.in_force()) == []


dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2040, 12, 31))
lengths = st.integers(min_value=0, max_value=3000).map(lambda days: days * DAY)


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    # The database fixture is shared; each example rolls its rows back itself.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    signed_on=dates,
    delay=st.integers(min_value=0, max_value=30).map(lambda days: days * DAY),
    length=st.none() | lengths,
    day=dates,
)
def test_in_force_agrees_with_status_on(signed_on, delay, length, day):
    in_force_from = signed_on + delay
    in_force_until = in_force_from + length if length is not None else None
    with transaction.atomic():
        agreement = AgreementFactory(
            signed_on=signed_on, in_force_from=in_force_from, in_force_until=in_force_until
        )
        listed = Agreement.objects.in_force(on=day).filter(pk=agreement.pk).exists()
        assert listed == (agreement.status_on(day) == Agreement.Status.IN_FORCE)
        transaction.set_rollback(True)
