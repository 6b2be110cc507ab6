"""Synthetic projects, organisations, the research group's work and facilities at scale
(``manage.py generate_demo_data``; see ``core.demo_data``).

Names are made up from local place names and trades (湘南マリン精機12株式会社,
潮流発電の実証試験（7）), numbered so that they never collide with each other or with the
seed's real names.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from core.demo_data import DemoContext, demo_kind, pick_distinct, record_history

from .models import (
    Facility,
    Funding,
    FundingSource,
    Meeting,
    Membership,
    Milestone,
    Organization,
    Outcome,
    Participation,
    Project,
    ResearchGroup,
    Theme,
)

TOKYO = ZoneInfo("Asia/Tokyo")
# The slug prefix of every synthetic record with a page: no seed slug starts with it.
SLUG_PREFIX = "demo-"

PLACES = [
    ("湘南", "Shonan"),
    ("相模", "Sagami"),
    ("平塚", "Hiratsuka"),
    ("大磯", "Oiso"),
    ("西湘", "Seisho"),
    ("丹沢", "Tanzawa"),
    ("金目", "Kaname"),
    ("馬入", "Banyu"),
    ("須賀", "Suka"),
    ("真土", "Shinzuchi"),
    ("四之宮", "Shinomiya"),
    ("八幡", "Yawata"),
]
TRADES = [
    ("テスト工業", "Test Industries"),
    ("マリン精機", "Marine Precision"),
    ("海洋技研", "Ocean Engineering Lab"),
    ("電機製作所", "Electric Works"),
    ("造船", "Shipbuilding"),
    ("計測システム", "Measurement Systems"),
    ("ロボティクス", "Robotics"),
    ("エナジー", "Energy"),
    ("建設", "Construction"),
    ("通信機", "Communications"),
    ("素材化学", "Materials Chemistry"),
    ("水産", "Fisheries"),
]
COMPANY_FORMS = [
    ("{place}{trade}{n}株式会社", "{place_en} {trade_en} {n} Co., Ltd."),
    ("株式会社{place}{trade}{n}", "{place_en} {trade_en} {n} Inc."),
    ("{place}{trade}{n}有限会社", "{place_en} {trade_en} {n} Ltd."),
]
ASSOCIATIONS = [
    ("{place}漁業協同組合{n}", "{place_en} Fisheries Cooperative {n}"),
    ("{place}商工振興会{n}", "{place_en} Commerce and Industry Association {n}"),
]
LABS = [
    (
        "{place}工科大学 海洋工学研究室{n}",
        "{place_en} Institute of Technology, Ocean Engineering Lab {n}",
    ),
    ("{place}大学 環境システム研究室{n}", "{place_en} University, Environmental Systems Lab {n}"),
]

TOPICS = [
    ("潮流発電", "Tidal current power", "tidal-power"),
    ("波力発電", "Wave power", "wave-power"),
    ("洋上風力の保守点検", "Offshore wind maintenance", "offshore-wind"),
    ("水中ドローン", "Underwater drone", "underwater-drone"),
    ("藻場の再生", "Seaweed bed restoration", "seaweed-bed"),
    ("海洋観測ブイ", "Ocean observation buoy", "observation-buoy"),
    ("漁港の省エネルギー化", "Energy saving at fishing ports", "fishing-port-energy"),
    ("海水温モニタリング", "Sea temperature monitoring", "sea-temperature"),
    ("小型電動船", "Small electric boat", "electric-boat"),
    ("海中音響通信", "Underwater acoustic communication", "acoustic-link"),
    ("浮体式太陽光発電", "Floating solar power", "floating-solar"),
    ("砂浜の侵食対策", "Beach erosion control", "beach-erosion"),
]
APPROACHES = [
    ("の実証試験", " demonstration", "demo"),
    ("の実用化研究", ": research towards practical use", "research"),
    ("システムの開発", " system development", "system"),
    ("の事業化検討", ": business feasibility study", "business"),
]
MEETING_PLACES = [
    ("平塚市役所会議室", "Hiratsuka City Hall meeting room"),
    ("平塚商工会議所", "Hiratsuka Chamber of Commerce and Industry"),
    ("平塚新港", "Hiratsuka New Port"),
    (
        "東京大学生産技術研究所（駒場）",
        "Institute of Industrial Science, the University of Tokyo (Komaba)",
    ),
    ("ひらつかアリーナ会議室", "Hiratsuka Arena meeting room"),
]
MEETING_KINDS = [
    (Meeting.Kind.STUDY, "研究会「{topic}」", "Study session: {topic_en}"),
    (Meeting.Kind.SUBCOMMITTEE, "{topic}部会", "{topic_en} subcommittee"),
    (Meeting.Kind.VISIT, "{place}の視察", "Site visit to {place_en}"),
    (Meeting.Kind.EXPERIMENT, "{topic}の海上実験", "Sea experiment: {topic_en}"),
    (Meeting.Kind.GENERAL, "総会", "General meeting"),
]
MILESTONES = [
    ("陸上試験", "Land test"),
    ("海上試験の開始", "Start of the sea test"),
    ("試作機の完成", "Prototype completed"),
    ("成果報告会", "Results presentation"),
    ("国の補助事業に採択", "Selected for a national grant"),
]
FACILITY_KINDS = [
    (Facility.Kind.TOWER, "観測タワー", "observation tower"),
    (Facility.Kind.PORT, "実験岸壁", "test quay"),
    (Facility.Kind.LAND, "陸上試験場", "land test site"),
    (Facility.Kind.PLANT, "実証発電所", "demonstration power plant"),
]
OUTCOME_TITLES = {
    Outcome.Kind.EXPERIMENT: ("{topic}の派生実験", "Derived experiment: {topic_en}"),
    Outcome.Kind.PROPOSAL: ("{topic}の事業提案", "Proposal: {topic_en}"),
    Outcome.Kind.BUSINESS: ("{topic}関連の新事業", "New business around {topic_en}"),
    Outcome.Kind.PATENT: ("{topic}に関する特許出願", "Patent application: {topic_en}"),
    Outcome.Kind.NEW_TRADE: ("{topic}部品の新規取引", "New trade in parts for {topic_en}"),
    Outcome.Kind.ADOPTION: ("{topic}が公募事業に採択", "{topic_en} selected in a public call"),
}


def _translated(field: str, ja: str, en: str) -> dict[str, str]:
    return {field: ja, f"{field}_ja": ja, f"{field}_en": en}


def _through(model, field: str):
    return getattr(model, field).through


def _next_number(model, prefix: str = SLUG_PREFIX) -> int:
    """Numbers go on from the last synthetic record: names stay unique on a rebuild."""
    return model.objects.filter(slug__startswith=prefix).count() + 1


@demo_kind("organisations", order=10)
def build_organizations(context: DemoContext) -> int:
    rng = context.rng("organisations")
    total = context.per_step(Organization.objects.count())
    start = _next_number(Organization)
    organizations = []
    with context.progress("organisations", total) as bar:
        for i in range(total):
            n = start + i
            place, place_en = rng.choice(PLACES)
            trade, trade_en = rng.choice(TRADES)
            roll = rng.random()
            if roll < 0.8:
                kind, forms = Organization.Kind.COMPANY, COMPANY_FORMS
            elif roll < 0.92:
                kind, forms = Organization.Kind.ASSOCIATION, ASSOCIATIONS
            else:
                kind, forms = Organization.Kind.UNIVERSITY, LABS
            ja, en = rng.choice(forms)
            names = {"place": place, "place_en": place_en, "trade": trade}
            names |= {"trade_en": trade_en, "n": n}
            organizations.append(
                Organization(
                    slug=f"{SLUG_PREFIX}organization-{n}",
                    **_translated("name", ja.format(**names), en.format(**names)),
                    kind=kind,
                    in_hiratsuka=rng.random() < 0.6,
                    website=f"https://org-{n}.example.jp/" if rng.random() < 0.5 else "",
                )
            )
            bar.update(1)
    Organization.objects.bulk_create(organizations, batch_size=500)
    record_history(Organization, organizations)
    return len(organizations)


def _synthetic_organizations() -> list[Organization]:
    return list(Organization.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk"))


@demo_kind("projects", order=20)
def build_projects(context: DemoContext) -> int:
    rng = context.rng("projects")
    total = context.per_step(Project.objects.count())
    start = _next_number(Project)
    themes = list(Theme.objects.order_by("pk"))
    sources = list(FundingSource.objects.order_by("pk"))
    organizations = _synthetic_organizations() or list(Organization.objects.order_by("pk"))
    projects = []
    with context.progress("projects", total) as bar:
        for i in range(total):
            n = start + i
            topic, topic_en, topic_slug = rng.choice(TOPICS)
            approach, approach_en, approach_slug = rng.choice(APPROACHES)
            status = rng.choices(list(Project.Status), weights=[1, 1, 5, 3], k=1)[0]
            first = rng.randint(2016, 2026)
            last = None if status != Project.Status.COMPLETED else first + rng.randint(0, 4)
            if status == Project.Status.ACTIVE and rng.random() < 0.5:
                last = first + rng.randint(1, 5)
            projects.append(
                Project(
                    slug=f"{SLUG_PREFIX}{topic_slug}-{approach_slug}-{n}",
                    **_translated(
                        "title", f"{topic}{approach}（{n}）", f"{topic_en}{approach_en} ({n})"
                    ),
                    **_translated(
                        "summary",
                        f"平塚の海を舞台に、{topic}について市内企業と大学が共同で取り組みます。",
                        f"Local companies and universities work together on {topic_en.lower()} "
                        "in the sea off Hiratsuka.",
                    ),
                    **_translated(
                        "description",
                        f"{topic}の技術を地域の産業に生かすための取組みです。\n\n"
                        "- 装置の設計と製作\n- 平塚新港での試験\n- 成果の事業化",
                        f"Putting {topic_en.lower()} to work for local industry.\n\n"
                        "- Designing and building the device\n- Tests at Hiratsuka New Port\n"
                        "- Bringing the results to market",
                    ),
                    status=status,
                    start_fiscal_year=first,
                    end_fiscal_year=last,
                    accepts_donations=status == Project.Status.ACTIVE and rng.random() < 0.4,
                    published_at=context.publication(rng),
                    position=100 + n,
                )
            )
            bar.update(1)
    Project.objects.bulk_create(projects, batch_size=500)
    record_history(Project, projects)

    theme_links = []
    participations = []
    fundings = []
    for project in projects:
        for theme in pick_distinct(rng, themes, rng.randint(1, 2)):
            theme_links.append(_through(Project, "themes")(project=project, theme=theme))
        for position, organization in enumerate(
            pick_distinct(rng, organizations, rng.randint(1, 3))
        ):
            role = (
                Participation.Role.LEAD
                if position == 0
                else rng.choice([Participation.Role.PARTNER, Participation.Role.SUPPORT])
            )
            participations.append(
                Participation(
                    project=project,
                    organization=organization,
                    role=role,
                    **_translated("role_note", "装置の設計と試験", "Design and testing"),
                    position=position,
                )
            )
        if sources and rng.random() < 0.8:
            fundings.append(
                Funding(
                    source=rng.choice(sources),
                    project=project,
                    start_fiscal_year=project.start_fiscal_year,
                    end_fiscal_year=project.end_fiscal_year,
                    **_translated("note", "装置の製作費", "Building the device"),
                )
            )
    _through(Project, "themes").objects.bulk_create(theme_links, batch_size=500)
    Participation.objects.bulk_create(participations, batch_size=500)
    record_history(Participation, participations)
    Funding.objects.bulk_create(fundings, batch_size=500)
    record_history(Funding, fundings)
    return len(projects)


def _synthetic_projects() -> list[Project]:
    return list(Project.objects.filter(slug__startswith=SLUG_PREFIX).order_by("pk"))


@demo_kind("milestones", order=30)
def build_milestones(context: DemoContext) -> int:
    rng = context.rng("milestones")
    projects = _synthetic_projects()
    total = context.per_step(Milestone.objects.count()) if projects else 0
    milestones = []
    with context.progress("milestones", total) as bar:
        for _ in range(total):
            project = rng.choice(projects)
            title, title_en = rng.choice(MILESTONES)
            year = (project.start_fiscal_year or 2020) + rng.randint(0, 2)
            planned = year > 2026
            occurred_on = dt.date(year, rng.randint(4, 12), rng.randint(1, 28))
            milestones.append(
                Milestone(
                    project=project,
                    **_translated("title", title, title_en),
                    **_translated(
                        "description",
                        f"{project.title_ja}の{title}。",
                        f"{title} of {project.title_en}.",
                    ),
                    occurred_on=None if planned else occurred_on,
                    fiscal_year=year,
                    is_planned=planned,
                    published_at=context.publication(rng),
                )
            )
            bar.update(1)
    Milestone.objects.bulk_create(milestones, batch_size=500)
    record_history(Milestone, milestones)
    return len(milestones)


@demo_kind("research group", order=40)
def build_research_group(context: DemoContext) -> int:
    """Members, meetings (the seed records few: about six a year is what the group holds)
    and outcomes."""
    rng = context.rng("research group")
    group = ResearchGroup.objects.order_by("pk").first()
    if group is None:
        return 0
    members = _synthetic_organizations()
    membership_total = min(context.per_step(Membership.objects.count()), len(members))
    meeting_total = context.per_step(Meeting.objects.count(), minimum=6)
    outcome_total = context.per_step(Outcome.objects.count())
    projects = _synthetic_projects()
    added = 0
    with context.progress("research group members", membership_total) as bar:
        memberships = []
        for position, organization in enumerate(members[:membership_total]):
            if organization.kind == Organization.Kind.UNIVERSITY:
                category = Membership.Category.UNIVERSITY
            elif organization.kind == Organization.Kind.ASSOCIATION:
                category = Membership.Category.LOCAL_ASSOCIATION
            elif organization.in_hiratsuka:
                category = Membership.Category.LOCAL_COMPANY
            else:
                category = Membership.Category.OUTSIDE_COMPANY
            memberships.append(
                Membership(
                    research_group=group,
                    organization=organization,
                    category=category,
                    position=1000 + position,
                )
            )
            bar.update(1)
        Membership.objects.bulk_create(memberships, batch_size=500)
        record_history(Membership, memberships)
        added += len(memberships)

    with context.progress("meetings", meeting_total) as bar:
        meetings = []
        for _ in range(meeting_total):
            kind, title, title_en = rng.choice(MEETING_KINDS)
            topic, topic_en, _slug = rng.choice(TOPICS)
            place, place_en = rng.choice(MEETING_PLACES)
            day = dt.date(rng.randint(2016, 2026), rng.randint(1, 12), rng.randint(1, 28))
            starts_at = dt.datetime.combine(day, dt.time(rng.choice([10, 13, 14, 15])), TOKYO)
            names = {"topic": topic, "topic_en": topic_en, "place": place, "place_en": place_en}
            meetings.append(
                Meeting(
                    research_group=group,
                    kind=kind,
                    **_translated("title", title.format(**names), title_en.format(**names)),
                    starts_at=starts_at,
                    ends_at=starts_at + dt.timedelta(hours=rng.choice([1, 2, 3])),
                    **_translated("place", place, place_en),
                    participants=rng.randint(8, 60),
                    **_translated(
                        "notes",
                        f"{topic}の最新動向について意見交換を行いました。",
                        f"Members exchanged views on recent work in {topic_en.lower()}.",
                    ),
                    published_at=context.publication(rng),
                )
            )
            bar.update(1)
        Meeting.objects.bulk_create(meetings, batch_size=500)
        record_history(Meeting, meetings)
        added += len(meetings)

    with context.progress("outcomes", outcome_total) as bar:
        outcomes = []
        for i in range(outcome_total):
            kind = rng.choice(list(Outcome.Kind))
            topic, topic_en, _slug = rng.choice(TOPICS)
            title, title_en = OUTCOME_TITLES[kind]
            names = {"topic": topic, "topic_en": topic_en}
            outcomes.append(
                Outcome(
                    kind=kind,
                    **_translated("title", title.format(**names), title_en.format(**names)),
                    fiscal_year=rng.randint(2016, 2025),
                    research_group=group,
                    position=1000 + i,
                )
            )
            bar.update(1)
        Outcome.objects.bulk_create(outcomes, batch_size=500)
        record_history(Outcome, outcomes)
        links = []
        for outcome in outcomes:
            for project in pick_distinct(rng, projects, rng.randint(0, 1)):
                links.append(_through(Outcome, "projects")(outcome=outcome, project=project))
        _through(Outcome, "projects").objects.bulk_create(links, batch_size=500)
        links = []
        for outcome in outcomes:
            for organization in pick_distinct(rng, members, rng.randint(0, 2)):
                links.append(
                    _through(Outcome, "organizations")(outcome=outcome, organization=organization)
                )
        _through(Outcome, "organizations").objects.bulk_create(links, batch_size=500)
        added += len(outcomes)
    return added


@demo_kind("facilities", order=50)
def build_facilities(context: DemoContext) -> int:
    rng = context.rng("facilities")
    total = context.per_step(Facility.objects.count())
    start = _next_number(Facility)
    themes = list(Theme.objects.order_by("pk"))
    facilities = []
    with context.progress("facilities", total) as bar:
        for i in range(total):
            n = start + i
            kind, noun, noun_en = rng.choice(FACILITY_KINDS)
            place, place_en = rng.choice(PLACES)
            facilities.append(
                Facility(
                    slug=f"{SLUG_PREFIX}facility-{n}",
                    **_translated("name", f"{place}{noun}（{n}）", f"{place_en} {noun_en} ({n})"),
                    kind=kind,
                    **_translated(
                        "description",
                        f"{place}にある{noun}です。実験や観測に使われています。",
                        f"A {noun_en} at {place_en}, used for experiments and observation.",
                    ),
                    position=100 + n,
                    published_at=context.publication(rng),
                )
            )
            bar.update(1)
    Facility.objects.bulk_create(facilities, batch_size=500)
    record_history(Facility, facilities)
    links = [
        _through(Facility, "themes")(facility=facility, theme=theme)
        for facility in facilities
        for theme in pick_distinct(rng, themes, 1)
    ]
    _through(Facility, "themes").objects.bulk_create(links, batch_size=500)
    return len(facilities)
