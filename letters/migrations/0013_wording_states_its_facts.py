"""The replies that state procedural facts now print them (issue 21): the search of a "not
held" reply (Art 36(4)), the responsible organ's contact or why it cannot be determined (Art
36(5)), the earlier reply's date and 文号 (Art 36(6)), the correction's request and receipt
dates (Art 30), the deadlines of a deemed abandonment and the day reasons were asked (Art 35).
As in 0008: a kind whose wording in effect is still the one shipped before gets the new one in
effect at once; a kind the organ reworded gets it as a version waiting for the office head."""

import hashlib

from django.db import migrations
from django.db.models import Max

# SHA-256 (first 16 hex digits) of the wording files as shipped before this change.
SHIPPED_BEFORE = {
    "reply.unable.not_held": ["e91d009b1cd7610c"],
    "reply.unable.not_this_organ": ["925d572ab4e0f3a3"],
    "reply.unable.unclear_after_correction": ["737297da91efb462"],
    "reply.not_processed.repeated": ["7228feb247c1db05"],
    "reply.not_processed.unreasonable_volume": ["3d143a675f115d68"],
    "reply.other.no_correction": ["e52035437ef5ae51"],
    "reply.other.fee_unpaid": ["835cb7b648a64be6"],
}


def add_new_wordings(apps, schema_editor):
    from django.utils import timezone

    from letters.kinds import default_wording

    LetterWording = apps.get_model("letters", "LetterWording")
    now = timezone.now()
    for kind in SHIPPED_BEFORE:
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
            note="答复书载明程序事实（第21号问题）",
            approved_at=now if digest in SHIPPED_BEFORE[kind] else None,
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0012_consultation_period_from_receipt")]

    operations = [migrations.RunPython(add_new_wordings, migrations.RunPython.noop)]
