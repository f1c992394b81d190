"""Owner-uploaded pictures: proven to be images by Pillow, bounded, resized, stripped of EXIF."""

import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
MAX_PIXELS = 40_000_000  # refuses decompression bombs before decoding


def clean_image(uploaded, *, max_bytes, max_side, square=False):
    """Return a new JPEG or PNG file made from `uploaded`, or raise ValidationError.

    Re-encoding drops EXIF (with the GPS position phones put there) and anything hidden after
    the image data.
    """
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("The image is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)},
            code="too_large",
        )
    try:
        image = Image.open(uploaded)
        if image.format not in ALLOWED_FORMATS:
            raise ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."), code="invalid_image")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError(_("The image has too many pixels."), code="too_large")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("The file is not an image, or it is damaged."), code="invalid_image"
        ) from error

    image = ImageOps.exif_transpose(image)
    if square:
        image = ImageOps.fit(image, (max_side, max_side))
    else:
        image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    out = io.BytesIO()
    if has_alpha:
        image.convert("RGBA").save(out, "PNG", optimize=True)
        name, content_type = "image.png", "image/png"
    else:
        image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
        name, content_type = "image.jpg", "image/jpeg"
    return SimpleUploadedFile(name, out.getvalue(), content_type=content_type)


def thumbnail(data, side=264):
    """A square JPEG of an image's middle, `side` pixels wide (an 88 px thumbnail on a phone
    screen of three device pixels a point), from bytes this server already checked."""
    image = ImageOps.fit(Image.open(io.BytesIO(data)).convert("RGBA"), (side, side))
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image.getchannel("A"))
    out = io.BytesIO()
    flat.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()
