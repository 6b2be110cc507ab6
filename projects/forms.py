from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Project, Theme


class ProjectFilterForm(forms.Form):
    """The project list's filters: a plain GET form, so it works without JavaScript."""

    status = forms.ChoiceField(
        label=_("状況"),
        choices=[("", _("すべて")), *Project.Status.choices],
        required=False,
    )
    theme = forms.ModelChoiceField(
        label=_("研究テーマ"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("すべて"),
    )
