"""An admin inspect page that also carries the buttons that act on the object.

Claims review, report handling and topic moderation all look the same: the object's details, a
small form (a reason, a date, a board) and one button per action. Each action is a plain
function from the rules modules; the refusal it raises (portal.actions.Refused) is shown on the
form.
"""

from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from portal.actions import Refused
from portal.exports import SafeIndexView


class InspectFirstIndexView(SafeIndexView):
    """A listing whose rows open the inspect page with its actions, never a bare edit form:
    these records change only through the rules functions, not by editing fields."""

    def get_edit_url(self, instance):
        return None


class ActionsInspectView(InspectView):
    #: {"name of the button": function(view, cleaned_data) -> message}, or
    #: {"name": (function, the errors to show on the form)} when they are not all `Refused`.
    actions = {}
    action_form_class = None

    def get_action_form(self, data=None):
        return self.action_form_class(data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_form"] = kwargs.get("action_form") or self.get_action_form()
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_action_form(request.POST)
        action = self.actions.get(request.POST.get("action"))
        if action is None or not form.is_valid():
            return self.render_to_response(self.get_context_data(action_form=form))
        function, errors = action if isinstance(action, tuple) else (action, Refused)
        try:
            message = function(self, form.cleaned_data)
        except errors as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(action_form=form))
        messages.success(request, message)
        return redirect(self.get_success_url())

    def get_success_url(self):
        return self.request.path


class RulesOnlyPolicy(ModelPermissionPolicy):
    """Records that change only through rules functions (approve, redeem, publish…): the admin
    lists and inspects them but offers no add or edit form, not even to superusers."""

    def __init__(self, model, actions=("view",)):
        super().__init__(model)
        self.actions = actions

    def user_has_permission(self, user, action):
        return action in self.actions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class InspectURLFinder(ModelAdminURLFinder):
    """Where the admin links an object that has no edit form (the audit log, reports): its
    inspect screen, for those who may view it."""

    inspect_url_name = None

    def construct_edit_url(self, instance):
        if not self.inspect_url_name:
            return None
        return reverse(self.inspect_url_name, args=(quote(instance.pk),))

    def get_edit_url(self, instance):
        policy = policy_registry.get(instance)
        if self.user and policy and not policy.user_has_permission(self.user, "view"):
            return None
        return self.construct_edit_url(instance)


class ActionsOnlyViewSet(ModelViewSet):
    """The admin of records that change only through actions (cases, claims, reports, posts,
    points entries, redemptions): the listing with its filters and export, and the inspect
    screen that carries the action buttons. No add, edit, copy, delete, history or usage URL
    exists at all, whatever the permissions (a superuser's included), so no raw form can change
    such a record behind the actions' backs.
    """

    index_view_class = InspectFirstIndexView
    copy_view_enabled = False
    add_to_reference_index = False
    form_fields = []  # no form is ever built

    #: The view arguments that would name the URLs left out.
    NO_URLS = dict.fromkeys(
        ["add_url_name", "edit_url_name", "delete_url_name", "history_url_name", "usage_url_name"]
    )

    def get_urlpatterns(self):
        """Only these (a subclass may add its own, e.g. the hotline form)."""
        conv = self.pk_path_converter
        patterns = [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
        if self.inspect_view_enabled:
            patterns.append(path(f"inspect/<{conv}:pk>/", self.inspect_view, name="inspect"))
        return patterns

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(**{**self.NO_URLS, **kwargs})

    @property
    def url_finder_class(self):
        inspect = self.get_url_name("inspect") if self.inspect_view_enabled else None
        return type("ActionsOnlyURLFinder", (InspectURLFinder,), {"inspect_url_name": inspect})
