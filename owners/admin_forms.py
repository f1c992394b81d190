from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm as WagtailUserCreationForm
from wagtail.users.forms import UserEditForm as WagtailUserEditForm

from owners.models import Estate
from owners.public_names import clean_nickname

PROFILE_FIELDS = ("real_name", "nickname", "show_real_name", "mobile", "language")


class ProfileFieldsMixin:
    """Chinese names do not split into first and last; the real name field holds the name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = False
        self.fields["last_name"].required = False
        self.fields["nickname"].help_text = _(
            "What other owners see. Staff may use words such as 客服 or 金都, e.g. 金都客服小王 "
            "for a spokesperson."
        )

    def clean_nickname(self):
        # Staff may give official-sounding names; length, characters and uniqueness still apply.
        return clean_nickname(
            self.cleaned_data["nickname"], user=self.instance, allow_reserved=True
        )


class UserCreationForm(ProfileFieldsMixin, WagtailUserCreationForm):
    class Meta(WagtailUserCreationForm.Meta):
        fields = WagtailUserCreationForm.Meta.fields | set(PROFILE_FIELDS)


class UserEditForm(ProfileFieldsMixin, WagtailUserEditForm):
    class Meta(WagtailUserEditForm.Meta):
        fields = WagtailUserEditForm.Meta.fields | set(PROFILE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An address signs in and receives password resets: it changes only at allauth's page,
        # by the account holder, and takes over once verified (portal.signin).
        self.fields["email"].disabled = True
        self.fields["email"].help_text = _(
            "The account holder changes it under 我的 → Email addresses, where it is verified."
        )
        # So does a verified mobile number: it signs in too.
        if self.instance.mobile_verified:
            self.fields["mobile"].disabled = True
            self.fields["mobile"].help_text = _(
                "Verified. The account holder changes it under Me → Mobile number, with a code "
                "texted to the new one."
            )


class UnitImportForm(forms.Form):
    estate = forms.ModelChoiceField(label=_("Estate"), queryset=Estate.objects.all())
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "First line: building,number,floor_area (or 楼栋,房号,建筑面积), and use (用途: 住宅, "
            "商铺 or 写字楼) if some units are not homes. To load the owner archive too, add "
            "name, mobile, role and since (姓名, 手机号, 身份: 产权人/共有人/家庭成员/租户, "
            "起始日期), a line per person. UTF-8 or GBK. Existing units get the new floor area "
            "and use; if any line is wrong, nothing is imported."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class ReviewForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason or note for the owner"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting or revoking; the owner sees it."),
    )
