"""What a user's file really is, and how it is served.

A stored file's type is decided here from its content, never from what a browser or an email
said: pictures are re-encoded by Pillow (portal.images) and shown inline as what they now are; a
PDF is parsed with pypdf and refused when it carries script, actions or other files; everything
else is a download. Every response that carries a user's file is also sandboxed and never
sniffed, so even a file that slipped through cannot run script on the site's origin.
"""

import io
import posixpath
import zipfile
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import FileResponse, Http404
from django.template.response import SimpleTemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views import static
from PIL import Image, UnidentifiedImageError

from portal.images import clean_image

PDF = "application/pdf"
DOWNLOAD = "application/octet-stream"
# Shown in the browser. Everything else, PDF included, is a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif", "image/avif"}
SANDBOX = "sandbox; default-src 'none'"

# Public media by extension: every file there was re-encoded here (avatars) or proven by
# Wagtail to be the image format its extension says (images and renditions).
MEDIA_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "avif": "image/avif",
}
# What a PDF must not carry: script, launching programs, other files, Flash, XFA forms.
PDF_ACTIVE_KEYS = {
    "/JavaScript",
    "/JS",
    "/Launch",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/RichMedia",
    "/XFA",
}
# Actions that run script, start programs, send or load data, open another file (a /GoToR to
# \\host\share\x.pdf makes Windows offer the user's credentials to that host) or play media.
# Links to web pages (/URI), within the file (/GoTo), menu commands (/Named) and showing or
# hiding a field (/Hide) stay: they are what ordinary PDFs carry.
PDF_ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/Sound",
    "/Movie",
}
# Actions that are harmless within the file but not when they name another one (/F).
PDF_FILE_ACTIONS = {"/Thread"}
PDF_MAX_OBJECTS = 200_000


class VerifiedFile(SimpleUploadedFile):
    """An upload whose type this server decided from its content."""

    def __init__(self, name, content, verified_type):
        super().__init__(name, content, content_type=verified_type)
        self.verified_type = verified_type


def clean_attachment(upload):
    """A case attachment: a plain PDF (parsed by pypdf) or a picture (re-encoded by Pillow), as a
    VerifiedFile; the type and name the browser or email gave are not trusted."""
    limit = settings.CASE_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is larger than %(size)s MB.")
            % {"name": upload.name, "size": limit // 2**20}
        )
    stem = upload.name.rsplit(".", 1)[0][:150]
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-"):
        problem = pdf_problem(data)
        if problem:
            raise ValidationError(_refusal(upload, problem), code="invalid_pdf")
        return VerifiedFile(f"{stem}.pdf", data, PDF)
    try:
        picture = clean_image(upload, max_bytes=limit, max_side=2400)
    except ValidationError as error:
        if error.code != "invalid_image":
            raise
        raise ValidationError(
            _("%(name)s is neither a photo nor a PDF.") % {"name": upload.name}
        ) from error
    extension = picture.name.rsplit(".", 1)[1]
    return VerifiedFile(f"{stem}.{extension}", picture.read(), picture.content_type)


def _refusal(upload, problem):
    return _("%(name)s: %(problem)s") % {"name": upload.name, "problem": problem}


def pdf_problem(data):
    """Why these bytes are not a plain PDF, or None."""
    if not data.startswith(b"%PDF-"):
        return _("This is not a PDF file.")
    # Imported for the first PDF, not with the module: every web worker loads this module, and
    # pypdf is some 6 MiB a process that only an upload of a PDF needs.
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return _(
                "The PDF is protected by a password. Save it without the password and upload it "
                "again."
            )
        if not reader.pages:
            return _("The PDF has no pages.")
        active = _has_active_content(reader)
    except Exception:  # noqa: BLE001 (hostile bytes may fail the parser anywhere: refused)
        return _("The PDF is damaged or cannot be read.")
    if active:
        return _(
            "The PDF contains script, actions or embedded files, which we do not accept. Save "
            'it as a plain PDF (for example with "Print to PDF") and upload it again.'
        )
    return None


def _has_active_content(reader):
    """Walk every object of the file, reachable or not, looking for PDF_ACTIVE_*."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject  # as pdf_problem

    pending = [reader.trailer]
    pending += [
        IndirectObject(num, gen, reader) for gen, nums in reader.xref.items() for num in nums
    ]
    pending += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    seen = set()
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            if len(seen) > PDF_MAX_OBJECTS:
                raise ValueError("too many objects")
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if PDF_ACTIVE_KEYS.intersection(item) or _is_active_action(item):
                return True
            pending.extend(item.values())
        elif isinstance(item, ArrayObject):
            pending.extend(item)
    return False


def _is_active_action(item):
    kind = item.get("/S")
    return kind in PDF_ACTIVE_ACTIONS or (kind in PDF_FILE_ACTIONS and "/F" in item)


def sniffed_type(file):
    """The verified type of a stored file: a picture Pillow reads, a plain PDF, or a download."""
    data = file.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            found = Image.MIME.get(image.format)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        found = None
    if found in {"image/jpeg", "image/png", "image/webp"}:
        return found
    if pdf_problem(data) is None:
        return PDF
    return DOWNLOAD


# -- CMS documents: editors upload them; their type then comes from the checked extension --

OFFICE = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


def check_document(upload):
    """Raise ValidationError unless the file's content is what its extension says."""
    extension = upload.name.rsplit(".", 1)[-1].lower()
    data = upload.read()
    upload.seek(0)
    if extension == "pdf":
        problem = pdf_problem(data)
    elif extension in OFFICE or extension == "zip":
        problem = _zip_problem(data, OFFICE.get(extension))
    elif extension in ("csv", "txt"):
        problem = _text_problem(data)
    else:
        problem = _("This kind of file is not accepted.")
    if problem:
        raise ValidationError(_refusal(upload, problem), code="invalid_document")


def _zip_problem(data, folder):
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, ValueError):
        return _("The file is damaged or is not what its name says.")
    if folder and not ("[Content_Types].xml" in names and any(n.startswith(folder) for n in names)):
        return _("The file is damaged or is not what its name says.")
    return None


def _text_problem(data):
    if b"\x00" not in data:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return None
    return _("The file is not plain text.")


# -- Serving ----------------------------------------------------------------------------------


def protect(response, *, private=True, max_age=None):
    """The headers every response carrying a user's file gets."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    if private:
        patch_cache_control(response, private=True, **({"max_age": max_age} if max_age else {}))
    return response


def serve_user_file(file, *, verified_type, filename="", private=True, max_age=None):
    """A stored user file: pictures inline, anything else as a download, sandboxed either way."""
    inline = verified_type in INLINE_TYPES
    served = verified_type if inline or verified_type == PDF else DOWNLOAD
    response = FileResponse(file, as_attachment=not inline, filename=filename, content_type=served)
    return protect(response, private=private, max_age=max_age)


def serve_media(request, path):
    """MEDIA_URL from this process (SERVE_MEDIA): pictures inline, anything else downloaded."""
    if posixpath.normpath(path).lstrip("/").lower().startswith("documents/"):
        raise Http404  # CMS documents go through /documents/, which checks who may read them
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    content_type = MEDIA_TYPES.get(path.rsplit(".", 1)[-1].lower())
    if content_type:
        response["Content-Type"] = content_type
    elif response.status_code == 200:
        response["Content-Type"] = DOWNLOAD
        response["Content-Disposition"] = "attachment"
    return protect(response, private=False)


def sandboxed(view):
    """Add the user-file headers to what a file-serving view (Wagtail's documents) returns,
    but not to its pages (a password form) or redirects."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 206, 304) and not isinstance(
            response, SimpleTemplateResponse
        ):
            protect(response)
        return response

    return wrapped
