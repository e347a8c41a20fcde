from django.core.exceptions import ValidationError

import pytest

from casework.validators import (
    mask_id_number,
    validate_email,
    validate_mobile,
    validate_phone,
    validate_resident_id,
    validate_uscc,
)
from tests.conftest import VALID_RESIDENT_ID, VALID_RESIDENT_ID_2, VALID_USCC


@pytest.mark.parametrize(
    "number",
    [VALID_RESIDENT_ID, VALID_RESIDENT_ID_2, VALID_RESIDENT_ID_2.lower(), " 370102198001011237 "],
)
def test_valid_resident_ids_pass(number):
    validate_resident_id(number)


@pytest.mark.parametrize(
    ("number", "code", "fragment"),
    [
        ("37010219800101123", "id_length", "18位"),
        ("3701021980010112A7", "id_format", "17位数字"),
        ("370102198013011237", "id_birth", "出生日期"),
        ("370102198001011238", "id_checksum", "校验位"),
        ("11010519491231002Y", "id_format", "17位数字"),
    ],
)
def test_invalid_resident_ids_get_specific_chinese_errors(number, code, fragment):
    with pytest.raises(ValidationError) as excinfo:
        validate_resident_id(number)
    assert excinfo.value.code == code
    assert fragment in excinfo.value.messages[0]


def test_uscc_check_character():
    validate_uscc(VALID_USCC)
    validate_uscc("91110000600037341L")
    for bad, code in [
        ("91370100MA3C5XY015", "uscc_checksum"),
        ("91370100MA3C5XY0I4", "uscc_format"),
        ("9137", "uscc_length"),
    ]:
        with pytest.raises(ValidationError) as excinfo:
            validate_uscc(bad)
        assert excinfo.value.code == code
        assert "统一社会信用代码" in excinfo.value.messages[0]


@pytest.mark.parametrize("number", ["13800138000", "+8619912345678", "199 1234 5678"])
def test_mobile_numbers(number):
    validate_mobile(number)
    validate_phone(number)


@pytest.mark.parametrize("number", ["12800138000", "1380013800", "138001380001", "abc"])
def test_bad_mobile_numbers(number):
    with pytest.raises(ValidationError) as excinfo:
        validate_mobile(number)
    assert "手机号码" in excinfo.value.messages[0]


def test_landlines_are_phones_but_not_mobiles():
    validate_phone("0531-88886666")
    validate_phone("053188886666")
    with pytest.raises(ValidationError):
        validate_mobile("0531-88886666")


def test_email():
    validate_email("a@example.com")
    with pytest.raises(ValidationError) as excinfo:
        validate_email("not-an-email")
    assert "电子邮箱" in excinfo.value.messages[0]


def test_mask_id_number():
    assert mask_id_number("370102198001011234") == "3701**********1234"
