from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.models import Report
from portal.images import clean_image
from portal.validators import printable

MAX_IMAGES = 6
MAX_LENGTH = 10_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Up to MAX_IMAGES pictures, each proven by Pillow, resized and stripped of EXIF."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_IMAGES:
            raise ValidationError(_("At most %(count)s pictures per post.") % {"count": MAX_IMAGES})
        return [
            clean_image(f, max_bytes=settings.FORUM_IMAGE_MAX_BYTES, max_side=1600) for f in files
        ]


class PostForm(forms.Form):
    source = forms.CharField(
        label=_("Message"),
        max_length=MAX_LENGTH,
        strip=False,  # indentation at the start is a Markdown code block
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Markdown works: **bold**, lists, > quotes, [links](https://…). @name mentions."
        ),
    )
    images = ImagesField(label=_("Pictures"))
    official = forms.BooleanField(label=_("Post as the official reply"), required=False)

    def __init__(self, *args, spokesperson=False, **kwargs):
        super().__init__(*args, **kwargs)
        if spokesperson:
            self.fields["official"].initial = True
        else:
            del self.fields["official"]

    def clean_source(self):
        # Blank lines go, but not the indentation of a leading code block.
        source = printable(self.cleaned_data["source"]).lstrip("\r\n").rstrip()
        if not source.strip():
            raise ValidationError(_("Write something first."))
        return source


class TopicForm(PostForm):
    title = forms.CharField(label=_("Title"), max_length=100, min_length=4)

    field_order = ["title", "source", "images", "official"]

    def clean_title(self):
        title = printable(self.cleaned_data["title"]).strip()
        if len(title) < 4:
            raise ValidationError(_("Give the topic a title of at least 4 characters."))
        return title


class EditForm(forms.Form):
    source = PostForm.base_fields["source"]
    clean_source = PostForm.clean_source


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "details"]
        widgets = {"reason": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 3})}
