from django.contrib import admin
from django.urls import include, path

from gongkai.portal.urls import auth_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/applications/", include("gongkai.applications.urls_staff")),
    path("staff/letters/", include("gongkai.letters.urls")),
    path("staff/", include("gongkai.reports.urls")),
    path("apply/", include("gongkai.applications.urls_public")),
    path("", include("gongkai.portal.urls")),
    *auth_urlpatterns,
]
