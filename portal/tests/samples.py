"""Real files for upload tests: PDFs made by pypdf and pictures made by Pillow, so the site's
checks parse them for real; and the hostile files those checks exist for."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

# Passes a check of the first bytes; a browser sniffing it (or told text/html) runs the script.
HTML_WITH_PDF_HEADER = (
    b"%PDF-1.4\n<html><body><script>alert('pdf ' + document.domain)</script></body></html>\n%%EOF"
)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'svg onload\')">'
    b"<script>alert('svg')</script><rect width='10' height='10'/></svg>"
)
HTML = b"<!doctype html><title>x</title><script>alert('html ' + document.cookie)</script>"


def pdf_bytes(*, javascript=None, embedded=None, password=None, size=0, opens=None, link=None):
    """A one-page PDF; with `size`, padded to that many bytes by a comment in its page's
    content (a scan's worth of bytes that is still a plain PDF). `opens` is an action run when
    the file is opened (/OpenAction), `link` one run by clicking a link on the page: each a
    dict such as {"/S": "/URI", "/URI": "https://..."} (see `pdf_action`)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if opens:
        writer._root_object[NameObject("/OpenAction")] = pdf_action(opens)
    if link:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (50, 50, 250, 80)]),
                NameObject("/A"): pdf_action(link),
            }
        )
        writer.add_annotation(page_number=0, annotation=annotation)
    if size:
        content = DecodedStreamObject()
        page[NameObject("/Contents")] = writer._add_object(content)
        padding = size
        for _ in range(3):  # the stream's /Length grows by a digit or two: measure again
            content.set_data(b"%" + b"x" * max(padding, 0) + b"\n")
            padding -= len(_written(writer)) - size
    if javascript:
        writer.add_open_action(JavaScript(javascript))
    if embedded:
        writer.add_attachment("inside.html", embedded)
    if password:
        writer.encrypt(password)
    return _written(writer)


def pdf_action(entries):
    """A PDF action dictionary from plain values: "/Name"s, strings, numbers and lists."""

    def value(item):
        if isinstance(item, list):
            return ArrayObject([value(i) for i in item])
        if isinstance(item, int):
            return NumberObject(item)
        if isinstance(item, str) and item.startswith("/"):
            return NameObject(item)
        return TextStringObject(item)

    return DictionaryObject(
        {NameObject("/Type"): NameObject("/Action")}
        | {NameObject(key): value(item) for key, item in entries.items()}
    )


def _written(writer):
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def picture_bytes(fmt="PNG", size=(640, 480), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, (40, 120, 200)).save(out, fmt)
    return out.getvalue()
