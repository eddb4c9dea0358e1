from django.contrib import admin
from django.urls import include, path

from . import views
from .content_health import ContentHealthView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("", include("partners.urls")),
    path("timeline/", include("timeline.urls")),
    path(
        "admin/content-health/",
        admin.site.admin_view(ContentHealthView.as_view()),
        name="content-health",
    ),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]
