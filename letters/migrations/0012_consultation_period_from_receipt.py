"""The consultation letters state the party's 15 working days as running from its receipt of
the letter (Art 32, 34), with a date only once the receipt is recorded (issue 21 point 8),
instead of a date counted from sending. As in 0008: a kind whose wording in effect is still
the one shipped before gets the new one in effect at once; a kind the organ reworded gets it
as a version waiting for the office head's approval."""

import hashlib

from django.db import migrations
from django.db.models import Max

# SHA-256 (first 16 hex digits) of the wording files as shipped before this change.
SHIPPED_BEFORE = {
    "consultation_third_party": ["6ed91161a4794795"],
    "consultation_organ": ["777a34724b431c12"],
}


def add_new_wordings(apps, schema_editor):
    from django.utils import timezone

    from letters.kinds import default_wording

    LetterWording = apps.get_model("letters", "LetterWording")
    now = timezone.now()
    for kind, shipped_digests in SHIPPED_BEFORE.items():
        new = default_wording(kind)
        latest = (
            LetterWording.objects.filter(kind=kind, approved_at__isnull=False)
            .order_by("-approved_at", "-version")
            .first()
        )
        if latest is None or latest.body.strip() == new:
            continue
        digest = hashlib.sha256(latest.body.strip().encode()).hexdigest()[:16]
        version = LetterWording.objects.filter(kind=kind).aggregate(m=Max("version"))["m"] + 1
        LetterWording.objects.create(
            kind=kind,
            version=version,
            body=new,
            note="答复期限自收到征求意见书之日起计算（第21号问题）",
            approved_at=now if digest in shipped_digests else None,
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0011_notice_number_series")]

    operations = [migrations.RunPython(add_new_wordings, migrations.RunPython.noop)]
