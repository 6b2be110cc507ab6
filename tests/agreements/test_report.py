"""/agreements/report.pdf: each agreement's purpose and articles, the history and the phases of
the relationship, read back with poppler's tools."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from agreements.models import Agreement
from core import pdf
from tests.core.pdf_tools import (
    assert_accessible_japanese_pdf,
    assert_text,
    get_pdf,
    pdf_text,
    squeezed,
)
from tests.page_tools import html
from tests.projects.factories import ProjectFactory

from .factories import AgreementEventFactory, AgreementFactory, ArticleFactory

pytestmark = pytest.mark.django_db

URL = "/agreements/report.pdf"

PURPOSE = (
    "この協定は、東京大学生産技術研究所及び平塚市の密接な連携と協力のもと、海洋活用技術の研究開発を"
    "推進するとともに、新産業創出及び人材育成等に寄与することを目的とする。"
)
ARTICLES = [
    "海洋活用技術の研究開発に関すること。",
    "海洋再生可能エネルギー及び海中観測実装にかかる実証実験に関すること。",
    "海洋再生可能エネルギーを活用した新産業創出及びそれを支えるものづくり技術の高度化に関すること。",
    "海洋再生可能エネルギーに関連した人材の育成に関すること。",
    "実証実験の公開等、アウトリーチ活動に関すること。",
]


def test_purpose_articles_history_and_phases(client, seeded):
    content = get_pdf(client, URL).content
    assert_text(content, "東京大学生産技術研究所との協定", PURPOSE, *ARTICLES)
    assert_text(
        content,
        "平成31年3月19日（2019年3月19日）",
        "令和6年3月25日（2024年3月25日）から",
        "現行",
        "協定締結式",
        "2019年3月19日に締結した連携協力協定が終了",
        "海洋活用技術",
        "初期",
        "タワーの移管",
        "協定締結後",
        "IDCORE",
    )
    info = assert_accessible_japanese_pdf(
        content, title="東京大学生産技術研究所との協定", language="ja"
    )
    assert 2 <= int(info["Pages"]) <= 6


def test_the_five_articles_in_their_order(client, seeded):
    text = squeezed(pdf_text(get_pdf(client, URL).content))
    positions = [text.index(squeezed(article)) for article in ARTICLES]
    assert positions == sorted(positions)


def test_english_version(client, seeded):
    content = get_pdf(client, "/en" + URL).content
    assert_text(
        content,
        "Agreement with the University of Tokyo IIS",
        "The purpose of this agreement is",
        "Matters concerning research and development",
        "Matters concerning outreach activities",
        "March 19, 2019",
        "Signing ceremony",
    )
    assert "令和" not in pdf_text(content)
    assert_accessible_japanese_pdf(
        content, title="Agreement with the University of Tokyo IIS", language="en"
    )


def test_drafts_stay_out(client, db):
    AgreementFactory(title_ja="公開の協定", purpose_ja="公開の目的")
    draft = AgreementFactory(title_ja="下書きの協定", purpose_ja="下書きの目的", published_at=None)
    AgreementEventFactory(agreement=draft, title_ja="下書きの協定の締結")
    article = ArticleFactory(
        agreement=AgreementFactory(title_ja="別の公開協定"),
        projects=[
            ProjectFactory(title_ja="公開の事業"),
            ProjectFactory(title_ja="準備中の事業", published_at=None),
        ],
    )
    text = squeezed(pdf_text(get_pdf(client, URL).content))
    assert "公開の協定" in text and "公開の目的" in text and "公開の事業" in text
    assert article.text_ja in text
    for secret in ("下書きの協定", "下書きの目的", "準備中の事業"):
        assert secret not in text, secret


@pytest.mark.slow
def test_file_name_caching_and_change(client, seeded, monkeypatch):
    first = get_pdf(client, URL)
    assert 'filename="hiratsuka-iis-agreements.pdf"' in first["Content-Disposition"]
    name = quote("平塚市_東京大学生産技術研究所との協定.pdf")
    assert f"filename*=utf-8''{name}" in first["Content-Disposition"]

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again although nothing changed")

    with monkeypatch.context() as patched:
        patched.setattr(pdf, "render_pdf", must_not_render)
        assert client.get(URL, headers={"if-none-match": first["ETag"]}).status_code == 304

    agreement = Agreement.objects.get(slug="iis-2024")
    agreement.purpose_ja = "改めた目的。"
    agreement.save()
    changed = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert_text(changed.content, "改めた目的。")


def test_the_agreement_pages_link_to_the_pdf(client, seeded):
    link = '<a href="/agreements/report.pdf" type="application/pdf">協定の内容と経緯（PDF版）</a>'
    assert link in html(client, "/agreements/")
    assert link in html(client, "/agreements/iis-2024/")
    assert 'href="/en/agreements/report.pdf"' in html(client, "/en/agreements/")
