"""LMS text to bank text: Moodle's formats, HTML comments removed whole, media listed, never dropped silently."""

from __future__ import annotations

from quiz.trainer.markup import join_source, split_source, strip_wildcards, to_html, to_text


def test_html_is_text_with_its_line_breaks() -> None:
    c = to_text("<p>第一段\n  接着第一段</p>\n<p>第二段 &amp; <b>粗体</b><br>换行</p>", "html")
    assert c.text == "第一段 接着第一段\n第二段 & 粗体\n换行" and c.media == []


def test_comments_go_whole_even_with_tags_inside() -> None:
    assert to_text("甲<!-- 备注 <b>x</b> > 还是备注 -->乙", "html").text == "甲乙"
    assert to_text("甲<!-- 没有结束", "moodle").text == "甲"


def test_media_is_listed() -> None:
    c = to_text('看图<img src="@@PLUGINFILE@@/a.png" alt="a"><audio controls><source src="b.mp3"></audio>'
                '<video src="c.mp4"></video>', "html")
    assert c.text == "看图"
    assert c.media == ["image '@@PLUGINFILE@@/a.png'", "audio", "media source 'b.mp3'", "video 'c.mp4'"]
    md = to_text("看 ![物流单](waybill.png) 这里", "markdown")
    assert md.text == "看 物流单 这里" and md.media == ["image 'waybill.png'"]


def test_plain_and_markdown_stay_as_written() -> None:
    assert to_text("<b>不是标签</b> &amp;", "plain").text == "<b>不是标签</b> &amp;"
    assert to_text("**粗体**\n- 一\n- 二", "markdown").text == "**粗体**\n- 一\n- 二"
    assert to_text("a < b and c > d", "moodle").text == "a < b and c > d"  # not a tag


def test_html_out_and_back_is_the_same_text() -> None:
    for text in ["多行\n题干", "a < b & c > d", "空行\n\n之后", "<b>字面</b>"]:
        assert to_text(to_html(text), "html").text == text


def test_source_rides_in_the_general_feedback() -> None:
    assert split_source(join_source("解析。", "种子文档·第 3 段")) == ("解析。", "种子文档·第 3 段")
    assert split_source(join_source(None, "出处")) == ("", "出处")
    assert split_source("没有来源的解析") == ("没有来源的解析", None)


def test_wildcards() -> None:
    assert strip_wildcards("*巴黎*") == ("巴黎", True)
    assert strip_wildcards("1\\*2") == ("1*2", False)
