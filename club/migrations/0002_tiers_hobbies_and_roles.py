"""The club's starting tiers and hobbies, and what club staff and managers may do."""

from django.db import migrations

from portal.migrations_utils import grant

TIERS = [("普卡", 0, "#2f5d50"), ("银卡", 2000, "#5b6770"), ("金卡", 8000, "#8a6a1f"), ("钻石卡", 20000, "#2b2d5c")]
HOBBIES = ["摄影", "高尔夫", "茶艺", "书画", "瑜伽", "跑步", "亲子活动", "烘焙", "旅行", "音乐", "园艺", "棋牌"]


def perms(model, *codenames):
    return [("club", model, codename) for codename in codenames]


CLUB_WORK = [
    *perms("hobby", "add_hobby", "change_hobby", "delete_hobby", "view_hobby"),
    *perms("tier", "view_tier"),
    *perms("membershipapplication", "view_membershipapplication", "review_membershipapplication"),
    *perms("member", "view_member", "change_member", "adjust_points", "issue_card"),
    *perms("membercard", "view_membercard"),
    *perms("pointsentry", "view_pointsentry"),
    *perms("reward", "add_reward", "change_reward", "view_reward"),
    *perms("redemption", "view_redemption", "handle_redemption"),
    *perms("referral", "view_referral", "change_referral"),
    *perms("clubsettings", "change_clubsettings"),
]
ROLES = {
    "Club staff": CLUB_WORK,
    "Managers": [*CLUB_WORK, *perms("tier", "add_tier", "change_tier"), *perms("reward", "delete_reward")],
}


def forwards(apps, schema_editor):
    Tier = apps.get_model("club", "Tier")
    Hobby = apps.get_model("club", "Hobby")
    for name, threshold, colour in TIERS:
        Tier.objects.get_or_create(name=name, defaults={"min_points": threshold, "colour": colour})
    for order, name in enumerate(HOBBIES):
        Hobby.objects.get_or_create(name=name, defaults={"sort_order": order})
    grant(apps, ROLES)
    # Club staff pick and upload reward pictures.
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root = Collection.objects.get(depth=1)
    for codename in ("add_image", "choose_image"):
        GroupCollectionPermission.objects.get_or_create(
            group=Group.objects.get(name="Club staff"),
            collection=root,
            permission=Permission.objects.get(content_type__app_label="wagtailimages", codename=codename),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("club", "0001_club"),
        ("portal", "0008_case_confirmed"),
        ("wagtailcore", "0001_initial"),
        ("wagtailimages", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
