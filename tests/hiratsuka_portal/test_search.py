"""Site search (/search/?q=): what a visitor finds, what stays hidden, and that no query breaks
the page."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.search import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    RESULTS_PER_KIND,
    highlight,
    parse_query,
    registered_sources,
    snippet,
    term_pattern,
)
from donations.models import Donor
from projects.models import Project
from tests.donations.factories import DonationFactory, DonorFactory
from tests.projects.factories import (
    MilestoneFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db


def search(client, query: str, *, prefix: str = "", **params) -> str:
    response = client.get(f"{prefix}/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def group(page: str, key: str) -> str:
    """One kind's section of the results page ("" when the kind found nothing)."""
    match = re.search(
        rf'<section class="search-group" aria-labelledby="results-{key}">.*?</section>', page, re.S
    )
    return match.group(0) if match else ""


def plain(page: str) -> str:
    return re.sub(r"</?mark>", "", page)


def result_titles(page: str) -> list[str]:
    titles = re.findall(r'<h3 class="search-result__title"><a href="[^"]*">(.*?)</a></h3>', page)
    return [plain(title) for title in titles]


# --- The seed documents' facts --------------------------------------------------------------


def test_wave_power_finds_both_projects_and_the_plant_highlighted(client, seeded):
    page = search(client, "波力")
    projects = group(page, "projects")
    assert (
        '<a href="/projects/wave-power-3rd-generation/">第3世代<mark>波力</mark>発電</a>'
        in projects
    )
    assert '<a href="/projects/wave-powered-boat/"><mark>波力</mark>船</a>' in projects
    assert "平塚<mark>波力</mark>発電所（第2世代）" in projects
    # Records whose title matches come before those that only mention the term.
    assert result_titles(projects)[:3] == ["第3世代波力発電", "平塚波力発電所（第2世代）", "波力船"]
    assert "平塚<mark>波力</mark>発電所</a>" in group(page, "facilities")
    assert "<title>「波力」の検索結果 | サイト内検索 |" in page
    assert re.search(r"研究開発プロジェクト <span class=\"search-group__count\">\d+件</span>", page)


def test_english_query_finds_english_content_under_en(client, seeded):
    page = search(client, "wave", prefix="/en")
    assert '<html lang="en">' in page
    projects = group(page, "projects")
    assert (
        'href="/en/projects/wave-power-3rd-generation/">Third-generation <mark>wave</mark> power'
        in (projects)
    )
    assert "<mark>Wave</mark>-powered boat" in projects
    # The English page searches the English texts only.
    assert "第3世代波力発電" not in search(client, "波力発電", prefix="/en")


def test_study_group_finds_its_meetings_and_outcomes(client, seeded):
    page = search(client, "研究会")
    meetings = result_titles(group(page, "meetings"))
    assert "総会" in meetings and "ゴムラダーの水槽実験" in meetings
    assert 'href="/research-group/#meetings-heading"' in group(page, "meetings")
    assert "特許申請" in result_titles(group(page, "outcomes"))
    assert "平塚海洋エネルギー<mark>研究会</mark>" in group(page, "research-group")


def test_published_donor_is_found_by_name(client, seeded):
    donors = group(search(client, "ヤフー"), "donors")
    assert '<a href="/donations/#record-heading"><mark>ヤフー</mark>株式会社</a>' in donors
    assert "寄附の年度：" in donors


@pytest.mark.parametrize(
    ("query", "key", "title"),
    [
        ("陸上試験", "milestones", "新型発電機の陸上試験"),
        ("特許申請", "outcomes", "特許申請"),
        ("実験タワー", "facilities", "平塚沖総合実験タワー"),
        ("海洋エネルギー研究会", "research-group", "平塚海洋エネルギー研究会"),
        ("ゴムラダー", "meetings", "ゴムラダーの水槽実験"),
        ("横浜ゴム", "organizations", "横浜ゴム"),
        ("ヤフー", "donors", "ヤフー株式会社"),
        ("連携協力協定", "agreements", "東京大学生産技術研究所及び平塚市との連携協力協定"),
        ("人材の育成", "articles", "海洋再生可能エネルギーに関連した人材の育成に関すること。"),
        ("協定締結式", "events", "協定締結式"),
    ],
)
def test_every_kind_of_record_can_be_found(client, seeded, query, key, title):
    found = result_titles(group(search(client, query), key))
    assert title in found


def test_every_kind_renders_in_english(client, seeded):
    for query, key in [
        ("Hiratsuka", "projects"),
        ("Hiratsuka", "organizations"),
        ("Yahoo", "donors"),
        ("agreement", "agreements"),
        ("general", "meetings"),
    ]:
        assert group(search(client, query, prefix="/en"), key), (query, key)


# --- What must never be found -----------------------------------------------------------------


def test_donor_whose_name_is_not_published_is_never_found(client, db):
    hidden = DonationFactory(
        publish_name=False,
        donor__name_ja="非公表テスト商事株式会社",
        donor__name_en="Unpublished Test Trading Co.",
    ).donor
    anonymous = Donor.objects.create(
        kind=Donor.Kind.COMPANY,
        is_anonymous=True,
        name_ja="匿名希望テスト工業株式会社",
        name_en="Anonymous Test Industries",
    )
    DonationFactory(donor=anonymous, publish_name=True)
    visible = DonationFactory(donor__name_ja="掲載テスト商事株式会社").donor

    page = plain(search(client, "テスト"))
    assert "掲載テスト商事株式会社" in page  # the search does look at donors
    for donor in (hidden, anonymous):
        assert donor.name_ja not in page
        for part in (donor.name_ja[:5], donor.name_ja, donor.name_en.split()[0]):
            for prefix in ("", "/en"):
                assert not group(search(client, part, prefix=prefix), "donors"), part
    assert result_titles(group(search(client, "掲載テスト"), "donors")) == [visible.name_ja]


def test_donor_with_one_published_donation_is_found(client, db):
    donor = DonorFactory(name_ja="一部公表テスト株式会社")
    DonationFactory(donor=donor, publish_name=False, fiscal_year=2023)
    DonationFactory(donor=donor, publish_name=True, fiscal_year=2024)
    donors = group(search(client, "一部公表"), "donors")
    assert result_titles(donors) == ["一部公表テスト株式会社"]  # once, not once per donation
    assert "令和6年度（2024年度）" in donors and "2023" not in donors


def test_unpublished_project_and_what_hangs_off_it_are_never_found(client, db):
    draft = ProjectFactory(
        title_ja="秘密の潮流発電", title_en="Secret tidal power", is_published=False
    )
    MilestoneFactory(project=draft, title_ja="潮流発電の秘密試験", title_en="Secret tidal test")
    OutcomeFactory(projects=[draft], title_ja="潮流発電の秘密成果", title_en="Secret tidal result")
    ParticipationFactory(
        project=draft, organization=OrganizationFactory(name_ja="潮流秘密工業株式会社")
    )
    page = search(client, "潮流")
    assert 'class="search-group"' not in page
    assert "に一致する情報は見つかりませんでした" in page
    assert 'class="search-group"' not in search(client, "Secret", prefix="/en")

    draft.is_published = True
    draft.save()
    page = search(client, "潮流")
    for key in ("projects", "milestones", "outcomes", "organizations"):
        assert group(page, key), key


# --- Matching -------------------------------------------------------------------------------


def test_every_term_must_match_somewhere(client, db):
    ProjectFactory(title_ja="潮汐発電", summary_ja="概要", description_ja="")
    ProjectFactory(title_ja="潮汐観測", summary_ja="発電はしません", description_ja="")
    ProjectFactory(title_ja="潮汐の記録", summary_ja="概要", description_ja="")
    assert result_titles(search(client, "潮汐 発電")) == ["潮汐発電", "潮汐観測"]
    # Full-width spaces separate terms too (NFKC), and case does not matter.
    assert result_titles(search(client, "潮汐　発電")) == ["潮汐発電", "潮汐観測"]


def test_full_width_and_capital_letters_find_lower_case_text(client, seeded):
    for query in ("ＷＡＶＥ", "WAVE", "Wave"):
        page = search(client, query, prefix="/en")
        assert "Third-generation <mark>wave</mark> power" in page, query


# --- The query count ------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_the_results(client, db):
    def add(count: int) -> None:
        for _ in range(count):
            project = ProjectFactory(title_ja="潮汐発電の実証")
            MilestoneFactory(project=project, title_ja="潮汐発電の試験")
            OutcomeFactory(projects=[project], title_ja="潮汐発電の派生実験")
            ParticipationFactory(
                project=project, organization=OrganizationFactory(name_ja="潮汐テスト工業")
            )
            DonationFactory(donor__name_ja="潮汐テスト寄附株式会社", projects=[project])

    add(5)
    few = count_queries(client, "/search/?q=潮汐")
    add(45)
    many = count_queries(client, "/search/?q=潮汐")
    assert few == many
    assert count_queries(client, "/search/?q=潮汐&page=3") == many


def test_search_builds_one_query_per_kind_found_plus_the_counts(client, seeded):
    with CaptureQueriesContext(connection) as context:
        page = search(client, "ヤフー")
    statements = [query["sql"] for query in context.captured_queries]
    assert len([sql for sql in statements if "UNION ALL" in sql]) == 1
    # Counts, the donors, their published donations (prefetched) and the footer's contact.
    assert len(statements) == 4, statements
    assert result_titles(page) == ["ヤフー株式会社"]


# --- Hostile and odd input ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        "%",
        "_",
        "'; DROP TABLE projects_project; --",
        "a" * 10_000,
        "波力\x00発電",
        "\x00",
        "   ",
        "🌊",
        "🌊 波力",
        "ＷＡＶＥ",
        "\u202e波力",
        "\\",
        '"><img src=x onerror=alert(1)>',
    ],
)
def test_hostile_or_odd_queries_give_a_page_not_an_error(client, seeded, query):
    for prefix in ("", "/en"):
        page = search(client, query, prefix=prefix)
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
        assert "\x00" not in page
    assert Project.objects.count() == 8


def test_markup_in_the_query_is_shown_escaped(client, seeded):
    page = search(client, "<script>alert(1)</script>")
    assert "「&lt;script&gt;alert(1)&lt;/script&gt;」に一致する情報は見つかりませんでした" in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_empty_query_explains_what_can_be_searched(client, seeded):
    for url in ("/search/", "/search/?q=", "/search/?q=+++"):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "<h1>サイト内検索</h1>" in page
        assert "検索できる情報" in page
        assert '<a href="/search/?q=%E6%B3%A2%E5%8A%9B">波力</a>' in page
        assert "ヤフー</a>" in page and "研究会</a>" in page
        assert "search-notice" not in page


def test_query_of_symbols_only_says_so(client, seeded):
    for query in ("%", "_", "!!!", "🌊"):
        page = search(client, query)
        assert "検索語には文字か数字を含めてください" in page, query
        assert "検索できる情報" in page


def test_long_query_is_cut_and_the_visitor_told(client, seeded):
    page = search(client, "波力" + "あ" * 10_000)
    assert f"先頭の{MAX_QUERY_LENGTH}文字で検索しました" in page
    assert 'value="波力' + "あ" * (MAX_QUERY_LENGTH - 2) + '"' in page


def test_many_terms_are_limited(client, seeded):
    page = search(client, " ".join(["波力"] + [f"語{n}" for n in range(MAX_TERMS + 5)]))
    assert f"最初の{MAX_TERMS}語で検索しました" in page


def test_only_get_and_head_are_allowed(client, db):
    assert client.post("/search/", {"q": "波力"}).status_code == 405
    assert client.head("/search/?q=波力").status_code == 200


# --- Pagination -----------------------------------------------------------------------------


@pytest.fixture
def many_projects(db):
    for n in range(RESULTS_PER_KIND * 2 + 5):
        ProjectFactory(title_ja=f"潮汐発電{n:02d}", position=n)


def test_results_are_paginated(client, many_projects):
    first = search(client, "潮汐")
    assert len(result_titles(first)) == RESULTS_PER_KIND
    assert "45件" in first
    assert 'aria-label="検索結果のページ"' in first
    assert 'href="/search/?q=%E6%BD%AE%E6%B1%90&amp;page=2" rel="next"' not in first  # order
    assert 'rel="next" href="/search/?q=%E6%BD%AE%E6%B1%90&amp;page=2"' in first
    last = search(client, "潮汐", page="3")
    assert result_titles(last) == [f"潮汐発電{n}" for n in range(40, 45)]
    assert "41～45件目" in last
    assert 'aria-current="page" href="/search/?q=%E6%BD%AE%E6%B1%90&amp;page=3">3</a>' in last


@pytest.mark.parametrize(
    ("page_param", "expected_first"),
    [
        ("999", "潮汐発電40"),
        ("abc", "潮汐発電00"),
        ("0", "潮汐発電40"),
        ("-1", "潮汐発電40"),
        ("", "潮汐発電00"),
        ("2.5", "潮汐発電00"),
    ],
)
def test_out_of_range_or_invalid_page_falls_back(client, many_projects, page_param, expected_first):
    assert result_titles(search(client, "潮汐", page=page_param))[0] == expected_first


def test_kinds_with_fewer_results_leave_the_later_pages(client, many_projects):
    MilestoneFactory(project=Project.objects.first(), title_ja="潮汐の観測開始")
    page_two = search(client, "潮汐", page="2")
    assert not group(page_two, "milestones")
    # ... but the summary still counts them and links back to page 1.
    assert '<a href="/search/?q=%E6%BD%AE%E6%B1%90#results-milestones">' in page_two


# --- The header search box ------------------------------------------------------------------


@pytest.mark.parametrize(("path", "action"), [("/", "/search/"), ("/en/", "/en/search/")])
def test_every_page_has_the_header_search_box(client, seeded, path, action):
    page = client.get(path).content.decode()
    form = re.search(r'<form class="site-search" role="search".*?</form>', page, re.S).group(0)
    assert f'action="{action}"' in form and 'method="get"' in form
    assert '<label class="visually-hidden" for="site-search-q">' in form
    assert 'type="search" id="site-search-q" name="q"' in form
    assert '<button class="btn btn-primary" type="submit">' in form


def test_language_switcher_keeps_the_query(client, seeded):
    page = search(client, "wave", prefix="/en")
    assert 'href="/search/?q=wave" lang="ja"' in page


# --- The building blocks --------------------------------------------------------------------


def test_parse_query_normalises():
    assert parse_query("  ＷＡＶＥ　ﾊﾟﾜｰ  ").terms == ("WAVE", "パワー")
    assert parse_query("波力 波力 WAVE wave").terms == ("波力", "WAVE")
    assert parse_query("\x00\u200b\u202e").is_empty
    assert parse_query("% _ 🌊").terms == ()
    assert not parse_query("% _ 🌊").is_empty
    assert parse_query("x" * 500).text == "x" * MAX_QUERY_LENGTH
    assert parse_query("x" * 500).truncated
    assert parse_query(None).is_empty


def test_highlight_escapes_and_marks_case_insensitively():
    pattern = term_pattern(["wave", "amp"])
    assert highlight("Wave & <b>WAVE</b>", pattern) == (
        "<mark>Wave</mark> &amp; &lt;b&gt;<mark>WAVE</mark>&lt;/b&gt;"
    )
    # The longer term wins where both match.
    assert highlight("波力発電", term_pattern(["波力", "波力発電"])) == "<mark>波力発電</mark>"
    assert highlight("<i>", None) == "&lt;i&gt;"


def test_snippet_is_a_window_around_the_first_match():
    text = "あ" * 200 + "波力" + "い" * 200
    cut = snippet(["", text], term_pattern(["波力"]))
    assert cut.startswith("…") and cut.endswith("…") and "波力" in cut
    assert len(cut) <= 82
    # No match in the texts (the title matched): the start of the first one.
    assert snippet(["概要です。", "詳細"], term_pattern(["波力"])) == "概要です。"
    assert snippet([], term_pattern(["波力"])) == ""


# --- PostgreSQL: the trigram indexes serve the search ---------------------------------------


def searched_columns(language: str) -> set[tuple[str, str]]:
    columns = set()
    for source in registered_sources():
        for path in source.localized_fields(language):
            model = source.queryset().model
            *relations, name = path.split("__")
            for relation in relations:
                model = model._meta.get_field(relation).related_model
            columns.add((model._meta.db_table, model._meta.get_field(name).column))
    return columns


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_every_searched_column_has_a_trigram_index_on_upper():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE indexdef LIKE %s", ["%gin_trgm_ops%"]
        )
        indexes = cursor.fetchall()
    for language in ("ja", "en"):
        for table, column in searched_columns(language):
            # PostgreSQL prints the cast for varchar columns only.
            expected = (f"upper(({column})::text) gin_trgm_ops", f"upper({column}) gin_trgm_ops")
            assert any(t == table and any(e in d for e in expected) for t, d in indexes), (
                table,
                column,
            )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_postgres_planner_can_answer_icontains_from_the_index(seeded):
    source = next(source for source in registered_sources() if source.key == "projects")
    sql, params = source.matching(["波力発電"], "ja").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on projects_project_title_ja_trgm" in plan, plan
