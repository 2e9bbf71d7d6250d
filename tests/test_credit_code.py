import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from talentstation import credit_code
from talentstation.credit_code import ALPHABET, CodeStatus


@pytest.mark.parametrize("code", ["914403001922038216", "91110108551385082Q"])
def test_real_codes_are_valid(code):
    assert credit_code.check(code).status is CodeStatus.VALID


def test_pilot_code_fails_check_character_but_is_not_rejected():
    result = credit_code.check("91350211M0000XUF46")
    assert result.status is CodeStatus.CHECK_FAILED
    assert not result.confirmed_by_checksum


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        (" 9111 0108 5513 8508 2q ", "91110108551385082Q"),
        ("91110108-551385082q", "91110108551385082Q"),
        ("９１１１０１０８５５１３８５０８２Ｑ", "91110108551385082Q"),
        ("91110108\u3000551385082Q", "91110108551385082Q"),
    ],
)
def test_typed_spaces_case_and_full_width_are_normalised(typed, normalised):
    result = credit_code.check(typed)
    assert result.code == normalised
    assert result.status is CodeStatus.VALID


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91110108551385082", "length"),
        ("91110108551385082QQ", "length"),
        ("", "length"),
        ("9111010855138508IQ", "alphabet"),  # I is not used
        ("9111010855138508OQ", "alphabet"),  # O is not used
        ("91110108551385082Z", "alphabet"),
        ("91110108551385082*", "alphabet"),
    ],
)
def test_invalid_codes_are_rejected_with_a_reason(code, error):
    with pytest.raises(ValidationError) as excinfo:
        credit_code.check(code)
    assert excinfo.value.code == error


def test_wrong_check_character_is_detected():
    assert credit_code.check("914403001922038217").status is CodeStatus.CHECK_FAILED


def test_check_character_weights_follow_gb_32100():
    assert credit_code.WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def test_remainder_31_maps_to_zero():
    # Find a body whose weighted sum is 0 mod 31: its check character must be "0".
    body = "00000000000000000"
    assert credit_code.check_character(body) == "0"


code_bodies = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


@given(code_bodies)
def test_completed_codes_always_pass(body):
    code = credit_code.with_check_character(body)
    assert credit_code.check(code).status is CodeStatus.VALID


@given(code_bodies, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_any_single_substitution_is_detected(body, position, replacement):
    code = credit_code.with_check_character(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        assert credit_code.check(changed).status is CodeStatus.CHECK_FAILED
