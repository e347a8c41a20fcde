"""An item of the catalogue made in one step from a case's approved release set: the
redacted files exactly as reviewed (letters.records), the case's subject as the title, source
"case" with the case number. Lives on this floor because the domain floor does not import
the records app."""

from __future__ import annotations

import datetime
from typing import Unpack

from django.db import transaction
from django.utils.translation import gettext as _

from casework.catalogue.models import CatalogueItem, ItemCited
from casework.catalogue.services import ItemFields, catalogue_cite, catalogue_item_create
from casework.errors import WrongState
from casework.lifecycle.actors import Staff
from casework.models import Case
from letters.records.models import ReleaseSet

PUBLISHABLE = (ReleaseSet.Status.APPROVED, ReleaseSet.Status.RELEASED)


def release_set_for_catalogue(case: Case) -> ReleaseSet | None:
    """The case's latest approved (or released) set, or None."""
    return (
        ReleaseSet.objects.filter(case=case, status__in=PUBLISHABLE)
        .prefetch_related("files")
        .order_by("-pk")
        .first()
    )


def catalogue_item_from_case(
    *, case: Case, actor: Staff, now: datetime.datetime, **fields: Unpack[ItemFields]
) -> CatalogueItem:
    """A draft item with the released files of the case's approved set; the case records the
    item (ItemCited, published_from). Refused without an approved set."""
    release = release_set_for_catalogue(case)
    if release is None or not release.files.exists():
        raise WrongState(_("The case has no approved release set to publish."))
    files = [(f.name, f.file.open("rb").read()) for f in release.files.all()]
    with transaction.atomic():
        item = catalogue_item_create(
            organ=case.organ,
            actor=actor,
            now=now,
            source_kind="case",
            source_ref=case.number,
            attachments=files,
            **fields,
        )
        catalogue_cite(case=case, item=item, use=ItemCited.Use.PUBLISHED_FROM, now=now)
    return item
