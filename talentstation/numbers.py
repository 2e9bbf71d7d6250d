"""How numbers are written in the portal and its documents."""

from decimal import Decimal, InvalidOperation


def plain_number(value) -> str:
    """A number without needless zeros: 260.00 → "260", 85.50 → "85.5", 7.5 → "7.5";
    "" for no value; text that is not a number is returned as it is."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
