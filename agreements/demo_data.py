"""Synthetic agreements, their articles and the history's events at scale
(``manage.py generate_demo_data``; see ``core.demo_data``).

The synthetic agreements are cooperation agreements with made-up partners, each ended before
the next begins, so that the real agreements (the seed's) stay the current ones.
"""

from __future__ import annotations

import datetime as dt

from core.demo_data import DemoContext, demo_kind, pick_distinct, record_history
from projects.models import Organization, Project

from .models import Agreement, AgreementEvent, Article

SLUG_PREFIX = "demo-"
PARTNERS = [
    ("湘南工科技術研究所", "Shonan Institute of Engineering"),
    ("相模海洋大学", "Sagami Ocean University"),
    ("西湘エネルギー研究機構", "Seisho Energy Research Organisation"),
    ("神奈川臨海研究センター", "Kanagawa Coastal Research Centre"),
]
AREAS = [
    ("海洋エネルギーの活用に関すること", "Use of ocean energy"),
    ("地域産業の振興と人材育成に関すること", "Local industry and skills"),
    ("海洋環境の保全に関すること", "Protecting the marine environment"),
    ("防災・減災に関すること", "Disaster prevention and mitigation"),
    ("教育・普及啓発に関すること", "Education and outreach"),
    ("その他、目的を達成するために必要なこと", "Anything else the purpose needs"),
]
EVENTS = [
    (
        AgreementEvent.Kind.SIGNING,
        "{partner}との連携協定を締結",
        "Agreement signed with {partner_en}",
    ),
    (AgreementEvent.Kind.CEREMONY, "{partner}との協定締結式", "Signing ceremony with {partner_en}"),
    (
        AgreementEvent.Kind.PRESENTATION,
        "{partner}と共同研究の成果を発表",
        "Joint research results presented with {partner_en}",
    ),
    (AgreementEvent.Kind.AWARD, "連携の取組みが表彰される", "The cooperation receives an award"),
    (AgreementEvent.Kind.END, "{partner}との協定が終了", "Agreement with {partner_en} ends"),
]


def _translated(field: str, ja: str, en: str) -> dict[str, str]:
    return {field: ja, f"{field}_ja": ja, f"{field}_en": en}


@demo_kind("agreements", order=90)
def build_agreements(context: DemoContext) -> int:
    """Agreements (as many per step as the seed holds) with their parties and two or three
    articles each (the seed: five for two)."""
    rng = context.rng("agreements")
    total = context.per_step(Agreement.objects.count())
    start = Agreement.objects.filter(slug__startswith=SLUG_PREFIX).count() + 1
    city = Organization.objects.filter(kind=Organization.Kind.MUNICIPALITY).order_by("pk").first()
    universities = list(
        Organization.objects.filter(kind=Organization.Kind.UNIVERSITY).order_by("pk")
    )
    projects = list(Project.objects.order_by("pk"))
    agreements = []
    with context.progress("agreements", total) as bar:
        for i in range(total):
            n = start + i
            partner, partner_en = rng.choice(PARTNERS)
            # Before the first real agreement (2019), half a year in force each.
            signed_on = dt.date(2000 + n % 18, rng.randint(1, 6), rng.randint(1, 28))
            agreements.append(
                Agreement(
                    slug=f"{SLUG_PREFIX}agreement-{n}",
                    **_translated(
                        "title",
                        f"平塚市と{partner}との連携協力に関する協定（{n}）",
                        f"Cooperation agreement between Hiratsuka City and {partner_en} ({n})",
                    ),
                    signed_on=signed_on,
                    in_force_from=signed_on,
                    in_force_until=signed_on + dt.timedelta(days=180),
                    **_translated(
                        "purpose",
                        f"平塚市と{partner}が連携し、海洋分野の研究成果を地域の発展に生かすこと。",
                        f"Hiratsuka City and {partner_en} work together so that marine research "
                        "benefits the region.",
                    ),
                    published_at=context.publication(rng),
                )
            )
            bar.update(1)
    Agreement.objects.bulk_create(agreements, batch_size=500)
    record_history(Agreement, agreements)

    parties = []
    articles = []
    for index, agreement in enumerate(agreements):
        for organization in [city, *pick_distinct(rng, universities, 1)]:
            if organization is not None:
                parties.append(
                    Agreement.parties.through(agreement=agreement, organization=organization)
                )
        # The seed has five articles for two agreements: three, then two.
        count = 3 if index % 2 == 0 else 2
        for number, (text, text_en) in enumerate(rng.sample(AREAS, count), start=1):
            articles.append(
                Article(
                    agreement=agreement,
                    number=number,
                    **_translated("text", text, text_en),
                    **_translated(
                        "expected_projects",
                        "共同研究、実証実験、講演会の開催",
                        "Joint research, field trials and public lectures",
                    ),
                )
            )
    Agreement.parties.through.objects.bulk_create(parties, batch_size=500)
    Article.objects.bulk_create(articles, batch_size=500)
    record_history(Article, articles)
    Article.projects.through.objects.bulk_create(
        [
            Article.projects.through(article=article, project=project)
            for article in articles
            for project in pick_distinct(rng, projects, rng.randint(0, 1))
        ],
        batch_size=500,
    )
    return len(agreements) + len(articles)


@demo_kind("agreement events", order=100)
def build_events(context: DemoContext) -> int:
    """Events of the history: most belong to a synthetic agreement, some to none."""
    rng = context.rng("agreement events")
    total = context.per_step(AgreementEvent.objects.count())
    agreements = list(Agreement.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk"))
    events = []
    with context.progress("agreement events", total) as bar:
        for _ in range(total):
            kind, title, title_en = rng.choice(EVENTS)
            partner, partner_en = rng.choice(PARTNERS)
            agreement = rng.choice(agreements) if agreements and rng.random() < 0.8 else None
            if agreement is not None:
                occurred_on = agreement.signed_on + dt.timedelta(days=rng.randint(0, 180))
            else:
                occurred_on = dt.date(rng.randint(2010, 2017), rng.randint(1, 12), 1)
            names = {"partner": partner, "partner_en": partner_en}
            events.append(
                AgreementEvent(
                    agreement=agreement,
                    occurred_on=occurred_on,
                    kind=kind,
                    **_translated("title", title.format(**names), title_en.format(**names)),
                    **_translated(
                        "description",
                        "市長と代表者が出席し、今後の連携について意見を交わしました。",
                        "The mayor and the partner's head met and discussed the cooperation.",
                    ),
                    published_at=context.publication(rng),
                )
            )
            bar.update(1)
    AgreementEvent.objects.bulk_create(events, batch_size=500)
    record_history(AgreementEvent, events)
    return len(events)
