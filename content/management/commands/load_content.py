from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from content.loading import check_content, content_fixture_paths, has_content


class Command(BaseCommand):
    help = (
        "Load the site's content from fixtures/ into an empty database. An existing "
        "install keeps its content (editors' changes included) unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Load the fixtures over existing records with the same keys.",
        )

    def handle(self, reset, **options):
        if has_content() and not reset:
            self.stdout.write(
                "Content already loaded: kept as it is (--reset reloads)."
            )
            return
        # Check everything first, so a bad record is named and nothing is loaded.
        if problems := check_content(content_fixture_paths()):
            raise CommandError(
                "Nothing loaded; fix the fixtures first:\n" + "\n".join(problems)
            )
        with transaction.atomic():
            call_command("loaddata", *content_fixture_paths(), verbosity=0)
            # Start each record's history from the loaded content.
            call_command("createinitialrevisions", comment="Loaded from fixtures.")
        self.stdout.write(self.style.SUCCESS("Content loaded from fixtures/."))
