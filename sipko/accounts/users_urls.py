"""User management, onboarding and activation (namespace `users`, mounted at /akun/)."""

from django.urls import path

from sipko.accounts.views import activation, onboarding, users

app_name = "users"
urlpatterns = [
    path("pengguna/", users.user_list, name="list"),
    path("pengguna/baru/", users.user_create, name="create"),
    path("pengguna/<int:pk>/", users.user_detail, name="detail"),
    path("pengguna/<int:pk>/ubah/", users.user_edit, name="edit"),
    path("pengguna/<int:pk>/nonaktifkan/", users.user_deactivate, name="deactivate"),
    path("pengguna/<int:pk>/aktifkan/", users.user_reactivate, name="reactivate"),
    path(
        "pengguna/<int:pk>/kata-sandi-sementara/",
        users.user_temporary_password,
        name="temporary_password",
    ),
    path("pengguna/<int:pk>/kode-aktivasi/", users.code_issue, name="code_issue"),
    path("pengguna/<int:pk>/slip-aktivasi/", users.code_slip, name="code_slip"),
    path("pengguna/onboarding/", onboarding.onboard, name="onboard"),
    path("pengguna/onboarding/<uuid:batch>/", onboarding.batch_detail, name="batch"),
    path("pengguna/onboarding/<uuid:batch>/slip/", onboarding.batch_slips, name="batch_slips"),
    path("pengguna/onboarding/<uuid:batch>/surel/", onboarding.batch_email, name="batch_email"),
    path("aktivasi/", activation.activate, name="activate"),
]
