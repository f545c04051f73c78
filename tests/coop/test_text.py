import pytest

from coop.text import fold, fold_words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đồng Thái Bình", "dong thai binh"),
        ("đồng", "dong"),
        ("ĐỒNG", "dong"),
        ("Ủy ban nhân dân tỉnh Thái Bình", "uy ban nhan dan tinh thai binh"),
        ("Giống lúa TBR225", "giong lua tbr225"),
        ("Sở KH&CN  Hưng Yên", "so khcn hung yen"),
        ("KH, CN & ĐMST", "kh cn dmst"),
        ("Nghị quyết số 50-KL/TW", "nghi quyet so 50 kl tw"),
        # Composed and decomposed spellings of the same word fold alike.
        ("Tha\u0301i Bi\u0300nh", "thai binh"),
        ("Thái Bình", "thai binh"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_strips_vietnamese_diacritics_case_and_punctuation(text, folded):
    assert fold(text) == folded


def test_fold_words_keeps_each_distinct_word_once_in_typed_order():
    assert fold_words("  Giống LÚA  giống tbr ") == ["giong", "lua", "tbr"]


def test_fold_words_of_blank_query_is_empty():
    assert fold_words("   ") == []
    assert fold_words(None) == []
