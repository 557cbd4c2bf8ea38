from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/download/<str:fmt>/", views.download, name="download"),
]

# Staff sign-in and sign-out (Django auth, Chinese templates in portal/templates/registration).
auth_urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(
        next_page=reverse_lazy("reports:home"), redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(next_page=reverse_lazy("portal:home")),
         name="logout"),
]
