from django.core.management.base import BaseCommand, CommandError

from content.loading import check_content, content_fixture_paths


class Command(BaseCommand):
    help = (
        "Check content files (default: the site's fixtures) without changing the "
        "database: every record valid, every link to a record that exists, every "
        "published fact sourced, with its passage. Problems name the file and the "
        "record; sourcing that needs an editor (weak, excluded or http sources) is "
        "listed too."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="JSON files (default: fixtures)")

    def handle(self, paths, **options):
        paths = paths or content_fixture_paths()
        notes = []
        if problems := check_content(paths, notes=notes):
            raise CommandError(
                f"{len(problems)} problem(s) in the content:\n" + "\n".join(problems)
            )
        for note in notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(self.style.SUCCESS(f"{len(paths)} content file(s) valid."))
