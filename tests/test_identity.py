"""居民身份证 check characters and masking."""

import pytest

from gongkai.identity import mask_id_number, mask_phone, resident_id_problem


@pytest.mark.parametrize("number", ["11010519491231002X", "11010519491231002x",
                                    "440524188001010014"])
def test_valid_resident_ids(number):
    assert resident_id_problem(number) is None


@pytest.mark.parametrize("number, why", [
    ("110105194912310021", "校验位"),      # check character should be X
    ("11010519491331002X", "出生日期"),     # month 13
    ("1101051949123100", "18位"),          # too short
    ("11010519491231002Y", "18位"),        # not a digit or X
    ("", "18位"),
    ("<script>alert(1)</script>", "18位"),
])
def test_invalid_resident_ids_say_why(number, why):
    assert why in resident_id_problem(number)


def test_masks_keep_too_little_to_identify():
    assert mask_id_number("11010519491231002X") == "110*************2X"
    assert mask_id_number("1234") == "****"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("0351-1234567") == "*******4567"
    assert mask_phone("12") == "**"
