from django.contrib import admin

from casework.catalogue.models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    """The catalogue's headings are data: the office adds, renames, orders and retires them."""

    list_display = ("name", "position", "is_active")
    list_editable = ("position", "is_active")
    ordering = ("position", "pk")
