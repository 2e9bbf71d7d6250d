"""Print the lifecycle tables (Markdown) generated from the transitions' declarations; the
README's section "Lifecycles" is this output (a test keeps them equal)."""

from django.core.management.base import BaseCommand
from django.utils import translation

from talentstation.workflow import lifecycles_markdown


class Command(BaseCommand):
    help = "Print the lifecycle tables generated from the code (for the README)."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="en")

    def handle(self, *args, language, **options):
        with translation.override(language):
            self.stdout.write(lifecycles_markdown(), ending="")
