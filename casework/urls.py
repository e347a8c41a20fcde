from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from casework.health import healthz
from workflows.workbench.urls import case_patterns

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", RedirectView.as_view(pattern_name="workflows:workbench", permanent=False)),
    path("", include("letters.records.urls")),  # /work/cases/<number>/records/...
    path("work/catalogue/", include("workflows.catalogue.urls")),  # the office's side (issue 26)
    path("work/", include("workflows.workbench.urls")),
    path("supervision/", include("workflows.supervision.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("workflows.accounts.urls")),
    path("cases/", include(case_patterns)),
    path("letters/", include("letters.urls")),
    path("", include("workflows.catalogue.public_urls")),  # catalogue and guide (issue 26)
    path("", include("workflows.portal.urls")),
    path("api/v1/", include("workflows.api.urls")),
    path("captcha/", include("captcha.urls")),  # the application form's self-hosted CAPTCHA
    path("admin/", admin.site.urls),
]

# 503 when the database cannot be reached, else 500 (casework/server_error.py).
handler500 = "casework.server_error.server_error"
