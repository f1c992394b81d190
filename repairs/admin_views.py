"""The repairs' lists in the admin (报修): departments and contractors, repair categories with
their deadlines and warranty, the price list of paid services and the materials."""

from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from repairs.models import Material, PriceItem, RepairCategory, Team


class TeamViewSet(ModelViewSet):
    model = Team
    name = "repair_teams"
    url_prefix = "repairs/teams"
    icon = "group"
    menu_label = gettext_lazy("Departments and contractors")
    form_fields = ["name", "kind", "members", "contact_name", "phone", "is_active"]
    list_display = ["name", "kind", "contact_name", "phone", BooleanColumn("is_active")]
    list_filter = ["kind", "is_active"]
    sort_order_field = "sort_order"
    add_to_reference_index = False


class RepairCategoryViewSet(ModelViewSet):
    model = RepairCategory
    name = "repair_categories"
    url_prefix = "repairs/categories"
    icon = "tag"
    menu_label = gettext_lazy("Repair categories")
    form_fields = [
        "name",
        "help_text",
        "team",
        "case_category",
        "arrival_hours",
        "completion_hours",
        "warranty_months",
        "is_active",
    ]
    list_display = [
        "name",
        "team",
        "arrival_hours",
        "completion_hours",
        "warranty_months",
        BooleanColumn("is_active"),
    ]
    sort_order_field = "sort_order"
    add_to_reference_index = False


class PriceItemViewSet(ModelViewSet):
    model = PriceItem
    name = "repair_prices"
    url_prefix = "repairs/prices"
    icon = "list-ul"
    menu_label = gettext_lazy("Price list")
    form_fields = ["category", "name", "unit", "price", "note", "is_active"]
    list_display = ["name", "category", "price", "unit", BooleanColumn("is_active")]
    list_filter = ["category", "is_active"]
    list_export = ["category", "name", "unit", "price", "note", "is_active"]
    search_fields = ["name"]
    add_to_reference_index = False


class MaterialViewSet(ModelViewSet):
    model = Material
    name = "repair_materials"
    url_prefix = "repairs/materials"
    icon = "pick"
    menu_label = gettext_lazy("Materials")
    form_fields = ["name", "unit", "unit_price", "is_active"]
    list_display = ["name", "unit", "unit_price", BooleanColumn("is_active")]
    list_export = ["name", "unit", "unit_price", "is_active"]
    search_fields = ["name"]
    add_to_reference_index = False


class RepairsViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Repairs")
    menu_icon = "cogs"
    menu_order = 160
    items = (TeamViewSet, RepairCategoryViewSet, PriceItemViewSet, MaterialViewSet)
