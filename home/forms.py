from wagtail.documents.forms import BaseDocumentForm

from portal.files import check_document


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form: a new file must be what its extension says (a PDF must be
    plain), since the extension decides the type it is served with."""

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            check_document(file)
        return file
