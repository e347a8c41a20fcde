"""Release with the reply: when a reply letter (答复书) that provides information is issued,
the case's approved release set goes out with it, in the letter's own transaction. A case
with records but no approved set cannot get such a reply (only an approved set goes out)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from casework.errors import WrongState
from letters.models import Letter

if TYPE_CHECKING:
    from letters.records.models import ReleaseSet

RELEASING_KINDS = frozenset({"reply.granted", "reply.partial"})


@receiver(post_save, sender=Letter, dispatch_uid="records-release-with-reply")
def release_with_reply(
    sender: type[Letter], instance: Letter, created: bool, **kwargs: object
) -> None:
    if not created or instance.kind not in RELEASING_KINDS:
        return
    from letters.records.models import Record, ReleaseSet
    from letters.records.services import audit, release_set_release

    case = instance.case
    if not Record.objects.filter(case=case).exists():
        return
    released = case.release_sets.filter(status=ReleaseSet.Status.RELEASED).order_by("-pk").first()
    if released is not None and instance.replaces_id and released.letter_id == instance.replaces_id:
        # A corrected reply (the first was voided) carries the same released files.
        ReleaseSet.objects.filter(pk=released.pk).update(letter=instance)
        audit(case, "release_set_relinked", None, release_set=released, letter=instance.number)
        return
    approved = case.release_sets.filter(status=ReleaseSet.Status.APPROVED).order_by("-pk").first()
    if approved is None:
        raise WrongState(
            _(
                "The case has responsive records but no approved release set: the reviewer approves the redacted files before the reply is issued."
            )
        )
    release_set_release(release_set=approved, letter=instance)
    _tell_applicant(approved, instance)


def _tell_applicant(release_set: ReleaseSet, letter: Letter) -> None:
    """An e-mail with the links to the released files (on the tracking page, which asks for
    the query code; the files are never attached)."""
    from django.conf import settings

    from casework.notifications import notify

    case = letter.case
    if not case.applicant.email:
        return
    lines = [
        f"{f.name}（{f.pages}页，SHA-256 {f.sha256}）\n{settings.SITE_URL}/track/{case.number}/released/{f.pk}/"
        for f in release_set.files.order_by("position")
    ]
    notify(
        key=f"released:{release_set.pk}",
        to=[case.applicant.email],
        case=case,
        subject=f"{case.organ.name}：政府信息公开申请 {case.number} 的公开信息（{letter.number}）",
        body=(
            f"{case.applicant.name}：\n\n随答复书（{letter.number}）向您提供的政府信息如下，"
            f"请在查询页面输入申请编号和查询码后下载：\n\n"
            + "\n\n".join(lines)
            + f"\n\n查询页面：{settings.SITE_URL}/track/\n\n{case.organ.name}"
        ),
    )
