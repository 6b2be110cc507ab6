"""Open data (/opendata/): the index page and every registered file (``core.opendata``), each
served through ``cached_download`` (rendered once per data version, ETag/Last-Modified, 304)."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import opendata
from core.caching import cached_download, data_version
from core.updates import last_updated


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    index_url = request.build_absolute_uri(reverse("opendata-index"))
    datasets = opendata.datasets()
    return render(
        request,
        "site/opendata_index.html",
        {
            "datasets": [(dataset, reverse(dataset.url_name)) for dataset in datasets],
            # The files are generated from these records: the index is as new as they are.
            "last_updated": last_updated(*{model for d in datasets for model in d.models}),
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
def dataset_file(request: HttpRequest, filename: str) -> HttpResponse:
    dataset = opendata.find_dataset(filename)
    if dataset is None:
        raise Http404
    today = timezone.localdate()
    version_key = dataset.version_key(today)
    if dataset.absolute_urls:
        # The file names this site's own address: one cached copy per scheme and host.
        version_key = f"{request.scheme}://{request.get_host()}|{version_key}"
    name = f"opendata-{dataset.filename}"
    if version_key:
        name = f"{name}-{hashlib.sha256(version_key.encode()).hexdigest()[:10]}"

    def render_file() -> bytes:
        # Only when the file is rendered: a revalidation (304) or a cache hit never pays for
        # the audit trail's date a second time.
        domain, _port = split_domain_port(request.get_host())
        publication = opendata.Publication(
            absolute=request.build_absolute_uri,
            host=domain or "localhost",
            last_modified=data_version(*dataset.models).last_modified,
            today=today,
        )
        return dataset.render(publication)

    return cached_download(
        request,
        name=name,
        models=dataset.models,
        render=render_file,
        content_type=dataset.media_type,
        filename=dataset.download_filename,
        as_attachment=dataset.as_attachment,
    )
