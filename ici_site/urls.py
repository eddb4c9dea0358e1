from django.contrib import admin
from django.urls import include, path

import partners.api
import timeline.api

from . import views

api_v1 = (partners.api.urlpatterns + timeline.api.urlpatterns, "api")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("", include("partners.urls")),
    path("timeline/", include("timeline.urls")),
    path("data/", views.DataView.as_view(), name="data"),
    path("methodology/", views.MethodologyView.as_view(), name="methodology"),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]
