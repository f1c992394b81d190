"""The staff roles, each with exactly the permissions that exist at this point.

Later migrations extend these groups as the forum, the mailbox and the club add permissions.
"""

from django.db import migrations

from portal.migrations_utils import create_permissions

ADMIN = [("wagtailadmin", "admin", "access_admin")]
IMAGES = [("wagtailimages", "image", p) for p in ("add_image", "change_image", "choose_image")]
DOCUMENTS = [
    ("wagtaildocs", "document", p) for p in ("add_document", "change_document", "choose_document")
]
OWNER_RECORDS = [
    ("portal", "estate", "view_estate"),
    ("portal", "unit", "view_unit"),
    ("portal", "ownershipclaim", "view_ownershipclaim"),
]
OWNER_SERVICE = [
    *OWNER_RECORDS,
    ("portal", "estate", "add_estate"),
    ("portal", "estate", "change_estate"),
    ("portal", "unit", "add_unit"),
    ("portal", "unit", "change_unit"),
    ("portal", "unit", "import_units"),
    ("portal", "ownershipclaim", "review_ownershipclaim"),
]

GROUPS = {
    "Editors": {"perms": ADMIN + IMAGES + DOCUMENTS, "pages": ["add_page", "change_page"]},
    "Customer service": {"perms": ADMIN + OWNER_SERVICE, "pages": []},
    "Spokespersons": {"perms": ADMIN, "pages": []},
    "Forum moderators": {"perms": ADMIN, "pages": []},
    "Club staff": {"perms": ADMIN + OWNER_RECORDS, "pages": []},
    "Managers": {
        "perms": ADMIN + IMAGES + DOCUMENTS + OWNER_SERVICE + [
            ("wagtailimages", "image", "delete_image"),
            ("wagtaildocs", "document", "delete_document"),
        ],
        "pages": ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    },
}


def create_groups(apps, schema_editor):
    create_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")

    # Wagtail creates "Moderators" and "Editors" with its own defaults; these roles replace them.
    Group.objects.filter(name="Moderators").delete()
    root_page = Page.objects.get(depth=1)
    root_collection = Collection.objects.get(depth=1)

    for name, spec in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.clear()
        GroupPagePermission.objects.filter(group=group).delete()
        GroupCollectionPermission.objects.filter(group=group).delete()
        for app_label, model, codename in spec["perms"]:
            permission = Permission.objects.get(
                content_type__app_label=app_label, content_type__model=model, codename=codename
            )
            if app_label in ("wagtailimages", "wagtaildocs"):
                GroupCollectionPermission.objects.create(
                    group=group, collection=root_collection, permission=permission
                )
            else:
                group.permissions.add(permission)
        for codename in spec["pages"]:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.create(group=group, page=root_page, permission=permission)


def remove_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("home", "0003_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
