"""Chinese everywhere bureau staff look in admin, and Chinese punctuation in every catalogue.

Django, django-axes and django-simple-history leave English in admin (axes has no Chinese at
all; simple-history names its models "historical …"; Django names permissions "Can add …" and
lacks some strings new in 6.x): our catalogue and a few start-up hooks fill the gaps.
"""

import contextlib
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from stations.models import Application
from talentstation.models import TransitionLog
from talentstation.roles import Role, sync_roles_after_migrate
from talentstation.workflow import perform

from . import factories

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
DJANGO_ROOT = Path(django.__file__).parent
CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
COLON_AFTER_CJK = re.compile(rf"[{CJK}]\s*:(?!//)")


def chinese(function, *args):
    with translation.override("zh-hans"):
        return function(*args)


# ---------------------------------------------------------------------------------------------
# Walking admin as bureau staff: no English left on any page
# ---------------------------------------------------------------------------------------------

# Words that are fine on a Chinese page: file formats, key names in Django's help texts, the
# server time zone, the language switcher's "English", and the test data (logins, e-mail
# addresses, paths and links, file names, the login attempts' browser, placeholders).
ALLOWED_WORDS = {
    "PDF",
    "pdf",
    "xlsx",
    "csv",
    "Excel",
    "JPG",
    "PNG",
    "LDAP",
    "Control",
    "Command",
    "Mac",
    "Asia",
    "Shanghai",
    "English",
    # The 2024 measures as issued (the policy document's text): Annex 1's "E-mail" and
    # Art. 21's "ABC 类人才".
    "mail",
    "ABC",
}
DATA = re.compile(
    r"[\w.+-]+@[\w.-]+|https?://\S+|(?<![A-Za-z0-9>])/[\w/.-]*|user\d+|\b[\w-]+\.(pdf|png|jpg)\b"
    r"|\bv\d+\b|\w+\*{3,}|\{[\w:]*\}|Firefox|text/html|<unknown>"
)
WORD = re.compile(r"[A-Za-z]{3,}")


class VisibleText(HTMLParser):
    """The text a person sees or hears on a page: text nodes, titles, labels, button values."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.HIDDEN:
            self._hidden += 1
        for name in self.ATTRIBUTES:
            if attrs.get(name):
                self.parts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.parts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def english_on(html):
    parser = VisibleText()
    parser.feed(html)
    left = []
    for part in parser.parts:
        words = set(WORD.findall(DATA.sub(" ", part))) - ALLOWED_WORDS
        if words:
            left.append(part)
    return left


def _admin_urls(model, obj):
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    yield reverse(f"{info}_changelist")
    yield reverse(f"{info}_add")
    if obj is not None:
        for view in ("change", "history"):
            with contextlib.suppress(NoReverseMatch):
                yield reverse(f"{info}_{view}", args=[obj.pk])


@pytest.fixture
def admin_data(staff_user):
    application = factories.ApplicationFactory()
    perform(application.host_unit, "verify", by=staff_user)
    with time_machine.travel("2026-08-03 09:30 +0800"):  # inside the call
        perform(application, "submit", by=factories.applicant_user(application.host_unit))
    # Usernames no factory user has: logging staff_user in (a factory "userN") resets the
    # attempts of his own username, which made this data vanish when the numbers met.
    AccessLog.objects.create(
        username="历史用户",
        ip_address="127.0.0.1",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/accounts/login/",
    )
    AccessAttempt.objects.create(
        username="锁定用户",
        ip_address="127.0.0.1",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    AccessFailureLog.objects.create(
        username="锁定用户",
        ip_address="127.0.0.1",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/accounts/login/",
        locked_out=True,
    )
    return application


@pytest.mark.django_db
def test_every_admin_page_is_chinese_for_bureau_staff(client, staff_user, admin_data):
    client.force_login(staff_user)
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    urls += [
        reverse("admin:app_list", args=[label])
        for label in {model._meta.app_label for model in admin.site._registry}
    ]
    for model in admin.site._registry:
        urls += _admin_urls(model, model._default_manager.order_by("pk").first())
    english = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 403:
            continue  # e.g. adding what is only ever created by the portal
        assert response.status_code == 200, url
        left = english_on(response.content.decode())
        if left:
            english[url] = left
    assert not english, "English left in admin:\n" + "\n".join(
        f"{url}: {sorted(set(parts))}" for url, parts in english.items()
    )


# ---------------------------------------------------------------------------------------------
# The findings one by one
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_protection_admin_is_chinese(client, staff_user, admin_data):
    client.force_login(staff_user)
    index = client.get(reverse("admin:index")).content.decode()
    assert "登录保护" in index and "登录日志" in index
    assert "Axes" not in index and "Access attempts" not in index
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "尝试时间" in page and "还可尝试3次" in page
    log = AccessLog.objects.get(username="历史用户")
    assert chinese(str, log).startswith("历史用户于")
    assert "（已锁定）" in chinese(str, AccessFailureLog.objects.get())


@pytest.mark.django_db
def test_admin_greets_staff_by_name(client):
    user = factories.UserFactory(role=Role.STAFF, username="staff", full_name="林主任")
    client.force_login(user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "欢迎，<strong>林主任</strong>。" in page
    # Django's admin CSS writes the user tools in capitals: ours does not ("STAFF").
    assert "css/admin.css" in page
    assert "text-transform: none" in (ROOT / "static/css/admin.css").read_text()


@pytest.mark.django_db
def test_state_changes_list_shows_labels_not_codes(client, staff_user, admin_data):
    client.force_login(staff_user)
    page = client.get(reverse("admin:talentstation_transitionlog_changelist")).content.decode()
    submitted = str(chinese(lambda: Application.Status.SUBMITTED.label))
    assert f"草稿 → {submitted}" in page
    assert chinese(lambda: str(Application.TRANSITION_LABELS["submit"])) in page
    assert "draft → submitted" not in page and ">submit<" not in page
    # Filters: the transition and state filters by label, the types only those with a log.
    assert "按操作时间筛选" in page and "Filter by" not in page
    assert "?transition=submit" in page and f">{submitted}</a>" in page
    assert "登录保护 | 登录日志" not in page
    # The object links to its own admin page.
    assert reverse("admin:stations_application_change", args=[admin_data.pk]) in page
    log = TransitionLog.objects.for_object(admin_data).get()
    assert chinese(str, log) == f"{admin_data}：草稿 → {submitted}"


@pytest.mark.django_db
def test_history_models_and_content_types_have_chinese_names():
    history = ContentType.objects.get(app_label="stations", model="historicalapplication")
    assert chinese(str, history) == "人才驿站与申报 | 申报书历史记录"
    names = chinese(lambda: [str(ct) for ct in ContentType.objects.all()])
    assert not [name for name in names if "historical" in name]


@pytest.mark.django_db
def test_permission_names_are_chinese_and_stay_so_after_migrate():
    assert Permission.objects.get(codename="add_application").name == "可以新增申报书"
    assert Permission.objects.get(codename="view_historicalapplication").name == (
        "可以查看申报书历史记录"
    )
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    before = dict(Permission.objects.values_list("pk", "name"))
    sync_roles_after_migrate()  # idempotent: runs after every migrate
    assert dict(Permission.objects.values_list("pk", "name")) == before


@pytest.mark.django_db
def test_role_groups_are_shown_by_their_role(client, staff_user):
    group = Group.objects.get(name=Role.STAFF.value)
    assert chinese(str, group) == "区人社局工作人员"
    client.force_login(staff_user)
    page = client.get(reverse("admin:talentstation_user_changelist")).content.decode()
    assert "区人社局工作人员" in page and "bureau_staff" not in page


@pytest.mark.django_db
def test_deleting_a_user_lists_its_roles_by_name(client, staff_user):
    other = factories.UserFactory(role=Role.EXPERT)
    client.force_login(staff_user)
    page = client.get(reverse("admin:talentstation_user_delete", args=[other.pk]))
    assert page.status_code == 200
    assert "专家" in page.content.decode() and "object (" not in page.content.decode()


@pytest.mark.django_db
def test_field_history_shows_choice_labels(client, staff_user, admin_data):
    client.force_login(staff_user)
    url = reverse("admin:stations_application_history", args=[admin_data.pk])
    page = client.get(url).content.decode()
    assert "变更内容" in page and "草稿" in page
    assert "draft" not in page and "None" not in page


@pytest.mark.django_db
def test_admin_password_form_help_text_is_chinese(client, staff_user):
    client.force_login(staff_user)
    page = client.get(reverse("admin:auth_user_password_change", args=[staff_user.pk]))
    assert "停用后，该用户的现有密码将被清除。" in page.content.decode()


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def untranslated(english_po, catalogue):
    """The msgids of a package's English catalogue that ``catalogue`` does not translate."""
    missing = []
    for entry in polib.pofile(str(english_po)):
        if entry.obsolete or not re.search(r"[A-Za-z]", PLACEHOLDER.sub("", entry.msgid)):
            continue  # punctuation and placeholders only
        key = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural:
            key = (key, 0)
        if key not in catalogue._catalog:
            missing.append(entry.msgid)
    return missing


def test_admin_javascript_catalogue_is_complete():
    """Every string of admin's JavaScript (calendar, clock, time zone note) has Chinese."""
    english = DJANGO_ROOT / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
    catalogue = DjangoTranslation(
        "zh-hans", domain="djangojs", localedirs=[DJANGO_ROOT / "contrib/admin/locale"]
    )
    assert not untranslated(english, catalogue)


@pytest.mark.django_db
def test_admin_javascript_catalogue_is_served_in_chinese(client, staff_user):
    client.force_login(staff_user)
    script = client.get(reverse("admin:jsi18n")).content.decode()
    script = script.encode("latin-1", "backslashreplace").decode("unicode_escape")
    assert "今天（%(date)s）" in script
    assert "注意：请按%(timezone)s时区输入时间" in script


@pytest.mark.parametrize("package", ["conf", "contrib/admin", "contrib/auth"])
def test_django_strings_staff_see_are_translated(package):
    english = DJANGO_ROOT / package / "locale/en/LC_MESSAGES/django.po"
    assert not untranslated(english, translation.trans_real.translation("zh-hans"))


# ---------------------------------------------------------------------------------------------
# Portal: Chinese messages and punctuation
# ---------------------------------------------------------------------------------------------


def test_email_error_message_is_plain_chinese():
    field = forms.EmailField()
    with translation.override("zh-hans"), pytest.raises(forms.ValidationError) as error:
        field.clean("not-an-address")
    assert error.value.messages == ["请输入有效的电子邮箱地址。"]


def test_form_labels_end_with_a_full_width_colon():
    class NameForm(forms.Form):
        name = forms.CharField(label="姓名")

    with translation.override("zh-hans"):
        assert "姓名：</label>" in str(NameForm()["name"].label_tag())


def test_no_msgstr_of_our_catalogue_has_an_ascii_colon_after_chinese():
    wrong = []
    for entry in polib.pofile(str(PO)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if COLON_AFTER_CJK.search(text) or text == ":":
                wrong.append((entry.msgid, text))
    assert not wrong, wrong


def _installed_catalogues():
    for config in apps.get_app_configs():
        for domain in ("django", "djangojs"):
            path = Path(config.path) / "locale/zh_Hans/LC_MESSAGES" / f"{domain}.po"
            if path.exists():
                yield domain, path


def test_no_translation_in_effect_has_an_ascii_colon_after_chinese():
    """What staff and users read: the packages' Chinese, where ours does not override it."""
    wrong = []
    with translation.override("zh-hans"):
        ours = {"djangojs": DjangoTranslation("zh-hans", domain="djangojs")}
        for domain, path in _installed_catalogues():
            for entry in polib.pofile(str(path)):
                if not entry.translated() or entry.obsolete:
                    continue
                if domain == "django":
                    text = (
                        translation.pgettext(entry.msgctxt, entry.msgid)
                        if entry.msgctxt
                        else translation.gettext(entry.msgid)
                        if not entry.msgid_plural
                        else translation.ngettext(entry.msgid, entry.msgid_plural, 2)
                    )
                else:
                    catalogue = ours["djangojs"]
                    text = (
                        catalogue.gettext(entry.msgid)
                        if not entry.msgid_plural
                        else catalogue.ngettext(entry.msgid, entry.msgid_plural, 2)
                    )
                if COLON_AFTER_CJK.search(text):
                    wrong.append((str(path.relative_to(path.parents[3])), entry.msgid, text))
    assert not wrong, "\n".join(map(str, wrong))


# A colon written in a template right after a translated label or a value, outside any
# {% blocktranslate %} (which gives the translator the colon): "{% translate 'Score sheet' %}: ".
LITERAL_COLON = re.compile(r"(\{\{[^}]*\}\}|\{%\s*translate\s[^%]*%\}):\s")
BLOCK = re.compile(r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}", re.S)


def test_templates_leave_the_colon_to_the_translation():
    wrong = []
    for template in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in template.parts:
            continue
        source = BLOCK.sub("", template.read_text(encoding="utf-8"))
        for match in LITERAL_COLON.finditer(source):
            wrong.append(f"{template.relative_to(ROOT)}: {match.group(0)}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_attachment_names_use_the_chinese_colon():
    attachment = factories.AttachmentFactory(kind="business_licence", original_name="执照.pdf")
    assert chinese(str, attachment) == "营业执照：执照.pdf"
