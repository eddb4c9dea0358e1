from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("", views.TimelineView.as_view(), name="milestone-list"),
    path("<slug:slug>/", views.MilestoneDetailView.as_view(), name="milestone-detail"),
    path(
        "<slug:slug>/card.png", views.MilestoneCardView.as_view(), name="milestone-card"
    ),
]
