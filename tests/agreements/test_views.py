"""The agreements pages, as citizens see them."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement
from core.japanese import date_label
from tests.page_tools import html
from tests.projects.factories import ProjectFactory

from .factories import (
    AgreementEventFactory,
    AgreementFactory,
    ArticleFactory,
    FocusAreaFactory,
    RelationshipPhaseFactory,
)

pytestmark = pytest.mark.django_db


# --- The seed documents' facts ---------------------------------------------------------------


def test_history_page_shows_both_agreements_and_the_one_in_force(client, seeded):
    page = html(client, "/agreements/")
    assert "平成31年3月19日（2019年3月19日）" in page
    assert "令和6年3月25日（2024年3月25日）" in page
    assert "令和6年3月31日（2024年3月31日）まで" in page
    # The 2024 agreement is in force today, the 2019 one has ended.
    current = page.split("agreement-card--current")[1].split("</li>")[0]
    assert "令和6年3月25日" in current and "現行" in current
    assert "終了" in page
    # The phases of the relationship, with roles, funding and stance.
    for fact in [
        "タワーの移管",
        "平塚海洋エネルギー研究会",
        "漁港使用許可",
        "地方創生推進交付金",
        "シビックプライド",
        "IDCORE",
        "企業版ふるさと納税",
    ]:
        assert fact in page, fact


def test_history_reads_in_date_order(client, seeded):
    page = html(client, "/agreements/")
    history = page.split('id="history-heading"')[1]
    dates = ["2019年3月19日", "2024年2月13日", "2024年3月25日", "2024年3月31日"]
    positions = [history.index(date) for date in dates]
    assert positions == sorted(positions)


def test_agreement_page_has_purpose_background_articles_and_events(client, seeded):
    page = html(client, "/agreements/iis-2019/")
    assert (
        "海洋活用技術の研究開発を推進するとともに、新産業創出及び人材育成等に寄与すること" in page
    )
    assert "地方創生推進交付金は平成30年度で終了することになっていました" in page
    for article in [
        "海洋活用技術の研究開発に関すること。",
        "実証実験の公開等、アウトリーチ活動に関すること。",
    ]:
        assert article in page
    assert "波力発電所の見学会" in page
    assert "AI、電気自動車、水素製造、化学" in page
    assert "平塚市産業振興計画2024" in page
    assert 'href="/agreements/iis-2024/"' in page  # succeeded by the 2024 agreement
    page = html(client, "/agreements/iis-2024/")
    assert "平塚市発表資料" in page and "東京大学生産技術研究所発表資料" in page
    assert "大漁旗" in page


def test_pages_in_english(client, seeded):
    page = html(client, "/en/agreements/")
    assert '<html lang="en">' in page
    assert "March 19, 2019" in page
    assert "Current" in page and "(signed 2019)" in page and "(signed 2024)" in page
    page = html(client, "/en/agreements/iis-2024/")
    assert "March 25, 2024" in page


def test_home_page_shows_the_agreement_in_force(client, seeded):
    page = html(client, "/")
    slot = page.split('id="agreement-in-force-heading"')[1].split("</section>")[0]
    assert 'href="/agreements/iis-2024/"' in slot
    assert "令和6年3月25日（2024年3月25日）に締結" in slot


# --- The status follows the dates --------------------------------------------------------------


def test_an_agreement_past_its_end_date_reads_ended_without_any_edit(client, db):
    today = timezone.localdate()
    ended = AgreementFactory(
        slug="ended",
        signed_on=today - datetime.timedelta(days=400),
        in_force_from=today - datetime.timedelta(days=400),
        in_force_until=today - datetime.timedelta(days=1),
    )
    current = AgreementFactory(
        slug="current",
        signed_on=today - datetime.timedelta(days=1),
        in_force_from=today - datetime.timedelta(days=1),
    )
    assert ended.status == Agreement.Status.ENDED
    assert current.status == Agreement.Status.IN_FORCE
    assert '<span class="status-badge status-badge--agreement-ended">終了</span>' in html(
        client, "/agreements/ended/"
    )
    assert "現行" in html(client, "/agreements/current/")
    # Until yesterday it was in force: nothing but the date changed.
    assert ended.status_on(today - datetime.timedelta(days=1)) == Agreement.Status.IN_FORCE


def test_the_two_agreements_are_told_apart_at_a_glance(client, seeded):
    page = html(client, "/agreements/")
    cards = page.split('<ol class="agreement-list">')[1].split("</ol>")[0].split("<li")[1:]
    headings = [card.split("<h3")[1].split("</h3>")[0] for card in cards]
    assert len(headings) == 2
    old, new = sorted(headings, key=lambda heading: "2024年締結" in heading)
    assert "連携協力協定（2019年締結）</a>" in old and ">終了</span>" in old
    assert "連携協力協定（2024年締結）</a>" in new and ">現行</span>" in new
    assert "<title>東京大学生産技術研究所及び平塚市との連携協力協定（2019年締結）" in html(
        client, "/agreements/iis-2019/"
    )


def test_the_2019_page_labels_the_draft_and_the_past_context(client, seeded):
    page = html(client, "/agreements/iis-2019/")
    assert "協定の締結に向けて作成した協定書（案）の文言です。" in page
    assert '<h2 id="purpose-heading">目的（協定書（案）の文言）</h2>' in page
    assert "協定の内容（協定書（案）の文案）と想定する事業等</h2>" in page
    assert '<h2 id="background-heading">協定締結時（2019年）の背景</h2>' in page
    assert "当時、平塚海洋エネルギー研究会では" in page
    assert "平成30年度で終了する。" not in page and "工事を予定している。" not in page
    assert "当時、市内に本社・本店を置く東証１部上場企業は２社" in page
    assert "当時、マザーズ上場企業はなく" in page
    english = html(client, "/en/agreements/iis-2019/")
    assert "Purpose (wording of the draft agreement)" in english
    assert "Background at the signing (2019)" in english
    assert "At the time, two companies listed on the First Section" in english
    # The 2024 agreement's purpose is the city's own text: no draft label.
    assert "協定書（案）" not in html(client, "/agreements/iis-2024/")


@pytest.mark.parametrize(
    ("days_until_end", "japanese", "english"),
    [
        (1, "に終了します。", "will end on"),
        (0, "に終了します。", "will end on"),  # in force to the end of its last day
        (-1, "に終了しました。", "ended on"),
    ],
)
def test_the_tense_of_an_agreements_end_follows_today(
    client, db, days_until_end, japanese, english
):
    today = timezone.localdate()
    end = today + datetime.timedelta(days=days_until_end)
    old = AgreementFactory(
        slug="old",
        signed_on=today - datetime.timedelta(days=400),
        in_force_from=today - datetime.timedelta(days=400),
        in_force_until=end,
    )
    AgreementFactory(
        slug="new",
        signed_on=today - datetime.timedelta(days=5),
        in_force_from=today - datetime.timedelta(days=5),
        supersedes=old,
    )
    wrong = "に終了しました。" if japanese == "に終了します。" else "に終了します。"
    for url in ("/agreements/", "/agreements/old/", "/agreements/new/"):
        page = html(client, url)
        assert f"{date_label(end)}{japanese}" in page, url
        assert wrong not in page, url
    assert english in html(client, "/en/agreements/new/")


def test_unpublished_agreement_is_404(client, db):
    AgreementFactory(slug="draft", published_at=None)
    assert client.get("/agreements/draft/").status_code == 404
    assert "draft" not in html(client, "/agreements/")


def test_an_article_names_only_the_public_projects_it_expects(client, db):
    agreement = AgreementFactory(slug="with-projects")
    ArticleFactory(
        agreement=agreement,
        projects=[
            ProjectFactory(slug="public-trial", title_ja="公開中の実証"),
            ProjectFactory(slug="draft-trial", title_ja="準備中の実証", published_at=None),
        ],
    )
    page = html(client, "/agreements/with-projects/")
    assert "公開中の実証" in page and "/projects/public-trial/" in page
    # A draft's title is not out yet, and its link would answer 404.
    assert "準備中の実証" not in page and "/projects/draft-trial/" not in page


# --- Constant queries ---------------------------------------------------------------------------


def make_agreements(count: int) -> list[Agreement]:
    agreements = AgreementFactory.create_batch(count)
    for agreement in agreements:
        ArticleFactory(agreement=agreement, number=1)
        ArticleFactory(agreement=agreement, number=2)
        FocusAreaFactory(agreement=agreement)
        AgreementEventFactory.create_batch(2, agreement=agreement)
    RelationshipPhaseFactory.create_batch(2)
    return agreements


@pytest.mark.parametrize(
    "url_of",
    [lambda a: "/agreements/", lambda a: a.get_absolute_url(), lambda a: "/"],
    ids=["list", "detail", "home"],
)
def test_pages_take_the_same_number_of_queries_with_2_and_50_agreements(client, url_of):
    def queries() -> int:
        agreement = Agreement.objects.order_by("pk").first()
        with CaptureQueriesContext(connection) as context:
            assert client.get(url_of(agreement)).status_code == 200
        return len(context.captured_queries)

    make_agreements(2)
    with_two = queries()
    make_agreements(48)
    assert queries() == with_two
