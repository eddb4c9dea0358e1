import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from content.loading import has_content
from ici_site.synthetic import SyntheticContent


class Command(BaseCommand):
    help = (
        "Fill an empty database, named by DATABASE_URL, with synthetic content for "
        "load tests. Refuses the default SQLite file and any database holding content."
    )

    def add_arguments(self, parser):
        parser.add_argument("--activities", type=int, default=100_000)
        parser.add_argument("--milestones", type=int, default=5_000)
        parser.add_argument("--sources", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=2004)

    def handle(self, activities, milestones, sources, seed, **options):
        self.check_target()
        synthetic = SyntheticContent(seed=seed, progress=self.show_progress)
        with transaction.atomic():
            synthetic.create_base(sources=max(sources, 1))
            synthetic.create_activities(activities)
            synthetic.create_milestones(milestones)
        if connection.vendor == "postgresql":
            # What autovacuum would do shortly: plan queries with the new numbers.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {activities} activities and {milestones} milestones in "
                f"{connection.settings_dict['NAME']}."
            )
        )

    def check_target(self):
        """Write only into a database chosen on purpose and still empty of content."""
        if not os.environ.get("DATABASE_URL"):
            raise CommandError(
                "Set DATABASE_URL to an empty database for synthetic data; without it "
                "this would write into the site's own SQLite file."
            )
        if Path(str(connection.settings_dict["NAME"])) == settings.BASE_DIR / (
            "db.sqlite3"
        ):
            raise CommandError("DATABASE_URL names db.sqlite3, the site's own content.")
        if has_content():
            raise CommandError(
                f"{connection.settings_dict['NAME']} already holds content: synthetic "
                "content goes only into an empty, migrated database. Nothing was "
                "written."
            )

    def show_progress(self, label, done, total):
        bar = "#" * (20 * done // total)
        self.stdout.write(f"{label:>10} [{bar:<20}] {done}/{total}")
