"""The Vietnamese search rules as pure functions: tokens, query building, highlighting."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from archive.search import exact, fold, fts_query, highlight, index_text, phrase_query, snippet

NFD = lambda text: unicodedata.normalize("NFD", text)  # noqa: E731


@pytest.mark.parametrize(
    ("word", "same_as"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("Uỷ", "ủy"),
        ("ÐIỆN", "Điện"),  # U+00D0 written for Đ
        (NFD("mật"), "mật"),
        ("MẬT", "mật"),
    ],
)
def test_spellings_of_one_word_give_one_exact_token(word, same_as):
    assert exact(word) == exact(same_as) is not None


@pytest.mark.parametrize(("one", "other"), [("mật", "mắt"), ("mật", "mát"), ("mắt", "mát"), ("điên", "điện")])
def test_different_words_keep_different_exact_tokens(one, other):
    assert exact(one) != exact(other)
    assert fold(one) == fold(other)


def test_fold_is_plain_ascii_with_d_for_every_d():
    assert [fold(w) for w in ("Điện", "ÐIỆN", "đ", "Biên", "Nậm")] == ["dien", "dien", "d", "bien", "nam"]


def test_unmarked_words_have_no_exact_token():
    assert exact("OCOP") is None
    assert index_text("Mật ong OCOP 2021") == ("mâtj", "mat ong ocop 2021")


def test_query_words_with_marks_are_exact_without_marks_folded():
    query = fts_query("mật ong")
    assert '{title_exact body_exact}: "mâtj"' in query and '{title_fold body_fold}: "ong"' in query


def test_phrase_query_is_the_folded_words_in_order():
    assert phrase_query("Nông thôn MỚI") == '{title_fold body_fold}: "nong thon moi"'


@pytest.mark.parametrize("query", ['"', "AND", "NOT OR", "a*", "-x", "(", "NEAR(", "title_fold:", "^x", "'; drop"])
def test_any_typed_query_is_valid_fts5(query):
    connection = sqlite3.connect(":memory:")
    connection.execute("create virtual table t using fts5(title_exact, body_exact, title_fold, body_fold)")
    connection.execute("insert into t values ('', '', 'and not or a x near title fold drop', '')")
    connection.execute("select * from t where t match ?", [fts_query(query)]).fetchall()
    connection.execute("select * from t where t match ?", [phrase_query(query)]).fetchall()


def test_query_without_words_matches_nothing():
    connection = sqlite3.connect(":memory:")
    connection.execute("create virtual table t using fts5(title_exact, body_exact, title_fold, body_fold)")
    connection.execute("insert into t values ('', '', 'x', 'y')")
    assert connection.execute("select * from t where t match ?", [fts_query(" ?! ")]).fetchall() == []


def test_highlight_marks_matched_words_and_escapes_the_rest():
    text = "Mật ong <b>hoa ban</b> & mắt"
    assert highlight(text, "mat") == "<mark>Mật</mark> ong &lt;b&gt;hoa ban&lt;/b&gt; &amp; <mark>mắt</mark>"
    assert highlight(text, "mật") == "<mark>Mật</mark> ong &lt;b&gt;hoa ban&lt;/b&gt; &amp; mắt"
    assert highlight(NFD(text), "MẮT").endswith("<mark>mắt</mark>")


def test_snippet_is_a_window_around_the_matches():
    words = [f"từ{i}" for i in range(200)]
    words[120:122] = ["Điện", "Biên"]
    text = " ".join(words)
    result = snippet(text, "dien bien", size=20)
    assert result.startswith("… ") and result.endswith(" …")
    assert "<mark>Điện</mark> <mark>Biên</mark>" in result
    assert len(result.split()) < 30
