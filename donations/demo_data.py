"""Synthetic donors, donations and donation inquiries at scale (``manage.py generate_demo_data``;
see ``core.demo_data``).

Donations are spread over the fiscal years the scheme has run, with both publish flags varied
and projects funded; inquiries go through every step of the follow-up (with the status changes,
notes and assignee a real one would have); an inquiry that ended in a donation is the donation's
inquiry, as ``donation_record_from_inquiry`` records it, with its consent carried over.
Every address and e-mail is made up (example.jp), and no company's head office is in Hiratsuka
(the scheme does not allow it).
"""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from core.demo_data import DEMO_TODAY, DemoContext, demo_kind, pick_distinct, record_history
from projects.models import Project

from .models import (
    Donation,
    DonationInquiry,
    Donor,
    InquiryNote,
    InquiryStatus,
    InquiryStatusChange,
    PaymentMethod,
    Scheme,
)

TOKYO = ZoneInfo("Asia/Tokyo")
PLACES = [
    ("横浜", "Yokohama", "231-0005", "神奈川県横浜市中区本町{n}丁目1番地"),
    ("川崎", "Kawasaki", "210-0007", "神奈川県川崎市川崎区駅前本町{n}番地"),
    ("藤沢", "Fujisawa", "251-0052", "神奈川県藤沢市藤沢{n}番地"),
    ("厚木", "Atsugi", "243-0018", "神奈川県厚木市中町{n}丁目2番"),
    ("品川", "Shinagawa", "140-0002", "東京都品川区東品川{n}丁目3番"),
    ("港", "Minato", "105-0011", "東京都港区芝公園{n}丁目4番"),
    ("小田原", "Odawara", "250-0011", "神奈川県小田原市栄町{n}丁目5番"),
    ("相模原", "Sagamihara", "252-0236", "神奈川県相模原市中央区富士見{n}丁目6番"),
]
TRADES = [
    ("テスト工業", "Test Industries", "テストコウギョウ"),
    ("海洋エンジニアリング", "Ocean Engineering", "カイヨウエンジニアリング"),
    ("グリーン電力", "Green Power", "グリーンデンリョク"),
    ("臨海物流", "Seaside Logistics", "リンカイブツリュウ"),
    ("総合建設", "General Construction", "ソウゴウケンセツ"),
    ("精密機器", "Precision Instruments", "セイミツキキ"),
    ("信用金庫", "Shinkin Bank", "シンヨウキンコ"),
    ("食品", "Foods", "ショクヒン"),
]
CONTACTS = [
    ("山田 太郎", "ヤマダ タロウ"),
    ("佐々木 恵", "ササキ メグミ"),
    ("高橋 健", "タカハシ ケン"),
    ("伊藤 由美", "イトウ ユミ"),
    ("渡辺 誠", "ワタナベ マコト"),
    ("小林 彩", "コバヤシ アヤ"),
]
NOTES = [
    "電話で制度の概要を説明しました。",
    "寄附申出書の様式をメールで送付しました。",
    "社内で検討中とのこと。来月改めて連絡します。",
    "納付書を郵送しました。",
    "活用先の事業について資料を送付しました。",
]
MESSAGES = [
    "{project}への寄附を検討しています。制度の詳細を教えてください。",
    "地域の脱炭素の取組みを応援したいと考えています。",
    "昨年度に続き、今年度も寄附を予定しています。",
    "",
]
# 100万円 is what most companies give; a few give much more.
AMOUNTS = [100_000, 300_000, 500_000, 1_000_000, 1_000_000, 2_000_000, 3_000_000, 10_000_000]
FISCAL_YEARS = range(2016, 2026)
COMPANY_FORMS = [
    ("{place}{trade}{n}株式会社", "{place_en} {trade_en} {n} Co., Ltd."),
    ("株式会社{place}{trade}{n}", "{place_en} {trade_en} {n} Inc."),
]


def _company(rng, n: int) -> tuple[str, str, str]:
    place, place_en, _postal, _address = rng.choice(PLACES)
    trade, trade_en, kana = rng.choice(TRADES)
    ja, en = rng.choice(COMPANY_FORMS)
    names = {"place": place, "place_en": place_en, "trade": trade, "trade_en": trade_en, "n": n}
    return ja.format(**names), en.format(**names), kana


def _demo_staff() -> list:
    """The synthetic staff the site's command made (usernames ``demo-…``), who follow the
    inquiries up; none means the inquiries stay unassigned and without notes."""
    return list(
        get_user_model()
        .objects.filter(is_staff=True, username__startswith="demo-")
        .order_by("username")
    )


@demo_kind("donors", order=60)
def build_donors(context: DemoContext) -> int:
    rng = context.rng("donors")
    total = context.per_step(Donor.objects.count())
    start = Donor.objects.count() + 1
    donors = []
    with context.progress("donors", total) as bar:
        for i in range(total):
            roll = rng.random()
            if roll < 0.1:
                donor = Donor(kind=Donor.Kind.INDIVIDUAL, is_anonymous=True)
            elif roll < 0.15:
                donor = Donor(kind=Donor.Kind.COMPANY, is_anonymous=True)
            else:
                ja, en, _kana = _company(rng, start + i)
                donor = Donor(
                    kind=Donor.Kind.COMPANY, name=ja, name_ja=ja, name_en=en, is_anonymous=False
                )
            donors.append(donor)
            bar.update(1)
    Donor.objects.bulk_create(donors, batch_size=500)
    record_history(Donor, donors)
    return len(donors)


@demo_kind("donation inquiries", order=70)
def build_inquiries(context: DemoContext) -> int:
    """The seed has no inquiries: five per step, in every status."""
    rng = context.rng("donation inquiries")
    total = context.per_step(DonationInquiry.objects.count(), minimum=5)
    start = DonationInquiry.objects.count() + 1
    staff = _demo_staff()
    projects = list(Project.objects.open_for_support().order_by("pk")) or list(
        Project.objects.order_by("pk")
    )
    named_donors = list(Donor.objects.filter(is_anonymous=False).order_by("pk"))
    inquiries = []
    with context.progress("donation inquiries", total) as bar:
        for i in range(total):
            n = start + i
            status = rng.choices(list(InquiryStatus), weights=[3, 2, 2, 4, 1, 1], k=1)[0]
            _place, _place_en, postal, address = rng.choice(PLACES)
            company, _en, kana = _company(rng, n)
            if status == InquiryStatus.DONATED and named_donors:
                company = rng.choice(named_donors).name_ja
            contact, contact_kana = rng.choice(CONTACTS)
            received = dt.datetime.combine(
                DEMO_TODAY - dt.timedelta(days=rng.randint(1, 900)),
                dt.time(rng.randint(9, 17), rng.choice([0, 15, 30, 45])),
                TOKYO,
            )
            pledged = status in (InquiryStatus.PLEDGED, InquiryStatus.DONATED)
            inquiry = DonationInquiry(
                reference=f"D{received:%y}-DEMO{n:05d}",
                submission_token=f"demo-{context.seed}-{n}-{rng.getrandbits(64):016x}",
                language="en" if rng.random() < 0.1 else "ja",
                company_name=company,
                company_name_kana=f"{kana}{n}",
                postal_code=postal,
                head_office_address=address.format(n=rng.randint(1, 9)),
                representative=f"代表取締役 {rng.choice(CONTACTS)[0]}" if pledged else "",
                files_blue_return=True,
                department=rng.choice(["経営企画部", "総務部", "CSR推進室", ""]),
                contact_name=contact,
                contact_name_kana=contact_kana,
                email=f"contact{n}@example.jp",
                phone=f"045-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                planned_amount=rng.choice(AMOUNTS),
                planned_fiscal_year=2026 if rng.random() < 0.7 else 2027,
                consent_publish_name=rng.random() < 0.8,
                consent_publish_amount=rng.random() < 0.6,
                message=rng.choice(MESSAGES).format(
                    project=projects[0].title_ja if projects else "知的対流推進事業"
                ),
                privacy_consented_at=received,
                status=status,
                assignee=None
                if status == InquiryStatus.RECEIVED or not staff
                else rng.choice(staff),
                payment_method=rng.choice(list(PaymentMethod)) if pledged else "",
                payment_requested_on=received.date() + dt.timedelta(days=30)
                if status == InquiryStatus.DONATED
                else None,
            )
            inquiry.created_at = received
            inquiries.append(inquiry)
            bar.update(1)
    DonationInquiry.objects.bulk_create(inquiries, batch_size=500)
    # auto_now_add stamped them all "now": put back the day each was received.
    received_at = {inquiry.reference: inquiry.privacy_consented_at for inquiry in inquiries}
    for inquiry in inquiries:
        inquiry.created_at = received_at[inquiry.reference]
    DonationInquiry.objects.bulk_update(inquiries, ["created_at"], batch_size=500)

    links, changes, notes = [], [], []
    path = [InquiryStatus.RECEIVED, InquiryStatus.CONTACTING, InquiryStatus.PLEDGED]
    for inquiry in inquiries:
        for project in pick_distinct(rng, projects, rng.randint(1, 2)):
            links.append(DonationInquiry.projects.through(donationinquiry=inquiry, project=project))
        if inquiry.status == InquiryStatus.RECEIVED or inquiry.assignee is None:
            continue
        if inquiry.status in path:
            steps = path[: path.index(inquiry.status) + 1]
        elif inquiry.status == InquiryStatus.DONATED:
            steps = [*path, InquiryStatus.DONATED]
        else:
            steps = [*path[: rng.randint(1, 3)], inquiry.status]
        for before, after in itertools.pairwise(steps):
            changes.append(
                InquiryStatusChange(
                    inquiry=inquiry,
                    from_status=before,
                    to_status=after,
                    changed_by=inquiry.assignee,
                )
            )
        for _ in range(rng.randint(1, 2)):
            notes.append(
                InquiryNote(inquiry=inquiry, author=inquiry.assignee, body=rng.choice(NOTES))
            )
    DonationInquiry.projects.through.objects.bulk_create(links, batch_size=500)
    InquiryStatusChange.objects.bulk_create(changes, batch_size=500)
    InquiryNote.objects.bulk_create(notes, batch_size=500)
    record_history(DonationInquiry, inquiries)
    return len(inquiries)


@demo_kind("donations", order=80)
def build_donations(context: DemoContext) -> int:
    """Donations by the synthetic donors over the fiscal years, and one for every inquiry that
    ended in a donation (from that inquiry, its consent carried)."""
    rng = context.rng("donations")
    total = context.per_step(Donation.objects.count())
    donors = list(Donor.objects.filter(donations__isnull=True).order_by("pk"))
    by_name = {donor.name_ja: donor for donor in donors if donor.name_ja}
    donated = list(
        DonationInquiry.objects.filter(status=InquiryStatus.DONATED, donations__isnull=True)
        .prefetch_related("projects")
        .order_by("pk")
    )
    projects = list(Project.objects.public().order_by("pk"))
    donations = []
    funded: list[list[Project]] = []
    with context.progress("donations", total) as bar:
        for i in range(total):
            inquiry = donated[i] if i < len(donated) else None
            donor = by_name.get(inquiry.company_name) if inquiry else None
            if donor is None:
                inquiry = None
                donor = donors[i % len(donors)] if donors else None
            if donor is None:
                break
            if inquiry is not None:
                amount = inquiry.planned_amount
                year = rng.choice(FISCAL_YEARS[-3:])
                publish_name = inquiry.consent_publish_name
                publish_amount = inquiry.consent_publish_amount
                projects_funded = list(inquiry.projects.all())
            else:
                amount = rng.choice(AMOUNTS)
                year = rng.choice(FISCAL_YEARS)
                publish_name = not donor.is_anonymous and rng.random() < 0.85
                publish_amount = rng.random() < 0.7
                projects_funded = pick_distinct(rng, projects, rng.randint(0, 2))
            scheme = Scheme.CORPORATE_HOMETOWN_TAX
            if donor.kind == Donor.Kind.INDIVIDUAL:
                scheme = Scheme.OTHER
            donations.append(
                Donation(
                    donor=donor,
                    fiscal_year=year,
                    amount=amount,
                    scheme=scheme,
                    received_on=dt.date(year, rng.randint(4, 12), rng.randint(1, 28)),
                    publish_name=publish_name,
                    publish_amount=publish_amount,
                    position=100 + i,
                    inquiry=inquiry,
                )
            )
            funded.append(projects_funded)
            bar.update(1)
    Donation.objects.bulk_create(donations, batch_size=500)
    Donation.projects.through.objects.bulk_create(
        [
            Donation.projects.through(donation=donation, project=project)
            for donation, projects_funded in zip(donations, funded, strict=True)
            for project in projects_funded
        ],
        batch_size=500,
    )
    record_history(Donation, donations)
    return len(donations)
