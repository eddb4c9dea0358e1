from django.urls import path, re_path

from . import views

app_name = "partners"

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="partner-list"),
    path(
        "partners/<slug:slug>/",
        views.PartnerDetailView.as_view(),
        name="partner-detail",
    ),
    path(
        "partners/<slug:slug>/card.png",
        views.PartnerCardView.as_view(),
        name="partner-card",
    ),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("areas/<slug:slug>/", views.AreaDetailView.as_view(), name="area-detail"),
    path("activities/", views.ActivityListView.as_view(), name="activity-list"),
    path(
        "activities/<slug:slug>/",
        views.ActivityDetailView.as_view(),
        name="activity-detail",
    ),
    path(
        "activities/<slug:slug>/card.png",
        views.ActivityCardView.as_view(),
        name="activity-card",
    ),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("compare/", views.MatrixView.as_view(), name="matrix"),
    path("charts/", views.ChartsView.as_view(), name="charts"),
    re_path(
        r"^charts/(?P<chart>[a-z-]+)\.(?P<ext>svg|csv)$",
        views.ChartDownloadView.as_view(),
        name="chart-download",
    ),
]
