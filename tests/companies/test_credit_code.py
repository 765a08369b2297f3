"""The unified social credit code check (GB 32100-2015) and how the company form uses it."""
import pytest

from webapp.companies.credit_code import credit_code_error, make_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", make_code("91370211MA3D45678")])
def test_real_codes_pass(code):
    assert credit_code_error(code) is None


def test_wrong_check_character_names_the_right_one():
    assert credit_code_error("91350100M000100Y44") == "统一社会信用代码校验位错误（第 18 位应为 3），请核对。"
    assert "第 18 位应为 L" in credit_code_error("91110000600037341K")


@pytest.mark.parametrize("code, length", [("91350100M000100Y4", 17), ("91350100M000100Y433", 19), ("9135", 4)])
def test_wrong_length_says_how_long_it_is(code, length):
    assert credit_code_error(code) == f"统一社会信用代码应为 18 位，当前为 {length} 位。"


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_never_used_in_codes_are_named(letter):
    code = "91350100M" + letter + "00100Y43"
    message = credit_code_error(code)
    assert f"不允许的字符：{letter}" in message
    assert "不使用 I、O、S、V、Z" in message


def test_region_code_must_be_digits():
    code = make_code("91AB0100M000100Y4")
    assert "行政区划码" in credit_code_error(code)


def test_empty_code_asks_for_one():
    assert credit_code_error("") == "请输入统一社会信用代码。"
