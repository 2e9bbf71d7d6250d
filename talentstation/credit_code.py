"""统一社会信用代码 (Unified Social Credit Code), GB 32100-2015.

18 characters from ``0-9A-HJ-NPQRTUWXY`` (no I, O, S, V, Z). The 18th is a check character:
with the weights 3^(i-1) mod 31 for positions 1..17, C18 = 31 - (sum mod 31), where 31 means 0.

Some real early codes (e.g. Fujian pilot codes such as ``91350211M0000XUF46``) are legally valid
but fail the check character. They are *accepted with a warning and marked unconfirmed* until
bureau staff confirm them; see :class:`CreditCodeCheck`.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
_FORMAT = re.compile(f"^[{ALPHABET}]{{18}}$")
_SEPARATORS = re.compile(r"[\s\-\u3000]+")


class CodeStatus(StrEnum):
    VALID = "valid"  # format and check character are right
    CHECK_FAILED = "check_failed"  # format right, check character wrong: unconfirmed


def normalize(value: str) -> str:
    """Upper-case and strip the spaces, hyphens and full-width spaces users type."""
    if value is None:
        return ""
    value = value.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    value = "".join(
        chr(ord(c) - 0xFEE0) if "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ" else c for c in value
    )
    return _SEPARATORS.sub("", value).upper()


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


@dataclass(frozen=True)
class CreditCodeCheck:
    code: str
    status: CodeStatus

    @property
    def confirmed_by_checksum(self) -> bool:
        return self.status is CodeStatus.VALID


def check(value: str) -> CreditCodeCheck:
    """Normalise and check ``value``; raise ValidationError if it cannot be a credit code."""
    code = normalize(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    if not _FORMAT.match(code):
        bad = sorted({c for c in code if c not in ALPHABET})
        raise ValidationError(
            _(
                "A unified social credit code uses only digits and the capital letters "
                "A–H, J–N, P–R, T, U, W–Y; %(chars)s cannot appear in it."
            ),
            code="alphabet",
            params={"chars": "、".join(bad)},
        )
    if check_character(code[:17]) == code[17]:
        return CreditCodeCheck(code, CodeStatus.VALID)
    return CreditCodeCheck(code, CodeStatus.CHECK_FAILED)


def validate_credit_code(value: str) -> None:
    """Model/form validator: format errors only (a failed check character is a warning)."""
    check(value)


def with_check_character(first17: str) -> str:
    """Complete 17 characters into a valid code (demo data and tests)."""
    first17 = normalize(first17)
    return first17 + check_character(first17)
