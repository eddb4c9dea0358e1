from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# Not translated: the admin stays English (it has no /ar/ or /fr/ address), and
# tests, scripts and the virtualenv hold no interface text.
IGNORED = [
    ".venv",
    "staticfiles",
    "test-artifacts",
    "tests",
    "scripts",
    "templates/admin",
]


class Command(BaseCommand):
    help = "Update locale/*/django.po from the marked strings: the one way to run it."

    def handle(self, *args, **options):
        languages = [code for code, _ in settings.LANGUAGES if code != "en"]
        call_command(
            "makemessages",
            locale=languages,
            ignore_patterns=IGNORED,
            no_location=True,
            verbosity=options["verbosity"],
        )
