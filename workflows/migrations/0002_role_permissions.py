"""Give the role groups the model permissions the flow's office tasks require, and the view
permission on the process model that every workflow user needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "登记员": ["casework.triage_cases"],
    "公开办审核员": ["casework.triage_cases", "casework.review_cases"],
    "公开办负责人": ["casework.triage_cases", "casework.review_cases", "casework.sign_off_cases"],
}
VIEWERS = ["登记员", "联络员", "公开办审核员", "公开办负责人", "督办"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perm(dotted):
        app_label, codename = dotted.split(".")
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    for name, perms in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[perm(p) for p in perms])
    view = perm("workflows.view_caseprocess")
    for name in VIEWERS:
        Group.objects.get_or_create(name=name)[0].permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("casework", "0004_alter_case_options_alter_event_kind"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
