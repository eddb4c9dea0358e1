from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partners import tally


class Command(BaseCommand):
    help = (
        "Compare the activity tally (the counts behind facets and profiles, kept by "
        "database triggers) with a count from scratch; --repair rebuilds it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair", action="store_true", help="Count every row again if wrong."
        )

    def handle(self, repair, **options):
        with transaction.atomic():
            wrong = tally.differences()
            if wrong and repair:
                tally.rebuild()
        if not wrong:
            self.stdout.write(self.style.SUCCESS("The activity tally is exact."))
        elif repair:
            self.stdout.write(
                self.style.SUCCESS(f"{len(wrong)} tally row(s) were wrong: rebuilt.")
            )
        else:
            raise CommandError(
                f"{len(wrong)} tally row(s) disagree with the activities; "
                "run check_tally --repair."
            )
