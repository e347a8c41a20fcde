"""Admin of the case library: each organ's threshold for asking an applicant for reasons
(Art 35). The entries and postings are derived data (`manage.py library_rebuild`): not here."""

from django.contrib import admin

from casework.library.models import LibrarySettings


@admin.register(LibrarySettings)
class LibrarySettingsAdmin(admin.ModelAdmin[LibrarySettings]):
    list_display = ["organ", "volume_threshold"]
