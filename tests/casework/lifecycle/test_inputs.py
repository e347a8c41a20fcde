"""The staff page's form data reaches the lifecycle as JSON-safe fields that the lifecycle's own
check accepts again: the proposed decision keeps its legal basis (Art 36–39)."""

import pytest

from casework.lifecycle.inputs import ProposeInput, clean_input, json_safe
from casework.models import Case


@pytest.mark.parametrize("basis", ["", "36.2"])
def test_a_decision_with_its_usual_or_chosen_basis_goes_through_json_safe(basis):
    case = Case()
    form = ProposeInput({"disposition": "granted", "basis": basis}, case=case)
    assert form.is_valid(), form.errors
    fields = json_safe(form.cleaned_data)
    assert fields["basis"] == "36.2"  # the key, not the Basis object's repr
    assert clean_input(ProposeInput, case, fields)["basis"].key == "36.2"
