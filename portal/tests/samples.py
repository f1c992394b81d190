"""Real files for upload tests: PDFs made by pypdf, so the site's checks parse them for real."""

import io

from pypdf import PdfWriter
from pypdf.actions import JavaScript


def pdf_bytes(*, javascript=None, embedded=None, password=None):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    if javascript:
        writer.add_open_action(JavaScript(javascript))
    if embedded:
        writer.add_attachment("inside.html", embedded)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
