"""The admin names every app and model in Chinese, the installed packages' ones included
(issue 24 point 5: it showed AXES, OTP_STATIC, WORKFLOW, Task Results)."""

import re

from django.contrib import admin
from django.utils import translation

import pytest

# Names that are Chinese with an acronym in them, as the project writes them.
ACRONYMS = re.compile(r"API|TOTP|PDF")


def _english(text: str) -> bool:
    return bool(re.search(r"[A-Za-z]{2}", ACRONYMS.sub("", text)))


def test_every_registered_app_and_model_has_a_chinese_name():
    with translation.override("zh-hans"):
        english = [
            f"{model._meta.app_label}: {name}"
            for model in admin.site._registry
            for name in (
                str(model._meta.app_config.verbose_name),
                str(model._meta.verbose_name),
                str(model._meta.verbose_name_plural),
            )
            if _english(name)
        ]
    assert english == []


@pytest.mark.django_db
def test_the_admin_index_reads_in_chinese(client, users):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    page = client.get("/admin/").content.decode()
    for name in ("登录锁定", "身份验证器", "备用验证码", "后台任务", "流程引擎", "流程任务"):
        assert name in page
    captions = re.findall(r"<caption>\s*<a [^>]*>([^<]+)</a>", page)
    assert captions
    assert [c for c in captions if _english(c)] == []
    rows = re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', page)
    assert rows
    assert [r for r in rows if _english(r)] == []
    # The table headers a screen reader reads out (Django has no zh-hans for them yet).
    headers = re.findall(r'<th scope="col">([^<]+)</th>', page)
    assert headers
    assert [h for h in headers if _english(h)] == []
