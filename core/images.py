"""Uploaded images: validated with Pillow, served as renditions sized for the templates.

An upload is accepted only if Pillow can decode it as a JPEG, PNG or WebP, it is within the
size and pixel limits, and it is not a decompression bomb. A rendition is a resized WebP copy
made the first time a template asks for that width and kept in the media storage.
``CaptionedImage`` is the abstract model of every image a page shows with its text alternative.
"""

from __future__ import annotations

import hashlib
import logging
import warnings
from io import BytesIO
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from core.japanese import is_english
from core.validators import is_stored, read_from_start, validate_upload_size

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPTED_CONTENT_TYPES = "image/jpeg,image/png,image/webp"
RENDITION_WIDTHS = (480, 960, 1440)


def _too_many_pixels(size: tuple[int, int] | None = None) -> ValidationError:
    # Japanese counts in 万 (4,000万), English in plain pixels (40,000,000).
    limits = {"limit": f"{MAX_PIXELS:,}" if is_english() else f"{MAX_PIXELS // 10_000:,}万"}
    if size is None:  # Pillow refused to even read the size of such a bomb
        return ValidationError(
            _("画像が大きすぎます。%(limit)sピクセル以下にしてください。"),
            code="too_many_pixels",
            params=limits,
        )
    return ValidationError(
        _(
            "画像が大きすぎます（%(width)s×%(height)sピクセル）。%(limit)sピクセル以下にしてください。"
        ),
        code="too_many_pixels",
        params={"width": size[0], "height": size[1], **limits},
    )


def validate_image_file(file) -> None:
    """Refuse anything that is not a real, reasonably sized JPEG, PNG or WebP image.

    The file is checked for completeness and decoded: a header that looks right is not enough.
    Completeness is checked explicitly (PNG chunks and checksums with ``verify()``, the JPEG
    end-of-image marker) because Pillow pads a cut-off image silently once any library in the
    process (WeasyPrint does) sets ``ImageFile.LOAD_TRUNCATED_IMAGES``.
    """
    if is_stored(file):
        return
    validate_upload_size(
        file,
        MAX_UPLOAD_BYTES,
        _("画像のファイルサイズは%(limit)s以下にしてください（この画像は%(size)s）。"),
    )
    try:
        with read_from_start(file), warnings.catch_warnings():
            # Pillow only warns below its own bomb limit; here any oversized image is refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels((width, height))
                image.verify()
            file.seek(0)
            with Image.open(file) as image:
                image.load()
            if image_format == "JPEG" and not _ends_with_jpeg_eoi(file):
                raise OSError("the JPEG data ends before its end-of-image marker")
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("画像として読み込めないファイルです。JPEG、PNG、WebPの画像を選んでください。"),
            code="not_an_image",
        ) from error
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("この形式の画像は使えません。JPEG、PNG、WebPの画像を選んでください。"),
            code="unsupported_format",
        )


def _ends_with_jpeg_eoi(file) -> bool:
    file.seek(max(file.size - 64, 0))
    return b"\xff\xd9" in file.read().rstrip(b"\x00\r\n ")[-2:]


class ImageUploadFormField(forms.FileField):
    """An upload field that leaves every check to ``validate_image_file``.

    Django's own ``forms.ImageField`` would refuse a bad file first, with a generic message;
    staff should instead read exactly what is wrong (too large, too many pixels, not an image).
    """

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ACCEPTED_CONTENT_TYPES}


class ValidatedImageField(models.ImageField):
    """The model field for every uploaded image in the portal."""

    default_validators = [validate_image_file]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadFormField, **kwargs})


def rendition_name(original: str, width: int) -> str:
    digest = hashlib.sha256(original.encode()).hexdigest()[:12]
    stem = PurePosixPath(original).stem[:40]
    return f"renditions/{stem}-{digest}-{width}w.webp"


def rendition_url(image: FieldFile, width: int) -> str:
    """The URL of ``image`` resized to at most ``width`` pixels wide (created on first use).

    A rendition that cannot be made (the original is missing or damaged) falls back to the
    original's URL: a page never fails because of one picture.
    """
    if not image:
        return ""
    storage = image.storage
    name = rendition_name(image.name, width)
    if storage.exists(name):
        return storage.url(name)
    try:
        with image.open("rb") as source, Image.open(source) as original:
            picture = ImageOps.exif_transpose(original)
            picture.thumbnail((width, width * 4))
            if picture.mode not in {"RGB", "RGBA"}:
                keeps_alpha = "A" in picture.getbands() or "transparency" in picture.info
                picture = picture.convert("RGBA" if keeps_alpha else "RGB")
            buffer = BytesIO()
            picture.save(buffer, "WEBP", quality=82)
    except (OSError, ValueError) as error:
        logger.warning("No rendition of %s at %spx: %s", image.name, width, error)
        return image.url
    if not storage.exists(name):  # another request may have made it meanwhile
        storage.save(name, ContentFile(buffer.getvalue()))
    return storage.url(name)


def rendition_srcset(image: FieldFile, widths: tuple[int, ...] = RENDITION_WIDTHS) -> str:
    return ", ".join(f"{rendition_url(image, width)} {width}w" for width in widths)


class CaptionedImage(models.Model):
    """An image shown on a public page: the file, the text that stands in for it (required:
    JIS X 8341-3 asks every image for a text alternative), a caption and its place in the order.

    Concrete models add what the image belongs to and override ``image`` with their own label
    and upload folder."""

    image = ValidatedImageField(_("画像"), upload_to="images/%Y/")
    alt_text = models.CharField(
        _("代替テキスト"),
        max_length=300,
        help_text=_("画像を見られない方に、画像が伝える内容を文章で説明してください。"),
    )
    caption = models.CharField(_("キャプション"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(alt_text=""), name="%(class)s_alt_required"),
        ]

    def __str__(self) -> str:
        return self.alt_text
