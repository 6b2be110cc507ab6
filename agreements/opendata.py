"""The agreements app's open data: agreements.json, the agreements with their articles, history
and documents."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from core import opendata
from core.opendata import (
    TRANSLATED,
    Field,
    Publication,
    choice,
    iso_date,
    translated,
    url_in_both_languages,
)
from projects.models import Organization, Project
from projects.opendata import organization_entry, project_reference

from .models import Agreement, AgreementDocument, AgreementEvent, Article, FocusArea


def document_entry(document: AgreementDocument, publication: Publication) -> dict[str, Any]:
    return {
        "title": translated(document, "title"),
        # The attached file, or the page staff entered; null while only the title is known.
        "url": (
            publication.absolute(document.file.url) if document.file else (document.url or None)
        ),
    }


def event_entry(event: AgreementEvent, publication: Publication) -> dict[str, Any]:
    return {
        "id": event.pk,
        "date": iso_date(event.occurred_on),
        "kind": choice(AgreementEvent.Kind, event.kind),
        "title": translated(event, "title"),
        "description": translated(event, "description"),
        "documents": [document_entry(document, publication) for document in event.documents.all()],
    }


def _linked_agreement(
    agreement: Agreement, attribute: str, listed: set[int]
) -> dict[str, Any] | None:
    """The agreement this one supersedes or is superseded by, if the file lists it too (only
    public agreements are listed)."""
    try:
        other = getattr(agreement, attribute)
    except ObjectDoesNotExist:
        return None
    if other is None or other.pk not in listed:
        return None
    return {"id": other.pk, "slug": other.slug}


def agreement_entry(
    agreement: Agreement, publication: Publication, listed: set[int]
) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "slug": agreement.slug,
        "url": url_in_both_languages(
            "agreements:agreement-detail", publication, slug=agreement.slug
        ),
        "title": translated(agreement, "title"),
        "status": choice(Agreement.Status, agreement.status_on(publication.today)),
        "signed_on": iso_date(agreement.signed_on),
        "in_force_from": iso_date(agreement.in_force_from),
        "in_force_until": iso_date(agreement.in_force_until),
        "parties": [organization_entry(party) for party in agreement.parties.all()],
        "purpose": translated(agreement, "purpose"),
        "background": translated(agreement, "background"),
        "future_scope": translated(agreement, "future_scope"),
        "plan_context": translated(agreement, "plan_context"),
        "supersedes": _linked_agreement(agreement, "supersedes", listed),
        "superseded_by": _linked_agreement(agreement, "superseded_by", listed),
        "focus_areas": [
            {"name": translated(area, "name"), "description": translated(area, "description")}
            for area in agreement.focus_areas.all()
        ],
        "articles": [
            {
                "number": article.number,
                "text": translated(article, "text"),
                "expected_projects": translated(article, "expected_projects"),
                "projects": [
                    project_reference(project, publication)
                    for project in article.published_projects
                ],
            }
            for article in agreement.articles.all()
        ],
        "events": [event_entry(event, publication) for event in agreement.events.all()],
        "documents": [
            document_entry(document, publication) for document in agreement.documents.all()
        ],
    }


class AgreementsJson(opendata.JsonDataset):
    filename = "agreements.json"
    position = 40
    title = _("東京大学生産技術研究所との協定（JSON）")
    description = _(
        "平塚市と東京大学生産技術研究所の連携協力協定です。締結者、締結日と期間、状況、"
        "目的、協定の内容（各条）、経緯を収めています。"
    )
    fields = (
        Field("id / slug / url", _("協定の番号、URLに使う名前、このサイトのページ")),
        Field("title / purpose / background / future_scope / plan_context", TRANSLATED),
        Field("status", _("状況（発効前・現行・終了）。日付から求めた、取得した日の状況")),
        Field("signed_on / in_force_from / in_force_until", _("締結日、効力の発生日、終了日")),
        Field("parties", _("締結者")),
        Field("focus_areas", _("協定の目指す姿")),
        Field("articles", _("協定の内容：番号、条文、想定する事業等、関連するプロジェクト")),
        Field("supersedes / superseded_by", _("引き継いだ協定と、引き継がれた協定（id、slug）")),
        Field("events", _("経緯：日付、種類、内容、資料")),
        Field(
            "documents",
            _(
                "協定の資料：資料名、PDFファイルまたは資料を掲載したページのURL（どちらもない場合はnull）"
            ),
        ),
        Field("history_events", _("特定の協定に属さない経緯")),
    )
    models = (
        Agreement,
        Article,
        AgreementEvent,
        AgreementDocument,
        FocusArea,
        Organization,
        Project,
    )
    source_page = "agreements:agreement-list"

    def version_key(self, today: datetime.date) -> str:
        # An agreement's status follows the calendar: the day one ends, the file changes
        # although no record did. The statuses of the day are part of the version.
        agreements = Agreement.objects.public().only("pk", "in_force_from", "in_force_until")
        return ",".join(f"{agreement.pk}:{agreement.status_on(today)}" for agreement in agreements)

    def items(self, publication: Publication) -> list[dict[str, Any]]:
        agreements = list(Agreement.objects.for_open_data())
        listed = {agreement.pk for agreement in agreements}
        return [agreement_entry(agreement, publication, listed) for agreement in agreements]

    def extra(self, items: list[dict[str, Any]], publication: Publication) -> dict[str, Any]:
        history = AgreementEvent.objects.public().unattached().prefetch_related("documents")
        return {"history_events": [event_entry(event, publication) for event in history]}


opendata.register(AgreementsJson())
