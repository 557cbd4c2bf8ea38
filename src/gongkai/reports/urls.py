from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<int:agency_id>/reports/", views.agency_reports, name="agency"),
    path("agencies/<int:agency_id>/reports/upload/", views.upload, name="upload"),
    path("reports/<int:pk>/", views.detail, name="detail"),
    path("reports/<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path("reports/<int:pk>/source/", views.source, name="source"),
    path("reports/<int:pk>/publish/", views.publish, name="publish"),
    path("reports/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("audit/", views.audit, name="audit"),
]
