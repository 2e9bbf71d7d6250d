"""Strings of Django and the installed packages that staff see, for our zh-hans catalogue.

Our catalogue (``locale/``, in ``LOCALE_PATHS``) takes precedence over the packages' own: a
msgid listed here is translated by ``locale/zh_Hans/LC_MESSAGES/django.po``, either because the
package has no Chinese for it (django-axes has no zh_Hans catalogue at all; strings new in
Django 6.x) or because its Chinese is poor ("输入一个有效的 Email 地址。", ASCII colons after
Chinese text). Listing them here keeps them in the catalogue when ``make messages`` runs. Each
msgid (and context) must be exactly the package's; nothing imports this module.

The admin's JavaScript strings (calendar, time zone note) are in ``djangojs.po`` beside it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# Django: forms, models and admin.
DJANGO = [
    # The label suffix of every form label ("用户名：").
    gettext_noop(":"),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Email address"),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop("No %s matches the given query."),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("Change history: %s"),
    gettext_noop("Set password: %s"),
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop("Logout"),
    gettext_noop(
        "Deleting %(class_name)s %(instance)s would require deleting the following protected "
        "related objects: %(related_objects)s"
    ),
    gettext_noop(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the following "
        "protected related objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but "
        "your account doesn't have permission to delete the following types of objects:"
    ),
    gettext_noop(
        "Deleting the selected %(objects_name)s would require deleting the following protected "
        "related objects:"
    ),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
]

# django-simple-history: the history pages of admin.
SIMPLE_HISTORY = [
    gettext_noop("Changes"),
    gettext_noop("View history: %s"),
    gettext_noop("Or press the 'Change History' button to edit the history."),
]

# django-import-export: the legacy station import.
IMPORT_EXPORT = [
    gettext_noop("Value could not be parsed."),
    gettext_noop(
        "No valid data to import. Ensure your file has the correct headers or data for import."
    ),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct "
        "format for the file."
    ),
]

# django-tasks-db: the task queue's model, named in the permissions of the user and group pages.
TASKS_DB = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
]

# django-axes: login lock-outs and the login audit log (no zh_Hans catalogue of its own).
AXES = [
    gettext_noop("Locked Out"),
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop(
        "Account locked: too many login attempts. Contact an admin to unlock your account."
    ),
]
