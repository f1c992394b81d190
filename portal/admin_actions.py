"""An admin inspect page that also carries the buttons that act on the object.

Claims review, report handling and topic moderation all look the same: the object's details, a
small form (a reason, a date, a board) and one button per action. Each action is a plain
function from the rules modules; the refusal it raises (portal.actions.Refused) is shown on the
form.
"""

from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.views.generic import InspectView
from wagtail.permission_policies import ModelPermissionPolicy

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
