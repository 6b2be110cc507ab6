"""Videos and outside pages on the project pages: a link only where staff entered an address,
marked 外部リンク, and nothing loaded from the other site until the visitor follows it."""

from __future__ import annotations

import pytest

from tests.page_tools import html

from .factories import ProjectFactory, VideoFactory

pytestmark = pytest.mark.django_db


def video_card(page: str) -> str:
    return page.split('<figure class="video-card">')[1].split("</figure>")[0]


def test_a_video_with_an_address_links_to_it_marked_as_an_outside_link(client):
    project = ProjectFactory()
    VideoFactory(
        projects=[project], title_ja="波力発電の記録", url="https://www.youtube.com/watch?v=abc"
    )
    card = video_card(html(client, project.get_absolute_url()))
    assert 'href="https://www.youtube.com/watch?v=abc"' in card
    assert "動画「波力発電の記録」を見る" in card
    assert "（外部リンク）" in card
    assert 'target="_blank"' in card and 'alt="新しいウィンドウで開きます"' in card
    # Nothing from the video service is loaded with the page: no player, no remote image.
    assert "<iframe" not in card and "youtube.com/embed" not in card
    assert 'src="https://' not in card and "ytimg" not in card


def test_a_video_with_an_address_in_english(client):
    project = ProjectFactory()
    VideoFactory(
        projects=[project], title_en="Wave record", url="https://www.youtube.com/watch?v=abc"
    )
    card = video_card(html(client, "/en" + project.get_absolute_url()))
    assert "(external link)" in card and 'alt="Opens in a new window"' in card


def test_a_video_without_an_address_offers_nothing_to_play(client, settings):
    project = ProjectFactory()
    VideoFactory(projects=[project], title_ja="波力発電の記録", url="")
    card = video_card(html(client, project.get_absolute_url()))
    assert "波力発電の記録" in card
    assert "<a " not in card and "外部リンク" not in card and "見る" not in card
    assert "video-link.svg" not in card  # the picture with a play button
    placeholder = (settings.BASE_DIR / "static/img/video-placeholder.svg").read_text()
    assert "<circle" not in placeholder and '<path d="M150' not in placeholder


def test_seed_videos_have_no_address_so_no_play_button(client, seeded):
    page = html(client, "/projects/wave-power-3rd-generation/")
    assert "波力発電の研究開発・人材育成拠点化" in page
    assert "video-link.svg" not in page


def test_project_page_links_the_page_staff_entered(client):
    project = ProjectFactory(
        link_url="https://www.city.example.jp/wave.html",
        link_text_ja="新産業創出促進事業（平塚市）",
        link_text_en="The city's page on the project",
    )
    page = html(client, project.get_absolute_url())
    assert 'href="https://www.city.example.jp/wave.html"' in page
    assert (
        '新産業創出促進事業（平塚市）<span class="external-link__mark">（外部リンク）<img' in page
    )
    assert "The city&#x27;s page on the project" in html(client, "/en" + project.get_absolute_url())


def test_project_page_without_a_link_shows_none(client):
    project = ProjectFactory(link_url="")
    page = html(client, project.get_absolute_url())
    assert "関連ページ" not in page and "外部リンク" not in page
