from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from content.models import content_models


class Command(BaseCommand):
    help = (
        "Write every content record and relation (partners, areas, activities, "
        "sources, milestones, drafts included) to one JSON file that "
        "restore_content reads back."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="the JSON file to write")

    def handle(self, output, **options):
        # One transaction, so the backup is a consistent snapshot under writes.
        with transaction.atomic():
            call_command(
                "dumpdata",
                *(model._meta.label for model in content_models()),
                indent=2,
                output=output,
                verbosity=0,
            )
        self.stdout.write(self.style.SUCCESS(f"Content backed up to {output}."))
