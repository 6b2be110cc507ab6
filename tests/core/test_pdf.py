"""The PDF renderer of the kit (core/pdf.py): fonts, tags, language, pages, and a
URL fetcher that reads our static files from disk and refuses everything else."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone, translation

from core import pdf
from core.japanese import date_label
from donations.management.commands.benchmark_reports import _synthetic_record

from .pdf_tools import (
    assert_accessible_japanese_pdf,
    assert_text,
    pdf_info,
    pdf_language,
    pdf_text,
    squeezed,
)

BASE_URL = "http://testserver/"
PDF_CSS = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"


def one_line(body: str = "<p>平塚市 知的対流推進事業</p>", *, lang: str = "ja") -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>一行のテスト</title></head><body>{body}</body></html>"
    )


# --- The document itself -----------------------------------------------------------------------


def test_japanese_text_comes_out_in_an_embedded_japanese_font():
    rendered = pdf.html_to_pdf(one_line())
    assert rendered.page_count == 1
    assert_text(rendered.content, "平塚市 知的対流推進事業")
    assert_accessible_japanese_pdf(rendered.content, title="一行のテスト", language="ja")


def test_the_font_is_the_os_font_fontconfig_finds():
    font = pdf.japanese_font()
    assert font is not None, "fonts-ipaexfont (or fonts-noto-cjk) is installed by the set-up"
    assert font.family in pdf.JAPANESE_FONT_FAMILIES
    assert font.path.is_file() and font.path.suffix in {".ttf", ".otf", ".ttc"}


def test_without_fontconfig_the_font_is_named_by_family(monkeypatch):
    def missing(*args, **kwargs):
        raise FileNotFoundError("fc-match")

    pdf.japanese_font.cache_clear()
    monkeypatch.setattr(subprocess, "run", missing)
    try:
        assert pdf.japanese_font() is None
    finally:
        pdf.japanese_font.cache_clear()
    # The stylesheet still asks for the fonts by name, so fontconfig can pick one itself.
    assert '"IPAexGothic"' in PDF_CSS.read_text()


@pytest.mark.slow
@pytest.mark.django_db
def test_report_pages_have_the_header_page_numbers_and_generation_date():
    rendered = pdf.render_pdf(
        "pdf/donation_report.html", {"record": _synthetic_record(120)}, language="ja"
    )
    assert rendered.page_count > 1
    pages = pdf_text(rendered.content).split("\f")[: rendered.page_count]
    for number, page in enumerate(pages, start=1):
        text = squeezed(page)
        assert "平塚市知的対流推進事業" in text
        assert f"{number}/{rendered.page_count}" in text
    generated = squeezed(date_label(timezone.localdate(), "ja"))
    assert f"作成日：{generated}" in squeezed(pages[0])
    assert "令和" in generated and "年" in generated  # 和暦 with 西暦 beside it
    info = assert_accessible_japanese_pdf(
        rendered.content, title="企業版ふるさと納税等の寄附実績", language="ja"
    )
    assert int(info["Pages"]) == rendered.page_count


@pytest.mark.django_db
def test_rendered_in_the_requested_language_whatever_is_active():
    translation.activate("ja")
    rendered = pdf.render_pdf(
        "pdf/donation_report.html", {"record": _synthetic_record(5)}, language="en"
    )
    assert translation.get_language() == "ja"
    text = pdf_text(rendered.content)
    assert "FY2016" in text and "¥" in text
    assert date_label(timezone.localdate(), "en") in text
    assert "令和" not in text
    assert pdf_language(rendered.content) == "en"
    assert pdf_info(rendered.content)["Title"].startswith(
        "Corporate hometown-tax and other donations received"
    )


def test_html_lang_and_title_become_the_pdf_metadata():
    rendered = pdf.html_to_pdf(one_line("<p>Hiratsuka</p>", lang="en"))
    assert pdf_language(rendered.content) == "en"
    assert pdf_info(rendered.content)["Title"] == "一行のテスト"


# --- Fetching: static files from disk, nothing else --------------------------------------------


def test_fetcher_reads_static_files_from_disk():
    fetcher = pdf.url_fetcher(base_url=BASE_URL)
    response = fetcher.fetch("http://testserver/static/css/pdf.css")
    assert response.read() == PDF_CSS.read_bytes()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/evil.css",
        "http://example.com/static/css/pdf.css",  # our path, someone else's host
        "http://testserver/media/receipts/2026/r.pdf",  # uploads are not static files
        "http://testserver/admin/",
        "http://testserver/static/../hiratsuka_portal/settings.py",
        "http://testserver/static/%2e%2e/%2e%2e/etc/passwd",
        "http://testserver/static/css/no-such-file.css",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_everything_else(url):
    with pytest.raises(pdf.ResourceRefused):
        pdf.url_fetcher(base_url=BASE_URL).fetch(url)


def test_fetcher_allows_the_japanese_font_file_only():
    font = pdf.japanese_font()
    assert pdf.resolve_resource(font.path.as_uri()) == font.path


def test_a_document_pointing_elsewhere_renders_without_touching_the_network(monkeypatch):
    attempts = []

    def no_network(self, address):
        attempts.append(address)
        raise OSError("no network in a PDF")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    html = one_line(
        '<link rel="stylesheet" href="https://example.com/evil.css">'
        '<p>平塚市</p><img src="https://example.com/tracker.png" alt="追跡">'
        '<img src="/media/secret.png" alt="内部">'
    )
    rendered = pdf.html_to_pdf(html, base_url=BASE_URL)
    assert_text(rendered.content, "平塚市")
    assert attempts == []


def test_hashed_static_names_are_read_from_static_root(tmp_path, settings):
    # Production: {% static %} gives hashed names that only collectstatic's copies carry.
    # (WhiteNoise's compressing subclass in production adds nothing here but a minute.)
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.templatetags.static import static

    url = static("css/pdf.css")
    assert url != "/static/css/pdf.css"
    path = pdf.resolve_resource(BASE_URL.rstrip("/") + url, base_url=BASE_URL)
    assert path.parent == tmp_path / "css"
    # The stylesheet's own url() (the city's mark) was rewritten to a hashed name too.
    rendered = pdf.html_to_pdf(
        one_line(f'<link rel="stylesheet" href="{url}"><p>平塚市</p>'), base_url=BASE_URL
    )
    assert_text(rendered.content, "平塚市")


# --- File names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("平塚市_寄附実績", "平塚市_寄附実績.pdf"),
        ("平塚市_AUV（自律型海中ロボット）_概要", "平塚市_AUV（自律型海中ロボット）_概要.pdf"),
        ('a/b\\c:d*e?"f<g>h|i j', "a_b_c_d_e_f_g_h_i_j.pdf"),
    ],
)
def test_pdf_filename(name, expected):
    assert pdf.pdf_filename(name) == expected
