"""The agreements' documents: an attached file with its type and size read from the file, or
the address of the page that publishes it, marked 外部リンク."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from tests.page_tools import html

from .factories import AgreementDocumentFactory, AgreementEventFactory, pdf_bytes

pytestmark = pytest.mark.django_db


def padded_pdf(size: int) -> bytes:
    """A real PDF of about ``size`` bytes: Pillow's PDF with a comment before its trailer."""
    data = pdf_bytes()
    head, tail = data.rsplit(b"%%EOF", 1)
    return head + b"%" + b"x" * (size - len(data)) + b"\n%%EOF" + tail


def test_an_attached_pdf_shows_its_type_and_size_read_from_the_file(client, media_root):
    event = AgreementEventFactory()
    document = AgreementDocumentFactory(event=event, title_ja="概要", title_en="Overview")
    document.file.save("overview.pdf", ContentFile(padded_pdf(3_250_000)))
    assert document.file.size >= 3_250_000  # a real file, stored in the test's media root

    page = html(client, "/agreements/")
    assert f'<a href="{document.file.url}" type="application/pdf">概要（PDF：3.1MB）</a>' in page
    english = html(client, "/en/agreements/")
    assert "Overview (PDF, 3.1 MB)</a>" in english


def test_a_small_file_is_counted_in_kilobytes(client, media_root):
    document = AgreementDocumentFactory(title_ja="発表資料")
    document.file.save("small.pdf", ContentFile(padded_pdf(120 * 1024)))
    assert "発表資料（PDF：120KB）" in html(client, "/agreements/")


def test_a_document_known_by_its_address_links_there_marked_external(client):
    AgreementDocumentFactory(title_ja="平塚市発表資料", url="https://www.example.jp/a.pdf")
    AgreementDocumentFactory(title_ja="研究所の発表", url="https://www.example.jp/news/")
    page = html(client, "/agreements/")
    assert 'href="https://www.example.jp/a.pdf"' in page
    assert '平塚市発表資料（PDF）<span class="external-link__mark">（外部リンク）<img' in page
    assert '研究所の発表<span class="external-link__mark">（外部リンク）<img' in page
    assert "研究所の発表（PDF）" not in page


def test_a_document_known_by_title_only_says_whom_to_ask(client):
    AgreementDocumentFactory(title_ja="東京大学生産技術研究所発表資料")
    page = html(client, "/agreements/")
    assert '東京大学生産技術研究所発表資料 <span class="document-list__note">' in page


def test_staff_attach_the_file_or_enter_its_address_not_both(media_root):
    document = AgreementDocumentFactory(with_file=True, url="https://www.example.jp/a.pdf")
    with pytest.raises(ValidationError) as error:
        document.full_clean()
    assert "url" in error.value.message_dict


def test_open_data_gives_the_file_or_the_entered_address(client, media_root):
    with_file = AgreementDocumentFactory(with_file=True, event__agreement=None)
    AgreementDocumentFactory(url="https://www.example.jp/a.pdf", event=with_file.event)
    AgreementDocumentFactory(event=with_file.event)
    data = json.loads(client.get("/opendata/agreements.json").content)
    (event,) = [e for e in data["history_events"] if e["id"] == with_file.event.pk]
    urls = [document["url"] for document in event["documents"]]
    assert urls == [f"http://testserver{with_file.file.url}", "https://www.example.jp/a.pdf", None]
