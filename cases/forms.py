from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Category
from owners.models import Unit
from portal.files import clean_attachment

MAX_ATTACHMENTS = 6


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


# Worked out in the reader's language when shown, not once when the form class is defined.
_help_text = lazy(
    lambda: gettext("Up to %(count)s photos or PDF files.") % {"count": MAX_ATTACHMENTS}, str
)


class AttachmentsField(forms.FileField):
    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        kwargs.setdefault("help_text", _help_text())
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(_("At most %(count)s attachments.") % {"count": MAX_ATTACHMENTS})
        return [clean_attachment(f) for f in files]


class CaseForm(forms.Form):
    # Repairs and special services have their own forms (我要报修, 特约服务).
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=[c for c in Case.Kind.choices if c[0] not in Case.OWN_FORMS]
    )
    category = forms.ModelChoiceField(
        label=_("About"), queryset=Category.objects.all(), empty_label=_("Choose a category")
    )
    unit = forms.ModelChoiceField(
        label=_("Which home"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Not about one of my homes"),
    )
    subject = forms.CharField(label=_("Subject"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What happened, where and when. We answer within the time promised for its category."
        ),
    )
    attachments = AttachmentsField(label=_("Photos or files"))

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        homes = Unit.objects.filter(claims__owner=owner, claims__status="approved").select_related(
            "estate"
        )
        self.fields["unit"].queryset = homes
        # An owner with one home is asked about it, not made to pick it.
        only = list(homes[:2])
        if len(only) == 1 and not self.is_bound:
            self.fields["unit"].initial = only[0].pk


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Add information"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    attachments = AttachmentsField(label=_("Photos or files"))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("What is still wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[(n, f"{'★' * n} {n}") for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Your comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
