"""Synthetic content at scale, for load tests and query-count tests.

Every record says it is synthetic: no invented fact can pass for real content.
Rows are spread like the real content: six partners (four members, two in dialogue)
of unequal activity, seven areas, eight kinds of unequal frequency and twenty years
with more activity in recent ones; a few items are drafts or scheduled for later.
"""

import datetime
import itertools
import random

from django.utils import timezone

from content import dates
from content.dates import DatePrecision
from content.models import Publishable
from content.version import invalidate
from partners.models import Activity, CooperationArea, Partner, Source
from timeline.models import Milestone

FIRST_YEAR, YEARS = 2006, 20
BATCH_SIZE = 2000
BODY = (
    "Synthetic text for load testing, not a fact about the Istanbul Cooperation "
    "Initiative. It is as long as a typical activity description, with a paragraph "
    "break.\n\nIt also has **some Markdown** and a [link](https://example.invalid/)."
)
# (kind, weight): courses and meetings are common, operations and centres rare.
KINDS = [
    (Activity.Kind.COURSE, 25),
    (Activity.Kind.CONFERENCE, 20),
    (Activity.Kind.DIALOGUE, 20),
    (Activity.Kind.EXERCISE, 10),
    (Activity.Kind.PROGRAMME, 10),
    (Activity.Kind.OPERATION, 5),
    (Activity.Kind.AGREEMENT, 5),
    (Activity.Kind.CENTRE, 3),
]
# Partner letter, member?, how often it takes part relative to the others.
PARTNERS = [("A", True, 6), ("B", True, 5), ("C", True, 4), ("D", True, 3)]
PARTNERS += [("E", False, 1), ("F", False, 1)]


class SyntheticContent:
    def __init__(self, seed=2004, progress=None):
        self.random = random.Random(seed)
        self.progress = progress or (lambda label, done, total: None)
        self.serial = 0
        self.milestone_serial = itertools.count()
        self.now = timezone.now()

    def create_base(self, sources=2000):
        """Partners, areas and sources for activities and milestones to cite."""
        self.partners = Partner.objects.bulk_create(
            Partner(
                name=f"Synthetic partner {letter}",
                official_name=f"Synthetic State {letter}",
                slug=f"synthetic-{letter.lower()}",
                iso_alpha2=f"X{letter}",
                iso_alpha3=f"X{letter}X",
                status=Partner.Status.MEMBER if member else Partner.Status.DIALOGUE,
                joined=datetime.date(2005, 1 + index, 1) if member else None,
                joined_precision=DatePrecision.MONTH,
                capital=f"Synthetic capital {letter}",
                summary="A synthetic partner for load testing.",
                profile=BODY,
                state=Partner.State.PUBLISHED,
                publish_at=self.now - datetime.timedelta(days=365),
            )
            for index, (letter, member, _) in enumerate(PARTNERS)
        )
        self.partner_weights = [weight for *_, weight in PARTNERS]
        self.areas = CooperationArea.objects.bulk_create(
            CooperationArea(
                name=f"Synthetic area {n}",
                slug=f"synthetic-area-{n}",
                summary="A synthetic area for load testing.",
                description=BODY,
                position=n,
            )
            for n in range(1, 8)
        )
        self.sources = list(
            self._in_batches(
                "sources",
                sources,
                lambda n: Source(
                    title=f"Synthetic source {n}",
                    publisher="Synthetic publisher",
                    url=f"https://example.invalid/synthetic/source-{n}",
                    confidence=Source.Confidence.MEDIUM,
                ),
                Source,
            )
        )

    def create_activities(self, count):
        kinds, weights = zip(*KINDS, strict=True)

        def build(n):
            start, precision = self._date()
            kind = self.random.choices(kinds, weights)[0]
            long = self.random.random() < 0.4 and precision == DatePrecision.DAY
            return Activity(
                title=f"Synthetic {kind.label.lower()} {n}",
                slug=f"synthetic-activity-{n}",
                kind=kind,
                start_date=start,
                start_precision=precision,
                end_date=start + datetime.timedelta(days=self.random.randint(1, 30))
                if long
                else None,
                location=f"Synthetic city {self.random.randint(1, 60)}",
                summary=f"Synthetic {kind.label.lower()} number {n}, for load tests.",
                body=BODY,
                **self._publication(start),
            )

        for batch in self._batches("activities", count, build, Activity):
            self._link(batch, "partners", self.partners, self.partner_weights, 3)
            self._link(batch, "areas", self.areas, None, 2)
            self._link(batch, "sources", self.sources, None, 2)
        invalidate()  # bulk writes send no signals

    def create_milestones(self, count):
        def build(n):
            day, precision = self._date()
            return Milestone(
                title=f"Synthetic milestone {n}",
                slug=f"synthetic-milestone-{n}",
                date=day,
                date_precision=precision,
                summary=BODY,
                # One in 250 is a key milestone, shown on the home page: rare, as in
                # the real content, but always at least one.
                is_key=next(self.milestone_serial) % 250 == 0,
                **self._publication(day),
            )

        for batch in self._batches("milestones", count, build, Milestone):
            self._link(batch, "partners", self.partners, self.partner_weights, 2)
            self._link(batch, "areas", self.areas, None, 2)
            self._link(batch, "sources", self.sources, None, 2)
        invalidate()

    def _batches(self, label, count, build, model):
        done = 0
        while done < count:
            size = min(BATCH_SIZE, count - done)
            batch = []
            for _ in range(size):
                self.serial += 1
                batch.append(build(self.serial))
            yield model.objects.bulk_create(batch)
            done += size
            self.progress(label, done, count)

    def _in_batches(self, label, count, build, model):
        for batch in self._batches(label, count, build, model):
            yield from batch

    def _date(self):
        # Later years weigh more: cooperation grew after the first decade.
        years = range(FIRST_YEAR, FIRST_YEAR + YEARS)
        year = self.random.choices(years, [5 + i for i in range(YEARS)])[0]
        day = datetime.date(year, 1, 1) + datetime.timedelta(self.random.randrange(365))
        precision = self.random.choices(list(DatePrecision), [80, 15, 5])[0]
        return dates.truncate(day, precision), precision

    def _publication(self, day):
        roll = self.random.random()
        if roll < 0.03:
            return {"state": Publishable.State.DRAFT, "publish_at": self.now}
        published = datetime.datetime.combine(day, datetime.time(), datetime.UTC)
        if roll < 0.035:  # scheduled to appear within the next three months
            published = self.now + datetime.timedelta(days=self.random.randint(1, 90))
        return {"state": Publishable.State.PUBLISHED, "publish_at": published}

    def _link(self, records, field_name, targets, weights, most):
        field = records[0]._meta.get_field(field_name)
        through = field.remote_field.through
        source_column, target_column = (
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
        )
        links = []
        for record in records:
            count = self.random.randint(1, most)
            chosen = set(self.random.choices(targets, weights, k=count))
            links += [
                through(
                    **{f"{source_column}_id": record.pk, f"{target_column}_id": t.pk}
                )
                for t in chosen
            ]
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
