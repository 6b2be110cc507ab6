"""The search engine (core.search): the query, matching, highlighting and snippets, the grouping
and pagination of results, its constant number of queries, its registry of sources and, on
PostgreSQL, the trigram indexes that serve it. What each app's sources find is tested beside the
app (tests/<app>/test_search.py); the page itself in tests/hiratsuka_portal/test_search_page.py."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import search as engine
from core import search_text
from core.publishing import previewing
from core.search import (
    MAX_QUERY_LENGTH,
    RESULTS_PER_KIND,
    highlight,
    match_variants,
    parse_query,
    registered_sources,
    snippet,
    term_pattern,
    term_variants,
)
from projects.models import Project
from tests.core.search_tools import group, group_keys, result_titles, search
from tests.donations.factories import DonationFactory
from tests.projects.factories import (
    MilestoneFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

# The kinds of record the apps register, in the order the search page groups them: the projects
# app's, the donations app's, then the agreements app's (INSTALLED_APPS order).
KINDS = [
    ("projects", "研究開発プロジェクト"),
    ("milestones", "プロジェクトの歩み"),
    ("outcomes", "成果"),
    ("facilities", "研究施設"),
    ("research-group", "研究会"),
    ("meetings", "研究会の会議・活動"),
    ("organizations", "組織"),
    ("donors", "寄附者"),
    ("agreements", "協定"),
    ("articles", "協定の内容"),
    ("events", "協定の経緯"),
]


# --- The query ---------------------------------------------------------------------------------


def test_parse_query_normalises():
    assert parse_query("  ＷＡＶＥ　ﾊﾟﾜｰ  ").terms == ("WAVE", "パワー")
    assert parse_query("波力 波力 WAVE wave").terms == ("波力", "WAVE")
    assert parse_query("\x00\u200b\u202e").is_empty
    assert parse_query("% _ 🌊").terms == ()
    assert not parse_query("% _ 🌊").is_empty
    assert parse_query("x" * 500).text == "x" * MAX_QUERY_LENGTH
    assert parse_query("x" * 500).truncated
    assert parse_query(None).is_empty


# --- Highlighting and snippets -----------------------------------------------------------------


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


# --- Matching ----------------------------------------------------------------------------------


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


# --- Pagination --------------------------------------------------------------------------------


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


# --- The query count ---------------------------------------------------------------------------


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


# --- The registry of sources -------------------------------------------------------------------


def test_the_kinds_are_discovered_in_the_order_the_page_shows_them(client, seeded):
    assert [(source.key, str(source.label)) for source in registered_sources()] == KINDS
    # The empty search page lists what can be searched in that order …
    page = search(client, "")
    listed = re.search(r'<ul class="search-help__kinds">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", listed) == [label for _key, label in KINDS]
    # … and a search that finds many kinds groups the results in the same order.
    found = group_keys(search(client, "平塚"))
    order = [key for key, _label in KINDS]
    assert len(found) >= 8, found
    assert found == sorted(found, key=order.index)


def test_a_second_source_with_a_registered_key_is_refused(monkeypatch):
    monkeypatch.setattr(engine, "_sources", dict(engine._sources))
    before = registered_sources()
    projects = next(source for source in before if source.key == "projects")
    with pytest.raises(ImproperlyConfigured, match="registered twice: projects"):
        engine.register(dataclasses.replace(projects, label="二つ目のプロジェクト"))
    assert registered_sources() == before


def test_a_registration_with_a_repeated_key_adds_none_of_its_sources(monkeypatch):
    monkeypatch.setattr(engine, "_sources", dict(engine._sources))
    before = registered_sources()
    projects = next(source for source in before if source.key == "projects")
    new = dataclasses.replace(projects, key="new-kind")
    with pytest.raises(ImproperlyConfigured, match="registered twice: new-kind"):
        engine.register(new, dataclasses.replace(new, label="同じ種類"))
    assert registered_sources() == before


# --- PostgreSQL: the trigram indexes serve the search ------------------------------------------


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


def matching_sql(source, term: str) -> tuple[str, tuple]:
    """The SQL of the text conditions alone. (In the public query they come with
    ``published_at <= now``, which on a table of a few rows the planner answers from that
    column's own index instead; in a preview there is no such condition.)"""
    with previewing():
        return source.matching([term], "ja").query.sql_with_params()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_postgres_planner_can_answer_icontains_from_the_index(seeded):
    source = next(source for source in registered_sources() if source.key == "projects")
    sql, params = matching_sql(source, "波力発電")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on projects_project_title_ja_trgm" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_postgres_planner_answers_every_variant_of_a_term_from_the_index(seeded):
    source = next(source for source in registered_sources() if source.key == "projects")
    # 磯焼対策 is compared as 磯焼対策 or 磯焼け対策, each from the index.
    sql, params = matching_sql(source, "磯焼対策")
    assert {"%磯焼対策%", "%磯焼け対策%"} <= set(params)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on projects_project_title_ja_trgm" in plan, plan
    assert "Seq Scan" not in plan, plan


# --- Variants ----------------------------------------------------------------------------------


def test_a_term_expands_into_its_spellings_and_widths():
    assert term_variants("寄付") == ["寄付", "寄附"]
    assert term_variants("寄附金") == ["寄附金", "寄付金"]
    assert "磯焼け対策" in term_variants("磯焼対策")
    # NFKC made the brackets half-width; the text writes them full-width.
    assert "平塚波力発電所（第2世代）" in term_variants("平塚波力発電所(第2世代)")
    assert "ＡＵＶ" in term_variants("AUV")
    assert "ﾊﾟﾜｰ" in term_variants("パワー")
    assert "organization" in term_variants("Organisation")
    # A term without variants is searched as it is.
    assert term_variants("波力") == ["波力"]


def test_the_database_compares_only_the_variants_not_covered_by_another():
    # 取組 is in 取組み: comparing 取組 finds both.
    assert match_variants("取組み") == ["取り組み", "取組"]


def test_a_term_full_of_variants_stays_a_bounded_query():
    assert len(term_variants("寄付" * 20)) <= search_text.MAX_VARIANTS


@pytest.mark.parametrize(("typed", "written"), [("寄付", "寄附"), ("寄附", "寄付")])
def test_one_spelling_finds_the_other_and_marks_what_the_text_holds(client, db, typed, written):
    ProjectFactory(title_ja=f"{written}を募集する事業", summary_ja="", description_ja="")
    page = search(client, typed)
    assert result_titles(page) == [f"{written}を募集する事業"]
    assert f"<mark>{written}</mark>を募集する事業" in page


def test_kifu_finds_what_kifu_finds_in_the_seed(client, seeded):
    assert group_keys(search(client, "寄付")) == group_keys(search(client, "寄附"))
    assert result_titles(search(client, "寄付")) == result_titles(search(client, "寄附"))
    assert "<mark>寄附</mark>" in search(client, "寄付")


def test_half_width_brackets_find_the_full_width_ones_of_the_text(client, seeded):
    page = search(client, "平塚波力発電所(第2世代)")
    assert "<mark>平塚波力発電所（第2世代）</mark>" in group(page, "projects")


def test_full_width_digits_and_half_width_kana_in_the_text_are_found(client, db):
    ProjectFactory(title_ja="第２世代の記録", summary_ja="ﾊﾟﾜｰﾌﾞｲの試験", description_ja="")
    assert result_titles(search(client, "第2世代")) == ["第２世代の記録"]
    page = search(client, "パワーブイ")
    assert result_titles(page) == ["第２世代の記録"]
    assert "<mark>ﾊﾟﾜｰﾌﾞｲ</mark>" in page


def test_a_british_spelling_finds_the_american_one(client, db):
    ProjectFactory(title_en="Research program of the city", summary_en="", description_en="")
    for query in ("programme", "program"):
        page = search(client, query, prefix="/en")
        assert result_titles(page) == ["Research program of the city"], query
