"""Every character printable (issue 21 point 10): the letters' fallback stack ends with faces
that cover the CJK Extensions B-F (HanaMinA/B, Debian's fonts-hanazono), so 𠀀 (U+20000)
prints in a letter and in the case file with that face embedded; a character that no face of
the stack has is refused with its name and code point at intake (the portal's form, the
registrar's intake form, the API) and at letter issue, never printed as an empty box."""

import io

from django.utils import translation

import pdfplumber
import pytest
from rest_framework.test import APIClient

from casework.models import Case
from casework.printable import unprintable_characters, validate_printable
from letters.fonts import check_typefaces, font_stacks, stack
from letters.fonts import unprintable_characters as letter_unprintable
from letters.models import Letter
from letters.services import letter_issue
from tests.conftest import NOW, REQUEST, person
from tests.letters.test_letters import _clean, approved, pdf_fonts, pdf_text  # noqa: F401
from workflows.api.tokens import ApiToken
from workflows.portal.forms import ApplicationForm, StaffIntakeForm

RARE = "𠀀"  # U+20000, the first character of CJK Extension B
NO_FACE = "\U00031350"  # CJK Extension H (Unicode 15): no installed letter face has it


def test_the_fallback_stack_covers_extension_b_and_is_installed():
    assert "HanaMinB" in stack("body")
    assert "HanaMinB" in font_stacks()["body"]
    assert "HanaMinB" in font_stacks()["title"]
    assert check_typefaces() == []  # every face of every role is installed
    assert letter_unprintable(f"张{RARE}𠮷䶮鿏，Zoë 3号") == []
    assert letter_unprintable(f"a{NO_FACE}b{NO_FACE}") == [NO_FACE]
    # The core's check is the letters' one, registered at start-up (letters.apps).
    assert unprintable_characters(f"{RARE}{NO_FACE}") == [NO_FACE]
    # Spaces, line breaks and variation selectors draw nothing of their own.
    assert letter_unprintable("一\u3000二\n三\u2028葛\U000e0100") == []


def test_the_message_names_the_character_in_chinese():
    with translation.override("zh-hans"), pytest.raises(Exception) as raised:
        validate_printable(f"申请{NO_FACE}")
    assert raised.value.messages == [  # type: ignore[attr-defined]
        f"字符“{NO_FACE}”（U+31350）无法在文书中打印，请改用常用字或加以说明。"
    ]
    validate_printable(f"申请{RARE}的信息")  # printable through the fallback: no error


def _form_data(**overrides):
    data = {**person(), **REQUEST, "id_type": "resident_id"}
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["name", "address", "subject", "description", "agent_name"])
def test_the_intake_forms_refuse_a_character_no_face_has(field):
    for form_class in (ApplicationForm, StaffIntakeForm):
        with translation.override("zh-hans"):
            form = form_class(data=_form_data(**{field: f"某{NO_FACE}某"}))
            assert not form.is_valid()
            assert any("U+31350" in str(e) for e in form.errors.get(field, [])), (
                form_class,
                field,
                form.errors,
            )
            # The same form with an Extension B character is fine for that field.
            form = form_class(data=_form_data(**{field: f"某{RARE}某"}))
            form.is_valid()
            assert field not in form.errors, (form_class, field, form.errors)


@pytest.mark.django_db
def test_the_api_refuses_it_at_case_creation(users):
    client = APIClient()
    _token, raw = ApiToken.issue(users["registrar"], name="t", scope="write", days=1)
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    body = {
        "channel": "registered_post",
        "arrived_at": "2026-03-02T10:00:00+08:00",
        "applicant": person(name=f"王{NO_FACE}"),
        "request": REQUEST,
    }
    response = client.post("/api/v1/cases/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "U+31350" in response.content.decode()
    assert "无法在文书中打印" in response.content.decode()
    assert not Case.objects.exists()
    body["applicant"] = person(name=f"王{RARE}")
    response = client.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.content
    assert Case.objects.get().applicant.name == f"王{RARE}"


@pytest.mark.django_db
def test_a_letter_with_extension_b_prints_it_with_the_fallback_face(
    receive_flow, act, users, tmp_path
):
    case = receive_flow(applicant=person(name=f"张{RARE}"))
    Case.objects.filter(pk=case.pk).update(subject=f"关于{RARE}村土地征收的批复文件")
    act(case, "register", "registrar")
    letter = letter_issue(
        number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW
    )
    data = letter.pdf.open("rb").read()
    assert RARE in pdf_text(data, tmp_path)
    assert "HanaMin" in pdf_fonts(data, tmp_path)  # embedded, not left to the viewer
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        rare = [c for c in pdf.pages[0].chars if c["text"] == RARE]
        assert len(rare) == 2  # the addressee and the subject
        assert all("HanaMin" in c["fontname"] for c in rare)  # 花園明朝 A has it too
        assert all(c["x1"] - c["x0"] > 10 for c in rare)  # a full-width glyph, not a box

    from letters.casefile import casefile_pdf

    casefile = casefile_pdf(case)
    assert RARE in pdf_text(casefile, tmp_path)
    assert "HanaMin" in pdf_fonts(casefile, tmp_path)


@pytest.mark.django_db
def test_a_letter_is_not_issued_with_a_character_no_face_has(receive_flow, act, users):
    from casework.errors import InvalidInput

    case = receive_flow()
    act(case, "register", "registrar")
    Case.objects.filter(pk=case.pk).update(subject=f"关于{NO_FACE}村的文件")  # an old case
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        letter_issue(number=case.number, kind="acknowledgement", actor=users["registrar"], now=NOW)
    assert f"字符“{NO_FACE}”（U+31350）无法在文书中打印" in str(raised.value)
    assert not Letter.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_an_officers_reasons_are_checked_when_written(receive_flow, act, divisions):
    """The reasons, withheld part and files of a proposal go into the reply letter, and every
    transition's text into the case file: refused when written, not only at issue."""
    from casework.errors import InvalidInput

    case = receive_flow()
    act(case, "register", "registrar")
    act(case, "assign", "reviewer", lead_division_id=divisions["a"].pk)
    act(case, "claim", "liaison_a")
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        act(
            case,
            "propose",
            "liaison_a",
            disposition="refused.internal_affairs",
            basis="",
            reasons=f"属于{NO_FACE}内部事务信息",
        )
    assert "U+31350" in str(raised.value)
    act(
        case,
        "propose",
        "liaison_a",
        disposition="refused.internal_affairs",
        basis="",
        reasons=f"属于{RARE}村的内部事务信息",
    )
    case.refresh_from_db()
    assert case.status == "review"
