"""Signing in and out, passwords, one's own account and the second factor (mounted at /akun/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from sipko.accounts.views import account, auth

urlpatterns = [
    path("masuk/", auth.LoginView.as_view(), name="login"),
    path("masuk/verifikasi/", auth.two_factor_verify, name="two_factor_verify"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("saya/", account.account, name="account"),
    path("kata-sandi/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/selesai/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("lupa-kata-sandi/", auth.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-kata-sandi/terkirim/",
        auth.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "setel-kata-sandi/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "setel-kata-sandi/selesai/",
        auth.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("dua-langkah/", account.two_factor_status, name="two_factor"),
    path("dua-langkah/pasang/", account.two_factor_setup, name="two_factor_setup"),
    path(
        "dua-langkah/kode-pemulihan/",
        account.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("dua-langkah/matikan/", account.two_factor_disable, name="two_factor_disable"),
    path(
        "pengguna/<int:pk>/reset-dua-langkah/",
        account.two_factor_reset,
        name="two_factor_reset",
    ),
]
