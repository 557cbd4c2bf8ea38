"""Public URLs of 依申请公开, mounted at /apply/ by gongkai.site.urls."""

from django.urls import path

from . import views_public as views

app_name = "apply"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:agency_id>/", views.apply, name="form"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/status/", views.status, name="status"),
    path("track/end/", views.track_end, name="track_end"),
]
