"""The one PDF renderer of the portal (DESIGN.md §6.8): template → HTML → WeasyPrint.

* The template is rendered inside ``translation.override(language)``, so a report asked for
  under /en/ is in English throughout, whatever language the process happens to have active.
* Static files (the stylesheet, the city's mark) are read from disk through the staticfiles
  finders. The URL fetcher refuses everything else: a report never makes an HTTP request, not
  to ourselves (a worker waiting on itself) and not to the outside world.
* The Japanese font is the OS's IPAex Gothic (or Noto Sans CJK JP), found with fontconfig and
  embedded with ``@font-face``; without it, characters WeasyPrint cannot draw become boxes.
* One ``FontConfiguration`` is shared by every render: the font file (several megabytes) is
  read and registered once per process, not once per document.
* PDFs are PDF/UA-1 (tagged, with the title and language of the HTML in their metadata).

WeasyPrint itself is imported only when a PDF is rendered: it takes most of a second to import,
which every ``manage.py`` command and test run would otherwise pay.
"""

from __future__ import annotations

import atexit
import functools
import logging
import mimetypes
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from .caching import cached_download

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

__all__ = [
    "PDF_VARIANT",
    "JapaneseFont",
    "RenderedPdf",
    "ResourceRefused",
    "html_to_pdf",
    "japanese_font",
    "pdf_filename",
    "pdf_response",
    "render_pdf",
    "resolve_resource",
    "url_fetcher",
]

PDF_VARIANT = "pdf/ua-1"
# Relative URLs in a document rendered without a request (a receipt, the benchmark) resolve
# against this origin. ``.invalid`` can never be resolved (RFC 6761), and the fetcher serves
# only its /static/ files from disk anyway.
DEFAULT_BASE_URL = "https://portal.invalid/"
# Tried in order; the set-up installs fonts-ipaexfont, fonts-noto-cjk is the usual alternative.
JAPANESE_FONT_FAMILIES = ("IPAexGothic", "Noto Sans CJK JP")

# WeasyPrint logs every step of every render (and every page) at INFO on this logger.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# Pango's font map and the shared FontConfiguration's caches are not thread-safe: one render at
# a time per process. Renders are rare (each report is rendered once per change of its data).
_render_lock = threading.Lock()


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    page_count: int


@dataclass(frozen=True)
class JapaneseFont:
    family: str
    path: Path


class ResourceRefused(ValueError):
    """A document asked for something other than one of our static files."""


# --- Fonts -------------------------------------------------------------------------------------


@functools.cache
def japanese_font() -> JapaneseFont | None:
    """The OS's Japanese font file, as fontconfig finds it; None when there is none (the
    stylesheet then names the families and lets fontconfig pick whatever it has)."""
    for family in JAPANESE_FONT_FAMILIES:
        try:
            found = subprocess.run(
                # fontconfig's own tool from PATH (make system-packages installs it).
                ["fc-match", "-f", "%{family}\n%{file}", family],  # noqa: S607
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        families, _, file = found.partition("\n")
        # fc-match always answers with *some* font: accept it only if it is the one asked for.
        if family.casefold() in {name.strip().casefold() for name in families.split(",")}:
            path = Path(file.strip()).resolve()
            if path.is_file():
                return JapaneseFont(family=family, path=path)
    return None


@functools.cache
def _font_config() -> FontConfiguration:
    from weasyprint.text.fonts import FontConfiguration

    # Released before the interpreter tears its modules down: the configuration removes its
    # temporary font folder when collected, which fails (noisily) once shutil is gone.
    atexit.register(_release_fonts)
    return FontConfiguration()


def _release_fonts() -> None:
    _font_stylesheet.cache_clear()
    _font_config.cache_clear()


@functools.cache
def _font_stylesheet() -> CSS:
    """``@font-face`` for the Japanese font, registered once in the shared configuration."""
    from weasyprint import CSS

    font = japanese_font()
    if font is None:
        return CSS(string="", font_config=_font_config())
    return CSS(
        string=f'@font-face {{ font-family: "{font.family}"; src: url("{font.path.as_uri()}"); }}',
        font_config=_font_config(),
        url_fetcher=url_fetcher(),
    )


# --- Fetching resources ------------------------------------------------------------------------


def resolve_resource(url: str, *, base_url: str = DEFAULT_BASE_URL) -> Path:
    """The file on disk behind a URL a document refers to, or ResourceRefused.

    Allowed: our static files (``/static/...`` on the document's origin), found by the
    staticfiles finders (the source files) or in ``STATIC_ROOT`` (collected, hashed names), and
    the Japanese font file. Everything else (other hosts, uploads, ``data:``) is refused.
    """
    parts = urlsplit(url)
    if parts.scheme == "file":
        font = japanese_font()
        if font is not None and Path(unquote(parts.path)) == font.path:
            return font.path
        raise ResourceRefused(f"Refused to read a local file: {url}")

    static_prefix = urlsplit(urljoin(base_url, settings.STATIC_URL))
    same_origin = (parts.scheme, parts.netloc) == (static_prefix.scheme, static_prefix.netloc)
    if not same_origin or not parts.path.startswith(static_prefix.path):
        raise ResourceRefused(f"Refused to fetch a resource that is not a static file: {url}")
    name = unquote(parts.path.removeprefix(static_prefix.path))
    try:
        path = finders.find(name)
        if path is None and staticfiles_storage.exists(name):
            path = staticfiles_storage.path(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError) as error:
        raise ResourceRefused(f"Refused to fetch {url}: {error}") from error
    if not path:
        raise ResourceRefused(f"No static file {name!r}")
    return Path(path)


@functools.cache
def _fetcher_class() -> type[URLFetcher]:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """Serves a document's static files from disk; refuses every other URL."""

        def __init__(self, base_url: str):
            super().__init__(allowed_protocols=("http", "https", "file"), allow_redirects=False)
            self.base_url = base_url

        def fetch(self, url, headers=None):
            path = resolve_resource(url, base_url=self.base_url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher


def url_fetcher(*, base_url: str = DEFAULT_BASE_URL) -> URLFetcher:
    """WeasyPrint's URL fetcher for a document whose relative URLs resolve against base_url."""
    return _fetcher_class()(base_url)


# --- Rendering ---------------------------------------------------------------------------------


def html_to_pdf(html: str, *, base_url: str = DEFAULT_BASE_URL) -> RenderedPdf:
    """Lay out an HTML document on A4 pages (the page size is in static/css/pdf.css) as a
    tagged PDF/UA-1 file, its title and language taken from ``<title>`` and ``<html lang>``."""
    from weasyprint import HTML

    with _render_lock:
        stylesheets = [_font_stylesheet()]
        document = HTML(
            string=html, base_url=base_url, url_fetcher=url_fetcher(base_url=base_url)
        ).render(stylesheets=stylesheets, font_config=_font_config(), pdf_variant=PDF_VARIANT)
        content = document.write_pdf(pdf_variant=PDF_VARIANT)
    return RenderedPdf(content=content, page_count=len(document.pages))


def render_pdf(
    template_name: str,
    context: Mapping[str, Any] | None = None,
    *,
    language: str | None = None,
    base_url: str = DEFAULT_BASE_URL,
) -> RenderedPdf:
    """Render a template under templates/pdf/ in ``language`` (default: the active one).

    The template gets ``LANGUAGE_CODE``, ``generated_on`` (today in Japan) and ``site_profile``
    (the city's contact, read only if the template shows it) besides ``context``.
    """
    from .models import SiteProfile

    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            template_name,
            {
                "LANGUAGE_CODE": language,
                "generated_on": timezone.localdate(),
                "site_profile": SimpleLazyObject(SiteProfile.objects.current),
                **(context or {}),
            },
        )
    return html_to_pdf(html, base_url=base_url)


# --- Serving reports ---------------------------------------------------------------------------

# Characters that are unsafe or troublesome in a saved file's name on some system.
_UNSAFE_IN_FILENAMES = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def pdf_filename(name: str) -> str:
    """A file name from a title: ``平塚市_第3世代波力発電_概要.pdf``."""
    return _UNSAFE_IN_FILENAMES.sub("_", name).strip("._") + ".pdf"


def pdf_response(
    request: HttpRequest,
    *,
    name: str,
    models: Iterable[type[models.Model]],
    template_name: str,
    context: Callable[[], Mapping[str, Any]],
    filename: str,
    ascii_filename: str,
) -> HttpResponse:
    """A report as an inline PDF, rendered once per change of ``models`` and language.

    ``context`` is called only when the PDF is actually rendered: a revalidation (304) or a
    cached copy costs the version's few aggregate queries and nothing else.
    """
    # Links in the PDF point at the site the report was downloaded from.
    base_url = request.build_absolute_uri("/")

    def render() -> bytes:
        return render_pdf(template_name, context(), base_url=base_url).content

    return cached_download(
        request,
        name=name,
        models=models,
        render=render,
        content_type="application/pdf",
        filename=filename,
        ascii_filename=ascii_filename,
    )
