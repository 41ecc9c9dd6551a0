"""The to-do landing page, notifications and reminders (namespace `inbox`)."""

app_name = "inbox"
urlpatterns: list = []
