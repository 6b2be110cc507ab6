"""Editing projects in the Japanese admin: image uploads are checked and refused with a
Japanese message, a good image is stored once and previewed, and every change is attributed.
The lists are in test_admin_lists.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import images
from projects.models import Project, ProjectImage
from tests.admin_tools import (
    admin_url,
    open_page,
    png,
    save_change_form,
    with_new_row,
)

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


# --- Project images ----------------------------------------------------------------------------


def form_with_new_image(staff_client, project, upload) -> tuple[str, dict]:
    url = admin_url(Project, "change", project.pk)
    row = {
        "image": upload,
        "alt_text_ja": "陸上試験中の発電機",
        "alt_text_en": "The generator during the land test",
        "position": "1",
    }
    return url, with_new_row(open_page(staff_client, url), ProjectImage, row)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("photo.png", b"not a picture\n" * 50, "image/png"),
            "画像として読み込めないファイルです。JPEG、PNG、WebPの画像を選んでください。",
        ),
        (
            # 48 million pixels in a 1-bit PNG of a few kilobytes.
            lambda: SimpleUploadedFile("huge.png", png(8000, 6000, mode="1"), "image/png"),
            "画像が大きすぎます（8000×6000ピクセル）。4,000万ピクセル以下にしてください。",
        ),
    ],
    ids=["fake", "too-many-pixels"],
)
def test_a_bad_image_is_refused_with_a_japanese_message(
    staff_client, stored_files, upload, message
):
    project = ProjectFactory()
    url, data = form_with_new_image(staff_client, project, upload())
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectImage.objects.exists()
    assert stored_files() == []


def test_a_too_large_image_file_is_refused(staff_client, stored_files, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 200)
    project = ProjectFactory()
    data = png(1200, 900)
    assert len(data) > 200
    url, data = form_with_new_image(
        staff_client, project, SimpleUploadedFile("photo.png", data, "image/png")
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "画像のファイルサイズは" in page and "以下にしてください（この画像は" in page
    assert not ProjectImage.objects.exists()
    assert stored_files() == []


def test_a_good_image_is_stored_and_previewed(staff_client, media_root, stored_files):
    project = ProjectFactory()
    upload = SimpleUploadedFile("generator.png", png(1200, 900), "image/png")
    url, data = form_with_new_image(staff_client, project, upload)
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    # Stored once: one record, one file.
    assert ProjectImage.objects.count() == 1
    assert stored_files() == [media_root / ProjectImage.objects.get().image.name]
    image = ProjectImage.objects.get(project=project)
    assert image.alt_text_ja == "陸上試験中の発電機"
    assert (media_root / image.image.name).is_file()

    page = open_page(staff_client, url).content.decode()
    assert '<img src="/media/renditions/generator' in page
    assert 'alt="陸上試験中の発電機"' in page
    with Image.open(next((media_root / "renditions").iterdir())) as thumbnail:
        assert thumbnail.format == "WEBP" and thumbnail.width == 480


# --- The audit trail ---------------------------------------------------------------------------


def test_saving_a_project_records_who_changed_what(staff_client, objects):
    project = objects[Project]
    # The project is changed, not copied, and the change recorded once.
    save_change_form(staff_client, project, title_ja="第3世代波力発電（陸上試験）")

    project.refresh_from_db()
    assert project.title_ja == "第3世代波力発電（陸上試験）"
    record = project.history.latest()
    assert record.history_user == staff_client.user
    assert record.title_ja == "第3世代波力発電（陸上試験）"
    # The inlines came back unchanged: nothing was added or dropped.
    assert project.participations.count() == 1 and project.images.count() == 1
    history = open_page(staff_client, admin_url(Project, "history", project.pk)).content.decode()
    assert "sangyo" in history
