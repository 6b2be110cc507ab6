"""The filters that finish Django's stock admin markup (core/templatetags/admin_markup.py)."""

from __future__ import annotations

from django.utils.safestring import mark_safe

from core.templatetags.admin_markup import form_actions, row_header_scope


def test_a_form_without_action_gets_the_pages_address_and_others_keep_theirs():
    html = mark_safe(
        '<form method="post" id="a"></form><form action="/elsewhere/" method="post"></form>'
        '<FORM method="get"></FORM>'
    )
    assert form_actions(html, "/admin/projects/project/?q=1&o=2") == (
        '<form action="/admin/projects/project/?q=1&amp;o=2" method="post" id="a"></form>'
        '<form action="/elsewhere/" method="post"></form>'
        '<form action="/admin/projects/project/?q=1&amp;o=2" method="get"></FORM>'
    )


def test_the_address_cannot_break_out_of_the_attribute():
    html = form_actions(mark_safe('<form method="post">'), '/admin/?q="><x-hostile>')
    assert html == '<form action="/admin/?q=&quot;&gt;&lt;x-hostile&gt;" method="post">'


def test_text_not_marked_safe_is_escaped_not_trusted():
    assert form_actions("<form>", "/") == "&lt;form&gt;"
    assert row_header_scope('<th class="field-x">') == "&lt;th class=&quot;field-x&quot;&gt;"


def test_each_change_list_row_header_gets_a_row_scope():
    row = mark_safe(
        '<td class="action-checkbox"></td><th class="field-title"><a href="/x/">波力</a></th>'
        '<td class="field-status">公開</td>'
    )
    assert row_header_scope(row) == (
        '<td class="action-checkbox"></td><th scope="row" class="field-title">'
        '<a href="/x/">波力</a></th><td class="field-status">公開</td>'
    )
