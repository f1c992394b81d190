from django import forms
from django.utils.translation import gettext_lazy as _

from forum.models import Board


class ModerationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to hide, warn or suspend; the owner sees it."),
    )
    # No length here: the rename action says how long a title may be, and how long this one is.
    title = forms.CharField(label=_("New title"), required=False)
    board = forms.ModelChoiceField(
        label=_("Move to board"), queryset=Board.objects.all(), required=False
    )
    until = forms.DateTimeField(
        label=_("Suspend posting until"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
