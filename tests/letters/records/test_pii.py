"""The personal-information detectors: pure functions over text."""

from letters.records import pii
from letters.records.pdf import PageText


def kinds(text, names=()):
    return [(f.kind, f.value) for f in pii.find_all(text, names)]


def test_id_numbers_need_a_valid_check_digit():
    assert pii.id_number_valid("370102198001011237")
    assert pii.id_number_valid("11010519491231002X")
    assert not pii.id_number_valid("370102198001011238")
    assert kinds("身份证370102198001011237号") == [("id_number", "370102198001011237")]
    assert kinds("编号370102198001011238") == []  # wrong check digit: not an ID number


def test_phones_cards_emails_plates_and_names():
    text = (
        "手机13912345678，座机0531-88886666，（010）62345678，卡号6222021234567890128，"
        "邮箱a.b@example.com.cn，车牌鲁A12345和粤B·D12345，证人李四华。"
    )
    found = kinds(text, ["李四华"])
    assert ("mobile", "13912345678") in found
    assert ("phone", "0531-88886666") in found
    assert ("phone", "（010）62345678") in found
    assert ("bank_card", "6222021234567890128") in found
    assert ("email", "a.b@example.com.cn") in found
    assert ("plate", "鲁A12345") in found
    assert ("plate", "粤B·D12345") in found
    assert ("name", "李四华") in found
    assert kinds("卡号6222021234567890129") == []  # fails the Luhn check


def test_an_id_number_is_not_also_a_card_or_a_phone():
    assert kinds("370102198001011237") == [("id_number", "370102198001011237")]


def test_a_number_wrapped_at_the_end_of_a_line_is_found_with_a_box_on_each_line():
    page = PageText()
    page.add("手机139123", None)
    for i in range(len(page.boxes)):
        page.boxes[i] = (0.1 + i * 0.01, 0.1, 0.11 + i * 0.01, 0.12)
    page.add("\n", None)
    start = len(page.text)
    page.add("45678", None)
    for i in range(start, len(page.text)):
        page.boxes[i] = (0.05 + (i - start) * 0.01, 0.2, 0.06 + (i - start) * 0.01, 0.22)
    [(finding, rects)] = pii.page_findings(page)
    assert finding.kind == "mobile"
    assert len(rects) == 2  # one box per line


def test_mask_shows_the_ends_only():
    assert pii.mask("370102198001011237") == "3701**********1237"
