"""Real files for upload tests: PDFs made by pypdf and pictures made by Pillow, so the site's
checks parse them for real; and the hostile files those checks exist for."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript

# Passes a check of the first bytes; a browser sniffing it (or told text/html) runs the script.
HTML_WITH_PDF_HEADER = (
    b"%PDF-1.4\n<html><body><script>alert('pdf ' + document.domain)</script></body></html>\n%%EOF"
)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(\'svg onload\')">'
    b"<script>alert('svg')</script><rect width='10' height='10'/></svg>"
)
HTML = b"<!doctype html><title>x</title><script>alert('html ' + document.cookie)</script>"


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


def picture_bytes(fmt="PNG", size=(640, 480), mode="RGB"):
    out = io.BytesIO()
    Image.new(mode, size, (40, 120, 200)).save(out, fmt)
    return out.getvalue()
