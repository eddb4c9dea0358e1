from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import reverse

from partners.models import Activity, CooperationArea, Partner
from timeline.models import Milestone


class Sitemap(DjangoSitemap):
    """Every address in each language, each naming its alternates and x-default."""

    i18n = True
    alternates = True
    x_default = True


class PublicSitemap(Sitemap):
    """Detail pages of public records only; drafts and scheduled items never appear.

    Served in pages of `limit` addresses under a sitemap index, so a request reads
    one slice of the records, not every one of them.
    """

    limit = 5000  # addresses, so about 1,666 records in three languages

    def __init__(self, queryset):
        self.queryset = queryset

    def items(self):
        return self.queryset().only("slug", "updated_at").order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        # For the index: one index step, where Django's default reads every item.
        latest = self.queryset().order_by("-updated_at")
        return latest.values_list("updated_at", flat=True).first()


class StaticSitemap(Sitemap):
    def items(self):
        return [
            "home",
            "about",
            "partners:partner-list",
            "partners:area-list",
            "partners:activity-list",
            "partners:source-list",
            "timeline:milestone-list",
            "partners:matrix",
            "partners:charts",
            "data",
            "methodology",
        ]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "pages": StaticSitemap(),
    "partners": PublicSitemap(Partner.objects.public),
    "areas": PublicSitemap(CooperationArea.objects.all),
    "activities": PublicSitemap(Activity.objects.public),
    "milestones": PublicSitemap(Milestone.objects.public),
}
