from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = pgettext_lazy("app", "Repairs")
    #: Listed in the repair ledgers' filters (portal.admin_listing): a team's members are the
    #: technicians.
    admin_choices = ("RepairCategory", "Team", "Team.members")
