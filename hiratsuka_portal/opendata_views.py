"""Open data (/opendata/): the index page and the five files, each served through
``cached_download`` (rendered once per data version, ETag/Last-Modified, 304)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agreements.models import Agreement
from core.caching import cached_download, data_version

from . import opendata


def _publication(request: HttpRequest, dataset: opendata.Dataset) -> opendata.Publication:
    # Called only when the file is rendered: a revalidation (304) or a cache hit never pays
    # for the audit trail's date a second time.
    domain, _port = split_domain_port(request.get_host())
    return opendata.Publication(
        absolute=request.build_absolute_uri,
        host=domain or "localhost",
        last_modified=data_version(*dataset.models).last_modified,
    )


def _serve(
    request: HttpRequest,
    dataset: opendata.Dataset,
    render_file: Callable[[], bytes],
    *,
    version_key: str = "",
    absolute_urls: bool = True,
) -> HttpResponse:
    name = f"opendata-{dataset.filename}"
    if absolute_urls:
        # The file names this site's own address: one cached copy per scheme and host.
        origin = f"{request.scheme}://{request.get_host()}"
        version_key = f"{origin}|{version_key}"
    if version_key:
        name = f"{name}-{hashlib.sha256(version_key.encode()).hexdigest()[:10]}"
    return cached_download(
        request,
        name=name,
        models=dataset.models,
        render=render_file,
        content_type=dataset.media_type,
        filename=dataset.download_filename,
        as_attachment=dataset.as_attachment,
    )


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    index_url = request.build_absolute_uri(reverse("opendata-index"))
    return render(
        request,
        "site/opendata_index.html",
        {
            "datasets": [(dataset, reverse(dataset.url_name)) for dataset in opendata.DATASETS],
            "json_metadata_fields": opendata.JSON_METADATA_FIELDS,
            "municipality_code": opendata.MUNICIPALITY_CODE,
            "licence": {
                "name": opendata.LICENCE_NAME,
                "short_name": opendata.LICENCE_SHORT_NAME,
                "url": opendata.LICENCE_URL,
                "url_en": opendata.LICENCE_URL_EN,
                "compatible_name": opendata.CC_BY_NAME,
                "compatible_url": opendata.CC_BY_URL,
            },
            "credit_line": opendata.credit_line(index_url),
            "edited_credit_line": opendata.edited_credit_line(index_url),
            "breadcrumbs": [(_("オープンデータ"), None)],
        },
    )


@require_safe
def donations_csv(request: HttpRequest) -> HttpResponse:
    return _serve(
        request,
        opendata.DONATIONS_CSV,
        lambda: opendata.build_donations_csv(opendata.donations_for_open_data()),
        absolute_urls=False,
    )


@require_safe
def donations_json(request: HttpRequest) -> HttpResponse:
    dataset = opendata.DONATIONS_JSON
    return _serve(
        request,
        dataset,
        lambda: opendata.build_donations_json(
            opendata.donations_for_open_data(), _publication(request, dataset)
        ),
    )


@require_safe
def projects_json(request: HttpRequest) -> HttpResponse:
    dataset = opendata.PROJECTS_JSON
    return _serve(
        request,
        dataset,
        lambda: opendata.build_projects_json(
            opendata.projects_for_open_data(), _publication(request, dataset)
        ),
    )


@require_safe
def agreements_json(request: HttpRequest) -> HttpResponse:
    dataset = opendata.AGREEMENTS_JSON
    today = timezone.localdate()
    # An agreement's status follows the calendar: the day one ends, the file changes although
    # no record did. The statuses of the day are part of the version.
    statuses = opendata.agreement_statuses(
        Agreement.objects.published().only("pk", "in_force_from", "in_force_until"), today
    )
    return _serve(
        request,
        dataset,
        lambda: opendata.build_agreements_json(
            opendata.agreements_for_open_data(),
            opendata.history_events_for_open_data(),
            _publication(request, dataset),
            today,
        ),
        version_key=statuses,
    )


@require_safe
def meetings_ics(request: HttpRequest) -> HttpResponse:
    dataset = opendata.MEETINGS_ICS
    return _serve(
        request,
        dataset,
        lambda: opendata.build_meetings_ics(
            opendata.meetings_for_open_data(), _publication(request, dataset)
        ),
    )
