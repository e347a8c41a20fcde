"""Static files for production: WhiteNoise's compressed, hashed (cache-forever) storage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.staticfiles.apps import StaticFilesConfig as StaticFilesAppConfig

from whitenoise.storage import CompressedManifestStaticFilesStorage

if TYPE_CHECKING:
    from django.core.files.base import File


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed and compressed static files; tolerant of third-party CSS that refers to files its
    package does not ship (viewflow's CSS names Roboto fonts from node_modules): such a
    reference keeps its plain name instead of failing `collectstatic`."""

    manifest_strict = False

    def hashed_name(
        self, name: str, content: File[bytes] | None = None, filename: str | None = None
    ) -> str:
        try:
            return str(super().hashed_name(name, content, filename))
        except ValueError:
            return name


class StaticFilesConfig(StaticFilesAppConfig):
    """collectstatic without viewflow's own front end (49 MB of fonts, scripts and source
    maps the project's pages never load), so that collecting and compressing take seconds."""

    ignore_patterns = [*StaticFilesAppConfig.ignore_patterns, "viewflow"]
