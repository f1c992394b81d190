"""The club's starting tiers and hobbies; staff edit them afterwards."""

from django.db import migrations

TIERS = [
    ("普卡", 0, "#2f5d50"),
    ("银卡", 2000, "#5b6770"),
    ("金卡", 8000, "#8a6a1f"),
    ("钻石卡", 20000, "#2b2d5c"),
]
HOBBIES = ["摄影", "高尔夫", "茶艺", "书画", "瑜伽", "跑步", "亲子活动", "烘焙", "旅行", "音乐", "园艺", "棋牌"]


def forwards(apps, schema_editor):
    Tier = apps.get_model("club", "Tier")
    Hobby = apps.get_model("club", "Hobby")
    for name, threshold, colour in TIERS:
        Tier.objects.get_or_create(name=name, defaults={"min_points": threshold, "colour": colour})
    for order, name in enumerate(HOBBIES):
        Hobby.objects.get_or_create(name=name, defaults={"sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("club", "0003_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
