"""The reworded letters of issue 12 (channel phrases, one closing, 附件 list, complete fee
notice, consultation replies). A kind whose wording in effect is still the one shipped before
gets the new one in effect at once; a kind the organ reworded gets the new one as a version
waiting for the office head's approval (shown with its diff at /letters/wordings/)."""

import hashlib

from django.db import migrations
from django.db.models import Max

# SHA-256 (first 16 hex digits) of the wording files as shipped before this change (the
# versions of main before and after the Art 36(1)/36(5) replies).
SHIPPED_BEFORE = {
    "acknowledgement": ["60f451653b953d2a"],
    "consultation_notice": ["234201c372e98d8b"],
    "consultation_organ": ["733b4be36b70a7d6"],
    "consultation_third_party": ["2f3c017cb690c461"],
    "correction": ["d65e1f4653f33ce7"],
    "extension": ["1f23ba25ef6e2911"],
    "fee_notice": ["8ef6a06f909b7507"],
    "reply.granted": ["0f5e9b9894eab9ea"],
    "reply.granted.already_published": ["2323226fc352b69d"],
    "reply.not_processed.confirm_or_reissue": ["a1273a255bfbaa34"],
    "reply.not_processed.petition_complaint": ["9cb3aa881de3431c"],
    "reply.not_processed.publication": ["d9eac4aeb45c244a"],
    "reply.not_processed.repeated": ["6123793f0df9f140"],
    "reply.not_processed.unreasonable_volume": ["972e7a8ade1a8c16"],
    "reply.other.fee_unpaid": ["4f4a4c9044a48288"],
    "reply.other.no_correction": ["5ee3d5c4ee94b61f"],
    "reply.other.other": ["2318db50a4ddcccb"],
    "reply.partial": ["1db2d94ed4b43ff3"],
    "reply.refused.administrative_inquiry": ["34b2a590b62ecee6", "95c177bc4b16c09b"],
    "reply.refused.enforcement_file": ["34b2a590b62ecee6"],
    "reply.refused.internal_affairs": ["34b2a590b62ecee6"],
    "reply.refused.process_information": ["34b2a590b62ecee6"],
    "reply.refused.prohibited_by_law": ["34b2a590b62ecee6"],
    "reply.refused.security_stability": ["34b2a590b62ecee6"],
    "reply.refused.state_secret": ["34b2a590b62ecee6"],
    "reply.refused.third_party_rights": ["34b2a590b62ecee6"],
    "reply.unable.needs_creation": ["0c8dcba227fc8ab8"],
    "reply.unable.not_held": ["3a26eecf002e8be8"],
    "reply.unable.not_this_organ": ["c988f6fe5b44964e"],
    "reply.unable.unclear_after_correction": ["21d1e0a28e191469"],
}


def add_new_wordings(apps, schema_editor):
    from django.utils import timezone

    from letters.kinds import default_wording

    LetterWording = apps.get_model("letters", "LetterWording")
    now = timezone.now()
    for kind in LetterWording.objects.values_list("kind", flat=True).distinct():
        new = default_wording(kind)
        latest = (
            LetterWording.objects.filter(kind=kind, approved_at__isnull=False)
            .order_by("-approved_at", "-version")
            .first()
        )
        if latest is None or latest.body.strip() == new:
            continue
        digest = hashlib.sha256(latest.body.strip().encode()).hexdigest()[:16]
        shipped = digest in SHIPPED_BEFORE.get(kind, [])
        version = LetterWording.objects.filter(kind=kind).aggregate(m=Max("version"))["m"] + 1
        LetterWording.objects.create(
            kind=kind,
            version=version,
            body=new,
            note="GB/T 9704 与法定内容修订（第12号问题）",
            approved_at=now if shipped else None,
        )


class Migration(migrations.Migration):
    dependencies = [("letters", "0007_letter_delivery")]

    operations = [migrations.RunPython(add_new_wordings, migrations.RunPython.noop)]
