"""Every append-only model (casework.models.AppendOnlyModel: audit events, case notes, the
catalogue's item history, the self-check audit) refuses a change and a delete, one row or in
bulk, through the one base class; its rows are only ever added."""

from django.apps import apps

import pytest

from casework.models import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet

APPEND_ONLY = sorted(
    (m for m in apps.get_models() if issubclass(m, AppendOnlyModel)), key=lambda m: m._meta.label
)


def test_the_append_only_models_are_the_ledgers():
    assert {m._meta.label for m in APPEND_ONLY} == {
        "casework.Event",
        "casework.CaseNote",
        "catalogue.ItemHistory",
        "selfcheck.Audit",
    }


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m._meta.label)
def test_bulk_update_and_delete_are_refused(model):
    rows = model._default_manager.all()
    assert isinstance(rows, AppendOnlyQuerySet)
    with pytest.raises(AppendOnlyError):
        rows.update()
    with pytest.raises(AppendOnlyError):
        rows.delete()


@pytest.mark.parametrize("model", APPEND_ONLY, ids=lambda m: m._meta.label)
def test_a_saved_row_cannot_be_saved_again_or_deleted(model):
    row = model()
    row._state.adding = False  # as loaded from the database
    with pytest.raises(AppendOnlyError) as changed:
        row.save()
    with pytest.raises(AppendOnlyError) as deleted:
        row.delete()
    assert str(changed.value) == str(model.CHANGED)
    assert str(deleted.value) == str(model.DELETED)
