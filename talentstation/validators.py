import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class PasswordComplexityValidator:
    """Mixed character types and no long runs (GB/T 22239 level 2: password complexity).

    At least ``min_classes`` of the four classes lower-case letters, upper-case letters, digits
    and symbols (anything else, e.g. ``-`` or ``#``), and never ``max_run + 1`` or more of one
    character in a row (``aaaa``). The minimum length is MinimumLengthValidator's.
    """

    CLASSES = (str.islower, str.isupper, str.isdigit)

    def __init__(self, min_classes=3, max_run=3):
        self.min_classes = min_classes
        self.max_run = max_run
        self.long_run = re.compile(rf"(.)\1{{{max_run},}}", re.DOTALL)

    def character_classes(self, password):
        found = {
            next((n for n, test in enumerate(self.CLASSES) if test(char)), len(self.CLASSES))
            for char in password
        }
        return len(found)

    def validate(self, password, user=None):
        errors = []
        if self.character_classes(password) < self.min_classes:
            errors.append(
                ValidationError(
                    _(
                        "The password must contain at least %(count)d of these four kinds of "
                        "characters: lower-case letters, upper-case letters, digits and symbols."
                    ),
                    code="password_classes",
                    params={"count": self.min_classes},
                )
            )
        if self.long_run.search(password):
            errors.append(
                ValidationError(
                    ngettext(
                        "The password must not repeat a character more than %(max)d time in a row.",
                        "The password must not repeat a character more than %(max)d times in "
                        "a row.",
                        self.max_run,
                    ),
                    code="password_repeated_characters",
                    params={"max": self.max_run},
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self):
        return _(
            "Your password must contain at least %(count)d of lower-case letters, upper-case "
            "letters, digits and symbols, and must not repeat a character more than %(max)d "
            "times in a row."
        ) % {"count": self.min_classes, "max": self.max_run}
