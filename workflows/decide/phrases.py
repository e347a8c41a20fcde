"""常用语 (saved phrases, issue 24 point 9): the wording an officer types again and again in an
opinion or a reason ("同意。", "请补充检索范围。"), kept per user, or per organ for everyone
there. The action pages offer them beside every text area (workflows/static/decide/phrases.js
inserts the chosen one; without script the list is simply not offered)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.lifecycle.actors import Person, Staff
from casework.models import Organ

PHRASE_MAX_LENGTH = 300


class CommonPhrase(models.Model):
    """One saved phrase: the user's own (owner set) or the organ's (owner empty)."""

    organ = models.ForeignKey(
        "casework.Organ",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=gettext_lazy("organ"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("owner"),
        help_text=gettext_lazy("Empty: offered to everyone at the organ."),
    )
    text = models.CharField(gettext_lazy("phrase"), max_length=PHRASE_MAX_LENGTH)
    position = models.PositiveSmallIntegerField(gettext_lazy("position"), default=0)

    class Meta:
        app_label = "workflows"
        verbose_name = gettext_lazy("common phrase")
        verbose_name_plural = gettext_lazy("common phrases")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["organ", "owner"], name="phrase_organ_owner_idx")]

    def __str__(self) -> str:
        return self.text


def phrases_for(*, user: Person, organ: Organ | None) -> list[str]:
    """The user's own phrases first, then the organ's, each text once."""
    rows = (
        CommonPhrase.objects.filter(organ=organ)
        .filter(Q(owner=user) | Q(owner__isnull=True))
        .order_by(F("owner").asc(nulls_last=True), "position", "pk")
        .values_list("text", flat=True)
    )
    seen: list[str] = []
    for text in rows:
        if text not in seen:
            seen.append(text)
    return seen


def phrase_add(*, user: Staff, organ: Organ, text: str) -> CommonPhrase:
    """Save one of the user's own phrases (trimmed; an empty or repeated one is refused)."""
    from casework.errors import InvalidInput

    text = " ".join(text.split())
    if not text:
        raise InvalidInput(_("Type the phrase to save."), field="text")
    if len(text) > PHRASE_MAX_LENGTH:
        raise InvalidInput(
            _("A phrase has at most %(n)s characters.") % {"n": PHRASE_MAX_LENGTH}, field="text"
        )
    if text in phrases_for(user=user, organ=organ):
        raise InvalidInput(_("This phrase is already in your list."), field="text")
    last = CommonPhrase.objects.filter(organ=organ, owner=user).order_by("-position").first()
    return CommonPhrase.objects.create(
        organ=organ, owner=user, text=text, position=(last.position + 1) if last else 0
    )


def phrase_remove(*, user: Staff, phrase_id: int) -> None:
    """Remove one of the user's own phrases (the organ's are changed in the admin)."""
    CommonPhrase.objects.filter(pk=phrase_id, owner=user).delete()
