from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "gss_code", "org_id", "kind", "tier", "region", "end_date")
    list_filter = ("kind", "tier", "sector", "region")
    search_fields = ("name", "gss_code", "org_id", "la_code")
    raw_id_fields = ("parent_county", "combined_authority")
    filter_horizontal = ("people",)
