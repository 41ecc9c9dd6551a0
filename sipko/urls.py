from django.contrib import admin
from django.urls import include, path

from sipko.accounts.views.auth import admin_login
from sipko.inbox.views import home

# The admin's own login would sign in with a password alone: it sends to SIPKO's instead.
admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns = [
    path("", home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("akun/", include("sipko.accounts.urls")),
    path("akun/", include("sipko.accounts.users_urls")),
    path("kotak-masuk/", include("sipko.inbox.urls")),
    path("", include("sipko.registry.urls")),
    path("perencanaan/", include("sipko.planning.urls")),
    path("pelaporan/", include("sipko.reporting.urls")),
    path("penilaian/", include("sipko.assessment.urls")),
]
