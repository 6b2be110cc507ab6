"""Projects as a spreadsheet (CSV/XLSX) staff export from the admin, with Japanese headers."""

from __future__ import annotations

from import_export import fields, widgets

from core.spreadsheets import ChoiceLabelWidget, ExportOnlyResource, YesNoWidget, wareki_column

from .models import Project


class ProjectResource(ExportOnlyResource):
    id = fields.Field(attribute="id", column_name="ID")
    title_ja = fields.Field(attribute="title_ja", column_name="名称")
    title_en = fields.Field(attribute="title_en", column_name="名称（英語）")
    slug = fields.Field(attribute="slug", column_name="URL用の名前")
    status = fields.Field(
        attribute="status", column_name="状況", widget=ChoiceLabelWidget(Project.Status)
    )
    start_fiscal_year = fields.Field(attribute="start_fiscal_year", column_name="開始年度")
    start_wareki = fields.Field(column_name="開始年度（和暦）", readonly=True)
    end_fiscal_year = fields.Field(attribute="end_fiscal_year", column_name="終了年度")
    end_wareki = fields.Field(column_name="終了年度（和暦）", readonly=True)
    summary_ja = fields.Field(attribute="summary_ja", column_name="概要")
    accepts_donations = fields.Field(
        attribute="accepts_donations", column_name="寄附を募集中", widget=YesNoWidget()
    )
    publication_state = fields.Field(column_name="公開状態", readonly=True)
    published_at = fields.Field(
        attribute="published_at", column_name="公開日時", widget=widgets.DateTimeWidget()
    )
    updated_at = fields.Field(
        attribute="updated_at", column_name="更新日時", widget=widgets.DateTimeWidget()
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "title_ja",
            "title_en",
            "slug",
            "status",
            "start_fiscal_year",
            "start_wareki",
            "end_fiscal_year",
            "end_wareki",
            "summary_ja",
            "accepts_donations",
            "publication_state",
            "published_at",
            "updated_at",
        ]

    def dehydrate_publication_state(self, project):
        return str(project.publication_state.label)

    def dehydrate_start_wareki(self, project):
        return wareki_column(project.start_fiscal_year)

    def dehydrate_end_wareki(self, project):
        return wareki_column(project.end_fiscal_year)
