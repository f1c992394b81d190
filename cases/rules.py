"""Who may do what on a case, and when: the one place the complaint mailbox's rules are written.

Each question has a `check_…(user, case)` that raises `PermissionDenied` (not this person) or
`CaseError` (not now, with the reason to show), and a `can_…(user, case)` that answers yes or
no from the same check. The actions in cases.casework call the check on the row they have
locked; the owner's case page, the admin case screen, the ledger, the inbox and the dashboard
panel ask `can_…` to decide what to show. (The forum's "turn into a case" button asks for the
`cases.handle_case` permission by name: the forum does not import the mailbox.)
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from portal.actions import Refused

Status = Case.Status

#: Where customer service may move a case (accepting, reopening and the follow-up have their own
#: actions).
STAFF_MOVES = {
    Status.ACCEPTED: (Status.IN_PROGRESS, Status.RESOLVED),
    Status.IN_PROGRESS: (Status.RESOLVED,),
    Status.REOPENED: (Status.IN_PROGRESS, Status.RESOLVED),
    Status.RESOLVED: (Status.CLOSED,),
}


class CaseError(Refused):
    """Shown to the person as it is."""


def _can(check, *args):
    try:
        check(*args)
    except (PermissionDenied, CaseError):
        return False
    return True


# -- Staff ----------------------------------------------------------------------------------


def handles_cases(user):
    """Customer service: accepts new cases, records hotline calls, turns forum topics into
    cases and finds the owner behind an email."""
    return user.is_authenticated and user.has_perm("cases.handle_case")


def manages_cases(user):
    return user.is_authenticated and user.has_perm("cases.manage_cases")


def sees_internal(user):
    """Staff who may read every case with its internal notes and files."""
    return user.is_authenticated and user.has_perm("cases.view_case")


def is_responsible(user, case):
    """首问负责制: the first responder speaks for the company on their case, as long as they
    handle cases; a manager may step in on any case."""
    if manages_cases(user):
        return True
    mine = case.first_responder_id is not None and case.first_responder_id == user.pk
    return mine and handles_cases(user)


def check_handler(user):
    if not handles_cases(user):
        raise PermissionDenied


def check_accept(user, case):
    check_handler(user)
    if case.status != Status.NEW:
        name = case.first_responder.display_name if case.first_responder else "—"
        raise CaseError(_("%(name)s has already accepted this case.") % {"name": name})


def check_act(user, case):
    """Reply, add a note, change the status or transfer: the person responsible, on a case that
    has been accepted and is not closed."""
    if not is_responsible(user, case):
        raise PermissionDenied
    if case.status == Status.NEW:
        raise CaseError(_("Accept the case first."))
    if case.status == Status.CLOSED:
        raise CaseError(_("This case is closed."))


def moves(user, case):
    """The statuses `user` may move the case to now (none if they may not act on it)."""
    return STAFF_MOVES.get(case.status, ()) if can_act(user, case) else ()


def check_move(user, case, status):
    check_act(user, case)
    if status not in STAFF_MOVES.get(case.status, ()):
        raise CaseError(
            _("A case that is “%(old)s” cannot become “%(new)s”.")
            % {"old": case.get_status_display(), "new": Status(status).label}
        )


def check_follow_up(user, case):
    """回访: recorded by the person responsible once the case is resolved; it closes the case.
    Once: if the owner has rated it online meanwhile, that was the follow-up."""
    if not is_responsible(user, case):
        raise PermissionDenied
    check_rating(case, _("The follow-up visit comes after the case is resolved."))


def check_match(user, case):
    """An email case from an address no owner uses: customer service find who sent it."""
    check_handler(user)
    if case.owner_id is not None:
        raise CaseError(_("This case already belongs to an owner."))


def check_join(user, case, target):
    """An email case from an unverified sender joins the owner's case once staff are sure: only
    such a case, into another case that has an owner and takes messages."""
    check_handler(user)
    if not case.sender_unverified:
        raise CaseError(_("Only a case from an unverified sender can be added to another case."))
    if target.pk == case.pk:
        raise CaseError(_("Choose another case."))
    if target.owner_id is None:
        raise CaseError(_("Choose a case that belongs to an owner."))
    check_takes_messages(target)


def can_join(user, case):
    """Whether the screen offers "add to the owner's case" (the target is chosen there)."""
    return handles_cases(user) and case.sender_unverified and case.status != Status.CLOSED


def can_accept(user, case):
    return _can(check_accept, user, case)


def can_act(user, case):
    return _can(check_act, user, case)


def can_follow_up(user, case):
    return _can(check_follow_up, user, case)


def can_match(user, case):
    return _can(check_match, user, case)


# -- Owners ---------------------------------------------------------------------------------


def check_owner(user, case):
    if case.owner_id is None or case.owner_id != user.pk:
        raise PermissionDenied


def can_read(user, case):
    """The case's owner, and staff who handle cases."""
    return user.is_authenticated and (case.owner_id == user.pk or sees_internal(user))


def check_takes_messages(case):
    """More information from the owner, on the site or by email, joins an open case; a closed
    case takes none (the inbox files a new case instead)."""
    if case.status == Status.CLOSED:
        raise CaseError(_("This case is closed. File a new case if you need more help."))


def check_message(user, case):
    check_owner(user, case)
    check_takes_messages(case)


def check_confirm(user, case):
    """A second confirmation is not refused: it changes nothing (see casework.confirm_resolved)."""
    check_owner(user, case)
    if case.status != Status.RESOLVED:
        raise CaseError(_("Only a resolved case can be confirmed."))


def check_reopen(user, case):
    check_owner(user, case)
    if case.status == Status.REOPENED:
        raise CaseError(_("This case has already been reopened."))
    if case.status not in (Status.RESOLVED, Status.FOLLOWED_UP):
        raise CaseError(_("Only a resolved case can be reopened."))
    days = settings.CASE_REOPEN_DAYS
    if timezone.now() - case.resolved_at > timedelta(days=days):
        raise CaseError(
            _(
                "A case can be reopened within %(days)s days of being resolved. "
                "Please file a new case."
            )
            % {"days": days}
        )


def check_rating(case, not_resolved):
    """The owner's satisfaction is given once, on a resolved case (online or at the follow-up)."""
    if case.satisfaction is not None and case.status == Status.CLOSED:
        raise CaseError(_("This case has been rated already. Thank you."))
    if case.status != Status.RESOLVED:
        raise CaseError(not_resolved)


def check_rate(user, case):
    check_owner(user, case)
    check_rating(case, _("You can rate a case once it is resolved."))


def check_rating_link(case, resolved_at):
    """The link in the "resolved" email rates that resolution only (`resolved_at` is in it)."""
    if case.satisfaction is not None and case.status == Status.CLOSED:
        raise CaseError(_("This case has been rated already. Thank you."))
    if case.status != Status.RESOLVED or case.resolved_at.isoformat() != resolved_at:
        raise CaseError(
            _("This case has been rated already, or it has changed since the link was sent.")
        )


def can_message(user, case):
    return _can(check_message, user, case)


def can_confirm(user, case):
    """Shown while the owner has not confirmed this resolution yet."""
    return _can(check_confirm, user, case) and not case.is_confirmed


def can_reopen(user, case):
    return _can(check_reopen, user, case)


def can_rate(user, case):
    return _can(check_rate, user, case)
