"""The to-do landing page, notifications and reminders (namespace `inbox`).

The landing page itself is `home` at `/` (sipko/urls.py)."""

from django.urls import path

from sipko.inbox import views

app_name = "inbox"
urlpatterns = [
    path("pemberitahuan/", views.notifications, name="notifications"),
    path("pemberitahuan/<int:pk>/buka/", views.notification_open, name="open"),
    path("pemberitahuan/baca-semua/", views.notifications_read_all, name="read_all"),
    path("pengingat/", views.reminders, name="reminders"),
    path("pengingat/kirim/", views.reminders_send, name="reminders_send"),
]
