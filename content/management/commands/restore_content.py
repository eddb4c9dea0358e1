from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from content.loading import check_content, delete_content, has_content


class Command(BaseCommand):
    help = (
        "Restore the content from a backup_content file, all or nothing. The "
        "database must have no content, unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="a file written by backup_content")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the current content and restore the backup in its place.",
        )

    def handle(self, backup, replace, **options):
        if has_content() and not replace:
            raise CommandError(
                "The database already has content: nothing restored. "
                "Use --replace to replace it with the backup."
            )
        if problems := check_content([backup], replace=replace):
            raise CommandError(
                "Nothing restored; the backup has problems:\n" + "\n".join(problems)
            )
        with transaction.atomic():
            if replace:
                delete_content()
            call_command("loaddata", backup, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Content restored from {backup}."))
