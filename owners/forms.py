import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from owners.models import Estate, OwnershipClaim, Unit, User
from owners.public_names import NICKNAME_MAX, clean_nickname
from portal import channels
from portal.images import clean_image
from portal.validators import clean_name, normalise_mobile, validate_mobile


class ProfileForm(forms.ModelForm):
    # Wider than the stored 11 digits: owners type "+86 138-0013-8000" and we normalise it.
    mobile = forms.CharField(
        label=_("mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "13800138000"}
        ),
    )

    class Meta:
        model = User
        fields = [
            "real_name",
            "mobile",
            "nickname",
            "show_real_name",
            "language",
            "avatar",
        ]
        widgets = {
            "real_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "nickname": forms.TextInput(
                attrs={"autocomplete": "nickname", "maxlength": NICKNAME_MAX}
            ),
            "avatar": forms.ClearableFileInput(attrs={"accept": "image/*"}),
        }
        labels = {"show_real_name": _("Show my real name to other owners")}
        help_texts = {
            "real_name": _("Only you and the company's staff see it, unless you choose below."),
            "nickname": _(
                "2 to 20 characters, shown in the forum instead of your name. Leave it empty "
                "to show your surname only, e.g. 王**."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["real_name"].required = True
        # A verified number signs in: it changes only with a code texted to the new one.
        if self.instance.mobile_verified:
            self.fields["mobile"].disabled = True
            self.fields["mobile"].help_text = _("Verified. Change it under Me → Mobile number.")

    def clean_real_name(self):
        return clean_name(self.cleaned_data["real_name"])

    def clean_nickname(self):
        return clean_nickname(self.cleaned_data["nickname"], user=self.instance)

    def clean_mobile(self):
        mobile = normalise_mobile(self.cleaned_data["mobile"])
        validate_mobile(mobile)
        return mobile

    def clean_avatar(self):
        avatar = self.cleaned_data.get("avatar")
        if avatar and hasattr(avatar, "content_type"):  # a new upload, not the stored file
            return clean_image(
                avatar,
                max_bytes=settings.AVATAR_MAX_BYTES,
                max_side=settings.AVATAR_SIZE,
                square=True,
            )
        return avatar


def natural_key(text):
    """Sort "2栋" before "10栋"."""
    parts = re.split(r"([0-9]+)", text)
    return [
        (0, int(part), "") if part.isdigit() and part.isascii() else (1, 0, part) for part in parts
    ]


def floor_of(number):
    """The floor a unit number names: "1201" and "A1201" are on 12, "0501" on 5; None when the
    number does not follow the floor-then-door pattern."""
    match = re.fullmatch(r"[A-Za-z]?0*([0-9]{1,3})[0-9]{2}", number)
    return int(match.group(1)) if match and int(match.group(1)) else None


class ClaimForm(forms.Form):
    """Estate → building → unit, each picked from a list, and a proof staff can check.

    The estate and the building come from the address (a GET form reloads the lists); the unit
    is one of that building's units, shown floor by floor."""

    estate = forms.ModelChoiceField(
        label=_("Estate"), queryset=Estate.objects.all(), empty_label=_("Choose your estate")
    )
    building = forms.ChoiceField(label=_("Building"), choices=[])
    unit = forms.ChoiceField(
        label=_("Unit"),
        choices=[],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose your unit."),
            "invalid_choice": _("Choose one of this building's units."),
        },
    )
    role = forms.ChoiceField(
        label=_("You are the unit's"),
        choices=OwnershipClaim.Role.choices,
        initial=OwnershipClaim.Role.OWNER,
    )
    proof = forms.CharField(
        label=_("Purchase contract or property certificate number"),
        max_length=100,
        help_text=_("Staff check it against the company's records; it is never shown to others."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.estate_chosen = self._chosen_estate()
        self.building_chosen = None
        self.units = {}
        if self.estate_chosen is None:
            return
        self.fields["estate"].initial = self.estate_chosen.pk
        buildings = sorted(
            Unit.objects.filter(estate=self.estate_chosen)
            .order_by()
            .values_list("building", flat=True)
            .distinct(),
            key=natural_key,
        )
        self.fields["building"].choices = [("", _("Choose the building"))] + [
            (b, b) for b in buildings
        ]
        self.building_chosen = self._chosen("building", buildings)
        if self.building_chosen is None:
            return
        self.fields["building"].initial = self.building_chosen
        units = sorted(
            Unit.objects.filter(estate=self.estate_chosen, building=self.building_chosen),
            key=lambda unit: natural_key(unit.number),
        )
        self.units = {str(unit.pk): unit for unit in units}
        self.fields["unit"].choices = [(pk, unit.number) for pk, unit in self.units.items()]

    def _value(self, name):
        return self.data.get(name) if self.is_bound else self.initial.get(name)

    def _chosen_estate(self):
        pk = self._value("estate")
        if pk and str(pk).isascii() and str(pk).isdigit():
            return Estate.objects.filter(pk=pk).first()
        if not self.is_bound:
            # With a single estate there is nothing to choose.
            estates = list(Estate.objects.all()[:2])
            return estates[0] if len(estates) == 1 else None
        return None

    def _chosen(self, name, choices):
        value = self._value(name)
        if value in choices:
            return value
        return choices[0] if len(choices) == 1 else None

    def floors(self):
        """The unit choices grouped by floor, top floor first as on a building's directory;
        numbers that name no floor come last under "Other"."""
        by_floor = {}
        for choice in self["unit"]:
            floor = floor_of(self.units[str(choice.data["value"])].number)
            by_floor.setdefault(floor, []).append(choice)
        order = sorted((f for f in by_floor if f is not None), reverse=True)
        groups = [(_("Floor %(floor)s") % {"floor": f}, by_floor[f]) for f in order]
        if None in by_floor:
            groups.append((_("Other"), by_floor[None]))
        return groups

    def clean(self):
        data = super().clean()
        if data.get("unit"):
            data["unit"] = self.units[data["unit"]]
        return data


class ChannelsForm(forms.Form):
    """我的 → 通知设置: for each topic of message, the channels it goes out on besides the site
    (portal.channels), and how forum notifications are emailed."""

    email_notifications = forms.ChoiceField(
        label=pgettext_lazy("channel", "Email"),
        choices=User.EmailNotifications.choices,
        required=False,  # shown only to those with an address
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, initial={"email_notifications": user.email_notifications}, **kwargs)
        self.user = user
        self.reachable = channels.reach(user)
        self.topics = list(channels.TOPICS.values())
        for topic in self.topics:
            allowed = self._allowed(topic)
            reachable = {c: True for c in allowed if c in self.reachable}
            self.fields[topic.slug] = forms.MultipleChoiceField(
                label=topic.label,
                help_text=topic.help,
                choices=[(c, channels.CHANNELS[c]) for c in allowed],
                required=False,
                initial=channels.effective(user, topic, reachable),
            )

    @staticmethod
    def _allowed(topic):
        # The forum's email follows its own setting (email_notifications): at once, daily,
        # never. WeChat only once the site has its official account.
        return [
            c
            for c in topic.channels
            if not (topic.slug == "forum" and c == channels.EMAIL)
            and (c != channels.WECHAT or settings.WECHAT_MP_APP_ID)
        ]

    def rows(self):
        """Per topic: its field and each channel as a chip, ticked, or unavailable."""
        for topic in self.topics:
            field = self[topic.slug]
            ticked = set(field.value() or ())
            yield {
                "topic": topic,
                "field": field,
                "forum": topic.slug == "forum",
                "chips": [
                    {
                        "value": channel,
                        "label": channels.CHANNELS[channel],
                        "ticked": channel in ticked and channel in self.reachable,
                        "usable": channel in self.reachable,
                    }
                    for channel in self._allowed(topic)
                ],
            }

    def clean(self):
        data = super().clean()
        for topic in self.topics:
            usable = [c for c in self._allowed(topic) if c in self.reachable]
            picked = [c for c in data.get(topic.slug, ()) if c in usable]
            if topic.must and usable and not picked:
                self.add_error(
                    topic.slug,
                    _("Keep at least one way to hear about this: it matters too much to miss."),
                )
            data[topic.slug] = picked
        return data

    def save(self):
        """What the owner ticked, topic by topic (a topic never saved keeps its default)."""
        user = self.user
        user.notification_channels = {t.slug: self.cleaned_data[t.slug] for t in self.topics}
        user.email_notifications = (
            self.cleaned_data["email_notifications"] or user.email_notifications
        )
        user.save(update_fields=["notification_channels", "email_notifications"])
        return user
