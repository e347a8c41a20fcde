from django.urls import path

from workflows.accounts import views

app_name = "accounts"

urlpatterns = [
    path("otp/setup/", views.otp_setup, name="otp-setup"),
    path("otp/verify/", views.otp_verify, name="otp-verify"),
    path("otp/recovery-codes/", views.otp_recovery, name="otp-recovery"),
]
