from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum.mentions import MAX_MENTIONS
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


class ComposeWidget(forms.Textarea):
    """The message box with its toolbar (bold, list, quote, picture, @): the toolbar shows once
    the site's script runs (static/js/site.js), and the people list of "@" comes from the
    address on the form (data-mentions)."""

    template_name = "forum/widgets/compose.html"

    def __init__(self):
        super().__init__(attrs={"rows": 6, "data-compose": ""})


class MentionsField(forms.CharField):
    """The accounts picked from the "@" list, as the script writes them: "12,40"."""

    widget = forms.HiddenInput

    def __init__(self):
        super().__init__(required=False, max_length=200)

    def to_python(self, value):
        parts = (part.strip() for part in super().to_python(value).split(","))
        return [int(part) for part in parts if part.isascii() and part.isdigit()][:MAX_MENTIONS]


class PostForm(forms.Form):
    source = forms.CharField(
        label=_("Message"),
        max_length=MAX_LENGTH,
        strip=False,  # indentation at the start is a Markdown code block
        widget=ComposeWidget(),
        help_text=_(
            "Select words and tap B to make them bold. Type @ to mention a neighbour: they are "
            "told of your post."
        ),
    )
    mentions = MentionsField()
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
    mentions = MentionsField()
    clean_source = PostForm.clean_source


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reason", "details"]
        widgets = {"reason": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 3})}
