from core.templatetags.content import text_blocks


def test_paragraphs_and_line_breaks():
    assert text_blocks("一行目\n二行目\n\n次の段落") == "<p>一行目<br>二行目</p>\n<p>次の段落</p>"


def test_dash_lines_become_a_list():
    assert text_blocks("- 一つ目\n- 二つ目") == "<ul><li>一つ目</li><li>二つ目</li></ul>"


def test_a_block_mixing_text_and_dashes_stays_a_paragraph():
    assert text_blocks("注意\n- 一つ目") == "<p>注意<br>- 一つ目</p>"


def test_html_is_escaped():
    assert text_blocks('<script>alert("x")</script>') == (
        "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>"
    )


def test_empty_input_renders_nothing():
    assert text_blocks("") == ""
    assert text_blocks(None) == ""
    assert text_blocks("\r\n\r\n") == ""
