from django.contrib.auth import views as auth_views
from django.urls import path

from sumberdaya.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("pengguna/", views.users, name="users"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_edit, name="user_edit"),
    path("pengguna/<int:pk>/kata-sandi/", views.user_password, name="user_password"),
    path("pengguna/<int:pk>/aktif/", views.user_toggle_active, name="user_toggle_active"),
    path("audit/", views.audit, name="audit"),
]
