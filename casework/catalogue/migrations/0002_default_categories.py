"""The work plan's catalogue headings as data (editable in the admin afterwards)."""

from django.db import migrations

CATEGORIES = (
    "公示公告",
    "工作进展",
    "政策法规",
    "文件解读",
    "会议信息",
    "财政预决算",
    "人大代表建议和政协提案办理",
    "就业创业",
    "依申请公开转主动公开",
)


def seed(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    for position, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"position": position * 10})


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_catalogue")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
