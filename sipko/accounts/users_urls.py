"""User management, onboarding and activation (namespace `users`, mounted at /akun/)."""

app_name = "users"
urlpatterns: list = []
