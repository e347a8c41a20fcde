"""The granted reply says what it provides (issue 21 point 2): "见附件" with the released
files, "请您于…到…查阅" for an inspection, "已于…邮寄" for posting, or where the information is
already published. An organ whose reply.granted wording in effect is the one shipped before
gets the new one in effect at once; an organ that reworded it gets the new one as a version
waiting for the office head's approval (shown with its diff at /letters/wordings/)."""

import hashlib

from django.db import migrations
from django.db.models import Max

KIND = "reply.granted"
# SHA-256 (first 16 hex digits) of templates/letters/wording/reply.granted.txt as shipped
# before this change (after letters 0008).
SHIPPED_BEFORE = ["5150616619f7c6a4"]


def add_new_wording(apps, schema_editor):
    from django.utils import timezone

    from letters.kinds import default_wording

    LetterWording = apps.get_model("letters", "LetterWording")
    if not LetterWording.objects.filter(kind=KIND).exists():
        return  # the shipped wording is taken when first needed (letters.services)
    new = default_wording(KIND)
    latest = (
        LetterWording.objects.filter(kind=KIND, approved_at__isnull=False)
        .order_by("-approved_at", "-version")
        .first()
    )
    if latest is not None and latest.body.strip() == new:
        return
    shipped = (
        latest is not None
        and hashlib.sha256(latest.body.strip().encode()).hexdigest()[:16] in SHIPPED_BEFORE
    )
    version = LetterWording.objects.filter(kind=KIND).aggregate(m=Max("version"))["m"] + 1
    LetterWording.objects.create(
        kind=KIND,
        version=version,
        body=new,
        note="予以公开的答复写明提供方式：附件、查阅、邮寄或公开途径（第21号问题）",
        approved_at=timezone.now() if shipped else None,
    )


class Migration(migrations.Migration):
    dependencies = [("letters", "0013_wording_states_its_facts")]

    operations = [migrations.RunPython(add_new_wording, migrations.RunPython.noop)]
