"""The Vietnamese search rules as pure functions: tokens, query building, highlighting."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest

from archive.search import exact, fold, fts_query, highlight, index_text, phrase_match, phrase_query, snippet

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
    assert index_text("Mật ong OCOP 2021") == ("mâtj 0 0 0", "mat ong ocop 2021")
    assert index_text("OCOP 2021") == ("", "ocop 2021")


def test_query_words_with_marks_are_exact_without_marks_folded():
    query = fts_query("mật ong")
    assert '{title_exact body_exact}: "mâtj"' in query and '{title_fold body_fold}: "ong"' in query


def test_phrase_query_is_the_words_in_order_exact_when_all_are_marked():
    assert phrase_query("nong thon MOI") == '{title_fold body_fold}: "nong thon moi"'
    assert phrase_query("Nông thôn MỚI") == '{title_exact body_exact}: "nông thôn mơis"'
    assert phrase_query("mật ong") == '{title_fold body_fold}: "mat ong"'  # `ong` may be `ông` in the text


def test_phrase_match_needs_every_word_as_typed():
    assert phrase_match("dien bien") == phrase_query("dien bien")
    assert phrase_match("Điện Biên") == phrase_query("Điện Biên")
    assert phrase_match("mật ong") == f"({fts_query('mật ong')}) AND ({phrase_query('mật ong')})"


def test_a_phrase_typed_with_marks_is_found_in_the_exact_column_despite_unmarked_words_between():
    connection = sqlite3.connect(":memory:")
    connection.execute("create virtual table t using fts5(title_exact, body_exact, title_fold, body_fold)")
    for rowid, text in enumerate(["Mật ong rừng", "Mật rừng ong", "mắt ong"]):
        connection.execute("insert into t(rowid, body_exact, body_fold) values (?, ?, ?)", (rowid, *index_text(text)))
    found = lambda query: [r[0] for r in connection.execute("select rowid from t where t match ?", [query])]  # noqa: E731
    assert found(phrase_match("mật ong")) == [0]
    assert found(phrase_match("mật rừng")) == [1]
    assert found(phrase_match("mat ong")) == [0, 2]


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
