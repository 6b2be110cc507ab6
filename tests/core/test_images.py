"""Uploaded images: only real, reasonably sized JPEG/PNG/WebP get in; renditions are WebP copies
made once and sized for the page."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import images
from core.images import rendition_url, validate_image_file
from tests.projects.factories import ProjectImageFactory


def encode(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def photo(width: int = 120, height: int = 80) -> Image.Image:
    """Noise rather than a flat colour, so that a cut-off file really lacks image data."""
    return Image.effect_noise((width, height), 60).convert("RGB")


def upload(data: bytes, name: str = "upload.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares its size but carries no pixels: enough for Image.open to read."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def refusal_code(data: bytes, name: str = "upload.png") -> str:
    with pytest.raises(ValidationError) as caught:
        validate_image_file(upload(data, name))
    return caught.value.code


# --- validate_image_file --------------------------------------------------------------------------


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_real_jpeg_png_and_webp_are_accepted(image_format):
    file = upload(encode(photo(), image_format))
    file.seek(5)
    validate_image_file(file)
    # The validator leaves the file where it found it, so saving it afterwards stores it whole.
    assert file.tell() == 5


def test_a_text_file_named_png_is_refused():
    assert refusal_code(b"This is not a picture at all.\n" * 10, "photo.png") == "not_an_image"


def test_a_truncated_png_is_refused():
    data = encode(photo(), "PNG")
    assert refusal_code(data[: len(data) // 2]) == "not_an_image"


def test_a_gif_is_refused_as_an_unsupported_format():
    assert refusal_code(encode(photo().convert("P"), "GIF"), "anim.gif") == "unsupported_format"


def test_a_file_over_the_byte_limit_is_refused_with_the_limit_in_the_message(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    data = encode(photo(200, 200), "PNG")
    assert len(data) > 1000
    with pytest.raises(ValidationError) as caught:
        validate_image_file(upload(data))
    assert caught.value.code == "file_too_large"
    message = caught.value.messages[0]
    assert message.startswith("画像のファイルサイズは") and "以下にしてください" in message


def test_an_image_with_too_many_pixels_is_refused_with_its_size():
    # 8000×6000 = 48 million pixels; a 1-bit black PNG of that size is only a few kilobytes.
    data = encode(Image.new("1", (8000, 6000)), "PNG")
    assert len(data) < 100_000
    with pytest.raises(ValidationError) as caught:
        validate_image_file(upload(data))
    assert caught.value.code == "too_many_pixels"
    assert "8000×6000" in caught.value.messages[0]


def test_a_decompression_bomb_is_refused_without_being_decoded():
    # 30000×30000 = 900 million pixels, past Pillow's DecompressionBombError threshold; the file
    # itself is a 57-byte header, so nothing is decoded on the way to the refusal.
    data = png_header_only(30_000, 30_000)
    assert refusal_code(data) == "too_many_pixels"


def test_an_image_between_the_limits_of_pillow_is_refused_as_too_large():
    # 100 million pixels: Pillow only warns (DecompressionBombWarning); the portal refuses.
    data = png_header_only(10_000, 10_000)
    assert refusal_code(data) == "too_many_pixels"


def test_a_cut_off_jpeg_is_refused():
    # verify() passes a truncated JPEG; decoding it completely does not.
    data = encode(Image.new("RGB", (400, 300), "navy"), "JPEG")
    assert refusal_code(data[: len(data) // 2]) == "not_an_image"


# --- rendition_url --------------------------------------------------------------------------------


def stored_rendition(media_root: Path, url: str) -> Path:
    assert url.startswith("/media/renditions/")
    return media_root / url.removeprefix("/media/")


def image_with(data: bytes, name: str = "photo.png"):
    return ProjectImageFactory(image__from_file=BytesIO(data), image__filename=name).image


@pytest.mark.django_db
def test_a_rendition_is_a_webp_no_wider_than_asked_with_the_same_aspect_ratio(media_root):
    image = image_with(encode(photo(1200, 800), "PNG"))
    path = stored_rendition(media_root, rendition_url(image, 480))
    with Image.open(path) as rendition:
        assert rendition.format == "WEBP"
        assert rendition.size == (480, 320)


@pytest.mark.django_db
def test_a_small_image_is_not_enlarged(media_root):
    image = image_with(encode(photo(300, 200), "JPEG"), "small.jpg")
    path = stored_rendition(media_root, rendition_url(image, 960))
    with Image.open(path) as rendition:
        assert rendition.size == (300, 200)


@pytest.mark.django_db
def test_the_second_request_reuses_the_stored_rendition(media_root):
    image = image_with(encode(photo(1200, 800), "PNG"))
    first = rendition_url(image, 480)
    path = stored_rendition(media_root, first)
    written = path.stat().st_mtime_ns
    assert rendition_url(image, 480) == first
    # Not written again (same file, same mtime) and no second copy under another name.
    assert path.stat().st_mtime_ns == written
    assert [p.name for p in (media_root / "renditions").iterdir()] == [path.name]


@pytest.mark.django_db
def test_each_width_gets_its_own_rendition(media_root):
    image = image_with(encode(photo(1200, 800), "PNG"))
    assert rendition_url(image, 480) != rendition_url(image, 960)
    assert len(list((media_root / "renditions").iterdir())) == 2


@pytest.mark.django_db
def test_a_rendition_is_turned_the_way_the_camera_said(media_root):
    # Stored landscape, left half red and right half blue, with EXIF "rotate 90° clockwise"
    # (orientation 6), as phones save portrait photos.
    stored = Image.new("RGB", (200, 100), "blue")
    stored.paste((255, 0, 0), (0, 0, 100, 100))
    exif = Image.Exif()
    exif[0x0112] = 6
    image = image_with(encode(stored, "JPEG", exif=exif, quality=95), "portrait.jpg")
    path = stored_rendition(media_root, rendition_url(image, 480))
    with Image.open(path) as rendition:
        picture = rendition.convert("RGB")
    assert picture.size == (100, 200)
    # Turned clockwise, what was on the left is now at the top.
    red, _, blue = picture.getpixel((50, 20))
    assert red > 200 and blue < 60
    red, _, blue = picture.getpixel((50, 180))
    assert blue > 200 and red < 60


def test_no_image_gives_no_url():
    assert rendition_url(None, 480) == ""


def test_a_damaged_original_falls_back_to_itself_instead_of_breaking_the_page(settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db.models.fields.files import ImageFieldFile

    from projects.models import ProjectImage

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("projects/broken.jpg", ContentFile(b"\xff\xd8\xff not a jpeg"))
    field = ImageFieldFile(ProjectImage(), ProjectImage._meta.get_field("image"), name)
    assert rendition_url(field, 480) == field.url
    assert not (tmp_path / "renditions").exists()


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_cut_off_images_are_refused_even_when_pillow_is_told_to_pad_them(monkeypatch, image_format):
    # WeasyPrint sets this for the whole process; validation must not depend on it.
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    data = encode(Image.new("RGB", (400, 300), "navy"), image_format)
    assert refusal_code(data[: len(data) // 2]) == "not_an_image"
