"""The open-data index in a real browser: accessible in both languages and self-contained."""

import pytest

from .conftest import axe_violations


@pytest.mark.parametrize("path", ["/opendata/", "/en/opendata/"])
def test_opendata_index_has_no_accessibility_violations(visit_at_width, seeded_live, path):
    visit_at_width.page.goto(path)
    visit_at_width.page.wait_for_load_state("networkidle")
    report = axe_violations(visit_at_width.page)
    assert report == "", report
    assert visit_at_width.foreign_requests() == []
    assert visit_at_width.console_errors == []


def test_opendata_index_links_to_files_that_download(visit, seeded_live):
    visit.page.goto("/opendata/")
    summary = visit.page.get_by_role("table", name="ファイルの一覧")
    links = summary.get_by_role("link")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    for name in [
        "donations.csv",
        "donations.json",
        "projects.json",
        "agreements.json",
        "meetings.ics",
    ]:
        assert name in names
    response = visit.page.request.get("/opendata/projects.json")
    assert response.ok
    assert response.json()["municipality_code"] == "142034"
