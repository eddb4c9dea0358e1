from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

import content.api
import partners.api
import timeline.api

from . import views
from .content_health import ContentHealthView
from .sitemaps import sitemaps
from .translation_status import TranslationStatusView

api_v1 = (
    content.api.urlpatterns
    + partners.api.urlpatterns
    + timeline.api.urlpatterns
    + content.api.fallback,
    "api",
)

# Addresses that are not pages in a language: one address each, unprefixed.
urlpatterns = [
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
    ),
    path("api/v1/", include(api_v1)),
    path(
        settings.ADMIN_URL + "content-health/",
        admin.site.admin_view(ContentHealthView.as_view()),
        name="content-health",
    ),
    path(
        settings.ADMIN_URL + "translation-status/",
        admin.site.admin_view(TranslationStatusView.as_view()),
        name="translation-status",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]

# The public pages, in English unprefixed (every published link keeps working) and
# under /ar/ and /fr/.
urlpatterns += i18n_patterns(
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("", include("partners.urls")),
    path("timeline/", include("timeline.urls")),
    path("data/", views.DataView.as_view(), name="data"),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("changes/feed/", views.ChangesFeed(), name="changes-feed"),
    path("report/", views.ProblemReportView.as_view(), name="report-problem"),
    prefix_default_language=False,
)
