"""What every action on the site shares: its shape, and the one error for "refused".

An action is one function that makes one state change (accept a case, approve a claim, redeem
a reward). Views, admin screens, tasks, the email inbox and tests all call the same function,
so the rule is the same whichever way the change is asked for. Its body keeps this order:

1. Permission: may this person do this at all? If not, `PermissionDenied` (a 403).
2. Lock: inside `transaction.atomic()`, re-read the row that the change hangs on with
   `select_for_update()`, so two requests for the same record take turns.
3. State check, on the locked row, never on the copy the caller had in hand: a double click,
   two tabs or two staff members acting at once then see what the first one did. If the change
   cannot be made now, `Refused` (or an app's subclass) with a message for the person.
4. Write the change.
5. Audit log: `wagtail.log_actions.log(...)` with the person who acted.
6. Side effects (emails, in-site notifications, background jobs) written to the outbox
   (`portal.outbox`, or `email_user`, which writes there) in the same transaction, with a key
   when the action has a natural one: nothing is sent for a change that is rolled back, nothing
   is lost when the broker or a worker is away, and nothing slow runs while the row is locked.

Screens ask the same question the action checks (a `can_…(user, obj)` predicate beside the
action) to decide which buttons to show; no template re-derives a state rule.
"""


class Refused(Exception):
    """The action cannot be taken now; the message is shown to the person as it is.

    Every app's refusal (CaseError, ClaimError, SignupError, …) is a subclass, so a screen that
    calls actions from several apps catches `Refused` once."""
