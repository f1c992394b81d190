"""Every staff role and what it may do, in one place.

A role is a Django group. After every `migrate` the groups are made to hold exactly the
permissions listed here (and on the root page and the root collection, exactly these page and
collection permissions), so the code is the one record of who may do what: a permission added
by hand in Settings → Groups is taken away again at the next deployment. Page permissions
further down the tree (the club staff's rights on the club's pages, say) are not touched.

Permissions are named "app_label.codename", so the shared core names the apps without
importing them. Each app's custom permissions are declared on its models (Meta.permissions).

`is_staff` says whether an account may hold any permission at all: it is set as soon as the
account joins a role or is given a permission of its own (keep_staff_flag), so the permission
check of an owner, on every page, answers from the account row without a query
(portal.signin.AuthenticationBackend). It is only ever set here; leaving every role clears it.
"""

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.db.models.signals import m2m_changed, post_migrate
from django.dispatch import receiver

ADMIN = ["wagtailadmin.access_admin"]

# Collection permissions (images and documents), granted on the root collection.
IMAGES = ["wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image"]
DOCUMENTS = [
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]

OWNER_RECORDS = ["owners.view_estate", "owners.view_unit", "owners.view_ownershipclaim"]
OWNER_SERVICE = [
    *OWNER_RECORDS,
    "owners.add_estate",
    "owners.change_estate",
    "owners.add_unit",
    "owners.change_unit",
    "owners.import_units",
    "owners.review_ownershipclaim",
    "owners.view_consent",
    # Each message to an owner, with the channels that carried it and when.
    "portal.view_notification",
]
CLOSURES = ["owners.view_accountclosure", "owners.close_account"]

#: The owner archive (客户档案): names and homes; phone numbers and addresses; the desk's work.
ARCHIVE_READ = ["owners.view_ownerrecord", "owners.view_contacts", "owners.add_visit"]
ARCHIVE_WORK = [
    *ARCHIVE_READ,
    "owners.add_ownerrecord",
    "owners.change_ownerrecord",
    "owners.record_unit_change",
    "owners.link_account",
]

#: The repairs' lists: departments and contractors, repair categories, prices, materials.
REPAIR_LISTS = ["team", "repaircategory", "priceitem", "material"]
CASE_HANDLING = [
    "cases.view_case",
    "cases.handle_case",
    "cases.view_quarantinedemail",
    *(f"repairs.view_{name}" for name in REPAIR_LISTS),
    "repairs.view_repairrequest",
    "repairs.view_specialservice",
    # Notices: who received, read and confirmed each; the calls to those who did not.
    "notices.view_receipt",
    "notices.add_call",
]
CASE_MANAGEMENT = [
    *CASE_HANDLING,
    "cases.manage_cases",
    "cases.add_category",
    "cases.change_category",
    "cases.view_category",
    "portal.change_servicehours",
    *(f"repairs.{action}_{name}" for action in ("add", "change") for name in REPAIR_LISTS),
]

FORUM_RECORDS = ["forum.view_topic", "forum.view_post", "forum.view_report", "forum.view_board"]
MODERATION = [
    *FORUM_RECORDS,
    "forum.moderate_topic",
    "forum.add_board",
    "forum.change_board",
    "forum.change_suspension",
    "forum.view_suspension",
]

CLUB_WORK = [
    "club.add_hobby",
    "club.change_hobby",
    "club.delete_hobby",
    "club.view_hobby",
    "club.view_tier",
    "club.view_membershipapplication",
    "club.review_membershipapplication",
    "club.view_member",
    "club.change_member",
    "club.adjust_points",
    "club.issue_card",
    "club.view_membercard",
    "club.view_pointsentry",
    "club.add_reward",
    "club.change_reward",
    "club.view_reward",
    "club.view_redemption",
    "club.handle_redemption",
    "club.view_referral",
    "club.change_referral",
    "club.change_clubsettings",
    # Survey answers and members' dates are for the club's staff only (PIPL).
    "club.view_surveyanswer",
]
EVENT_WORK = ["events.view_registration", "events.check_in"]
MAILINGS = ["publications.view_mailing"]
#: The outbox: every email and job, failures with their error, and the retry button.
OUTBOX = ["portal.view_outgoing", "portal.retry_outgoing"]

#: What owners searched for in vain, and the synonyms that help them find it.
SEARCH_WORDS = [
    "search.view_unansweredquery",
    "search.add_synonyms",
    "search.change_synonyms",
    "search.delete_synonyms",
    "search.view_synonyms",
]

#: 收费: the estates' fee rules (收费标准); customer service read them to answer owners.
FEE_RULES = ["fees.add_feeitem", "fees.change_feeitem", "fees.view_feeitem"]
#: The fee desk's work: terms, meters and spaces, readings, the month's bills, payments.
FEE_WORK = [
    *FEE_RULES,
    "fees.add_billingterms",
    "fees.change_billingterms",
    "fees.view_billingterms",
    "fees.add_meter",
    "fees.change_meter",
    "fees.view_meter",
    "fees.add_parkingspace",
    "fees.change_parkingspace",
    "fees.view_parkingspace",
    "fees.add_reading",
    "fees.view_reading",
    "fees.check_reading",
    "fees.view_billingrun",
    "fees.run_billing",
    "fees.view_bill",
    "fees.adjust_bill",
    "fees.view_payment",
    "fees.record_payment",
    "fees.add_bankaccount",
    "fees.change_bankaccount",
    "fees.view_bankaccount",
    "fees.view_bankimport",
    "fees.collect_by_bank",
    "fees.view_collectioncall",
    "fees.record_collection_call",
]
#: Customer service answer owners about their bills: they read, they change nothing.
FEE_READ = ["fees.view_feeitem", "fees.view_bill", "fees.view_payment"]
#: … and call the owners in arrears (催缴电话), recording what came of it.
FEE_CALLS = ["fees.view_collectioncall", "fees.record_collection_call"]

EDITOR_PAGES = ["add_page", "change_page"]
MANAGER_PAGES = [*EDITOR_PAGES, "publish_page", "lock_page", "unlock_page"]

#: {group name: {"perms": [...], "collections": [...], "pages": [...]}}
ROLES = {
    "Editors": {
        "perms": [*ADMIN, *MAILINGS, *SEARCH_WORDS],
        "collections": [*IMAGES, *DOCUMENTS],
        "pages": EDITOR_PAGES,
    },
    "Customer service": {
        "perms": [*ADMIN, *OWNER_SERVICE, *ARCHIVE_WORK, *CASE_HANDLING, *FEE_READ, *FEE_CALLS]
    },
    # 收费员: the fee desk, with the estates and units their bills are for.
    "Finance": {"perms": [*ADMIN, "owners.view_estate", "owners.view_unit", *FEE_WORK]},
    # 楼管员: building staff read the meters on a phone (a building at a time) or send the
    # month's sheet; the fee desk looks again at what is flagged and bills.
    "Building staff": {
        "perms": [*ADMIN, "fees.view_meter", "fees.add_reading", "fees.view_reading"]
    },
    "Spokespersons": {"perms": [*ADMIN, "forum.reply_officially", "forum.view_topic"]},
    "Forum moderators": {"perms": [*ADMIN, *MODERATION]},
    "Club staff": {
        "perms": [*ADMIN, *OWNER_RECORDS, *ARCHIVE_READ, *CLUB_WORK, *EVENT_WORK],
        # Reward pictures.
        "collections": ["wagtailimages.add_image", "wagtailimages.choose_image"],
    },
    # In-house technicians: their day of jobs on the site (repairs:jobs), no admin.
    "Technicians": {"perms": ["repairs.view_workorder"]},
    # Guards at the gate: they open a 放行条's QR code on their phone and let goods out, no admin.
    "Gate guards": {"perms": ["repairs.check_gate_pass"]},
    "Managers": {
        "perms": [
            *ADMIN,
            *OWNER_SERVICE,
            *ARCHIVE_WORK,
            *FEE_WORK,
            "fees.receive_fee_report",
            # ID numbers in full: managers only.
            "owners.view_id_number",
            *CLOSURES,
            *CASE_MANAGEMENT,
            *MODERATION,
            "forum.reply_officially",
            *CLUB_WORK,
            "club.add_tier",
            "club.change_tier",
            "club.delete_reward",
            *EVENT_WORK,
            *MAILINGS,
            *OUTBOX,
            *SEARCH_WORDS,
        ],
        "collections": [
            *IMAGES,
            *DOCUMENTS,
            "wagtailimages.delete_image",
            "wagtaildocs.delete_document",
        ],
        "pages": MANAGER_PAGES,
    },
}

#: Wagtail's own default groups, replaced by the roles above.
REPLACED = ["Moderators"]


def _permissions(Permission, names):
    wanted = [name.split(".", 1) for name in names]
    found = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.filter(
            codename__in=[codename for _, codename in wanted]
        ).select_related("content_type")
    }
    missing = [f"{app}.{code}" for app, code in wanted if (app, code) not in found]
    if missing:
        raise LookupError(f"portal.roles names permissions that do not exist: {missing}")
    return [found[(app, code)] for app, code in wanted]


def sync_roles(using="default", apps=global_apps):
    """Make every role hold exactly its listed permissions. Safe to run any number of times."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    for app_config in apps.get_app_configs():  # the permissions of every app exist first
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    Group.objects.using(using).filter(name__in=REPLACED).delete()
    root_page = Page.objects.using(using).filter(depth=1).first()
    root_collection = Collection.objects.using(using).filter(depth=1).first()
    for name, role in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(_permissions(Permission, role["perms"]))
        collection_perms = _permissions(Permission, role.get("collections", []))
        GroupCollectionPermission.objects.using(using).filter(
            group=group, collection=root_collection
        ).exclude(permission__in=collection_perms).delete()
        for permission in collection_perms:
            GroupCollectionPermission.objects.using(using).get_or_create(
                group=group, collection=root_collection, permission=permission
            )
        page_perms = list(
            Permission.objects.filter(
                content_type__app_label="wagtailcore", codename__in=role.get("pages", [])
            )
        )
        GroupPagePermission.objects.using(using).filter(group=group, page=root_page).exclude(
            permission__in=page_perms
        ).delete()
        for permission in page_perms:
            GroupPagePermission.objects.using(using).get_or_create(
                group=group, page=root_page, permission=permission
            )


@receiver(post_migrate)
def roles_after_migrate(sender, app_config, using="default", apps=global_apps, **kwargs):
    # post_migrate is sent once per app that has models; the roles need every app's tables and
    # permissions, so they are synced once, after the last of those.
    with_models = [c for c in global_apps.get_app_configs() if c.models_module is not None]
    if app_config.label == with_models[-1].label:
        sync_roles(using=using)


def keep_staff_flag(sender, instance, action, reverse, pk_set, **kwargs):
    """After an account joins or leaves a role, or gains or loses a permission of its own (from
    either side of the relation: `user.groups.add(role)` or `role.user_set.add(user)`):
    is_staff says whether it still holds one. Deleting a whole role leaves its former members'
    flag set, which costs them only the query that finds they hold nothing."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    User = get_user_model()
    if not reverse:
        users = User.objects.filter(pk=instance.pk)
    elif pk_set:
        users = User.objects.filter(pk__in=pk_set)
    else:  # a role emptied: Django does not say of whom
        users = User.objects.filter(is_staff=True)
    if action == "post_add":
        users.update(is_staff=True)
    else:
        roles = User.groups.through.objects.filter(user_id=OuterRef("pk"))
        own = User.user_permissions.through.objects.filter(user_id=OuterRef("pk"))
        holds = Q(is_superuser=True) | Q(Exists(roles)) | Q(Exists(own))
        users.update(is_staff=ExpressionWrapper(holds, output_field=BooleanField()))
    if not reverse:  # the account object at hand answers the next check as the row does
        if action == "post_add":
            instance.is_staff = True
        else:
            instance.refresh_from_db(fields=["is_staff"])
        instance.__dict__.pop("_perm_cache", None)


def connect_staff_flag():
    User = get_user_model()
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(keep_staff_flag, sender=through, dispatch_uid=f"staff-flag:{through}")
