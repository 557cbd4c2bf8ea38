from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("applications/<int:application_id>/", views.application_letters, name="list"),
    path("applications/<int:application_id>/new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/download/", views.download, name="download"),
]
