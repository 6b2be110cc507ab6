"""Measure the uncached path of every public page: SQL queries and milliseconds per render.

The database is a fresh SQLite file seeded with ``load_seed`` (as ``tools/public_snapshot.py``
builds it), with ``DEBUG`` off as in production, so the cached template loader is on. Each page
is rendered once to warm Python's and Django's own caches, once more with its queries captured,
then ``--renders`` times against the clock. The page cache, if installed, is taken out of the
middleware, and every cache is a dummy (``DJANGO_CACHE_DISABLED=1``, as on ``make benchmark``'s
cold server): this measures what a visitor waits for when a page is not (yet) in the cache.

    .venv/bin/python tools/page_profile.py                 # the table, ja and en
    .venv/bin/python tools/page_profile.py --renders 200   # steadier figures
    .venv/bin/python tools/page_profile.py --profile /projects/ --top 30   # cProfile of one page
    .venv/bin/python tools/page_profile.py --queries /     # the SQL of one page

``--scale N`` measures on N times the seed instead: ``generate_demo_data --scale N`` builds it
into an SQLite file of its own beside the seed's (the command refuses the site's database), to
compare a page's cost at the seed size and at N times it. ``--var-dir DIR`` keeps that file (and
the seed's) in DIR, so the next run on the same scale reuses it instead of building it again.
The last column is the size of the page's HTML in kilobytes.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent


def setup(var_dir: str, scale: int) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "hiratsuka_portal.settings"
    # Cold as the benchmark's cold server is: no fragment, file or page cache helps.
    os.environ.setdefault("DJANGO_CACHE_DISABLED", "1")
    if scale > 1:
        # Built by the command in a process of its own (it refuses the site's database, which
        # this process would otherwise be using); the pages are then measured on it.
        demo = f"sqlite:///{Path(var_dir) / f'demo-{scale}.sqlite3'}"
        subprocess.run(
            [sys.executable, "manage.py", "generate_demo_data", f"--scale={scale}", "--into", demo],
            cwd=BASE_DIR,
            check=True,
        )
        os.environ["DATABASE_URL"] = demo
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The cold path: whatever page cache sits in the middleware is not asked.
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "page_cache" not in name]
    from django.core.management import call_command

    if scale == 1:
        call_command("migrate", verbosity=0)
        call_command("load_seed", stdout=open(os.devnull, "w"))  # noqa: SIM115


def public_pages() -> list[tuple[str, str]]:
    """(name, path) of every public HTML page, in Japanese; the English ones are under /en/
    (the search looks for an English word there, see ``english``)."""
    from django.db.models import Count
    from django.urls import reverse

    from agreements.models import Agreement, AgreementEvent
    from core.by_fiscal_year import fiscal_year_counts
    from donations.models import Donation
    from projects.models import Facility, Meeting, Membership, Outcome, Project, ResearchGroup
    from projects.views import PROJECTS_PER_PAGE

    project = Project.objects.public().order_by("pk").first()
    agreement = Agreement.objects.public().order_by("-signed_on").first()
    # The list pages' sub-pages: the largest of each kind (the most records to show).
    second_page = (
        reverse("projects:project-list") + "?page=2"
        if Project.objects.public().count() > PROJECTS_PER_PAGE
        else None
    )
    meetings = Meeting.objects.public().yearly_totals().order_by("-meetings").first()
    meetings_year = (
        reverse("projects:meeting-year", args=[meetings["fiscal_year"]]) if meetings else None
    )
    events = fiscal_year_counts(AgreementEvent.objects.public(), "occurred_on")
    history_year = (
        reverse("agreements:history-year", args=[max(events, key=lambda y: y[1])[0]])
        if events
        else None
    )
    donations = (
        Donation.objects.values("fiscal_year").annotate(n=Count("pk")).order_by("-n").first()
    )
    donations_year = (
        reverse("donations:donation-year", args=[donations["fiscal_year"]]) if donations else None
    )
    facility = (
        Facility.objects.public().values("kind").annotate(n=Count("pk")).order_by("-n").first()
    )
    facilities = reverse("projects:facilities", args=[facility["kind"]]) if facility else None
    member = (
        Membership.objects.public()
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    members = reverse("projects:members", args=[member["category"]]) if member else None
    outcome = (
        Outcome.objects.filter(research_group__in=ResearchGroup.objects.public())
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    outcomes = reverse("projects:outcomes", args=[outcome["kind"]]) if outcome else None
    pages = [
        ("home", reverse("home")),
        ("project list + facilities", reverse("projects:project-list")),
        ("project list, page 2", second_page),
        ("facilities of a kind", facilities),
        ("project", project.get_absolute_url() if project else None),
        ("research group", reverse("projects:research-group")),
        ("meetings by fiscal year", reverse("projects:meeting-years")),
        ("meetings of a fiscal year", meetings_year),
        ("members of a category", members),
        ("outcomes of a kind", outcomes),
        ("donations", reverse("donations:donation-list")),
        ("donations of a fiscal year", donations_year),
        ("donation inquiry form", reverse("donations:inquiry")),
        ("agreements", reverse("agreements:agreement-list")),
        ("all agreements", reverse("agreements:agreement-all")),
        ("agreement", agreement.get_absolute_url() if agreement else None),
        ("history by fiscal year", reverse("agreements:history-years")),
        ("history of a fiscal year", history_year),
        ("accessibility", reverse("accessibility")),
        ("privacy", reverse("privacy")),
        ("search 波力", reverse("search") + "?q=" + quote("波力")),
        ("open data", reverse("opendata-index")),
    ]
    return [(name, path) for name, path in pages if path]


def english(path: str) -> str:
    # English pages search their English columns: 波力 would find nothing there.
    return "/en" + path.replace("?q=" + quote("波力"), "?q=wave")


def measure(client, path: str, renders: int) -> tuple[int, float, float, float, int]:
    """(queries, median ms, best ms, median CPU ms, bytes of HTML) of one page. The CPU time of
    this process (SQLite runs in it) is steadier than the clock on a machine other programs
    share."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # Read now: the next request clears the connection's log of queries.
    queries = len(captured.captured_queries)
    timings, cpu = [], []
    for _ in range(renders):
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    size = len(response.content)
    return queries, statistics.median(timings), min(timings), statistics.median(cpu), size


def print_table(client, renders: int, languages: list[str], only: str = "") -> None:
    rows = []
    for name, path in public_pages():
        if only not in name:
            continue
        for language in languages:
            url = path if language == "ja" else english(path)
            queries, median, best, cpu, size = measure(client, url, renders)
            rows.append((f"{name} ({language})", url, queries, median, best, cpu, size))
            print(f"  measured {url}", file=sys.stderr)
    width = max(len(row[0]) for row in rows)
    print(f"{'page':<{width}}  queries  ms/render (median)  ms (best)  CPU ms (median)  KB")
    for name, _url, queries, median, best, cpu, size in rows:
        print(
            f"{name:<{width}}  {queries:>7}  {median:>18.2f}  {best:>9.2f}  {cpu:>15.2f}"
            f"  {size / 1000:>5.0f}"
        )
    total, total_cpu = sum(row[3] for row in rows), sum(row[5] for row in rows)
    print(f"{'sum of medians':<{width}}  {'':>7}  {total:>18.2f}  {'':>9}  {total_cpu:>15.2f}")


def print_queries(client, path: str) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    for number, query in enumerate(list(captured.captured_queries), 1):
        print(f"-- {number} ({query['time']} s)\n{query['sql']}\n")


def print_profile(client, path: str, renders: int, top: int) -> None:
    client.get(path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(renders):
        client.get(path)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=50, help="timed renders per page")
    parser.add_argument("--languages", default="ja,en", help="comma-separated: ja,en")
    parser.add_argument("--scale", type=int, default=1, help="N times the seed data")
    parser.add_argument("--only", default="", help="the pages whose name contains this")
    parser.add_argument("--profile", metavar="PATH", help="cProfile one page instead")
    parser.add_argument("--queries", metavar="PATH", help="print one page's SQL instead")
    parser.add_argument("--top", type=int, default=25, help="functions listed by --profile")
    parser.add_argument(
        "--var-dir",
        help="keep the databases in this folder (a demo build of the same scale is reused)",
    )
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        var_dir = arguments.var_dir or temporary
        setup(var_dir, arguments.scale)
        from django.test import Client

        client = Client()
        if arguments.profile:
            print_profile(client, arguments.profile, arguments.renders, arguments.top)
        elif arguments.queries:
            print_queries(client, arguments.queries)
        else:
            print_table(client, arguments.renders, arguments.languages.split(","), arguments.only)


if __name__ == "__main__":
    main()
