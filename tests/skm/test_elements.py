"""The nine elements follow the questionnaire of SKM.md §2."""

from sumberdaya.skm import ELEMENT_BY_CODE, ELEMENT_CODES, ELEMENTS


def test_there_are_nine_elements_numbered_u1_to_u9_in_questionnaire_order() -> None:
    assert [element.u for element in ELEMENTS] == list(range(1, 10))
    assert ELEMENT_CODES == (
        "persyaratan",
        "prosedur",
        "waktu",
        "biaya",
        "produk",
        "kompetensi",
        "perilaku",
        "sarana",
        "pengaduan",
    )


def test_sarana_is_asked_before_pengaduan_as_on_the_printed_questionnaire() -> None:
    assert ELEMENT_BY_CODE["sarana"].key == "u8"
    assert ELEMENT_BY_CODE["pengaduan"].key == "u9"


def test_each_element_stores_its_answer_in_the_column_named_after_its_number() -> None:
    assert [element.column for element in ELEMENTS] == [f"a{u}" for u in range(1, 10)]
    assert [element.key for element in ELEMENTS] == [f"u{u}" for u in range(1, 10)]


def test_lookup_by_code_returns_the_same_elements() -> None:
    assert tuple(ELEMENT_BY_CODE.values()) == ELEMENTS


def test_wording_and_labels_match_the_annex() -> None:
    biaya = ELEMENT_BY_CODE["biaya"]
    assert biaya.name == "Biaya/tarif"
    assert biaya.labels == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    perilaku = ELEMENT_BY_CODE["perilaku"]
    assert perilaku.question == (
        "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"
    )
    pengaduan = ELEMENT_BY_CODE["pengaduan"]
    assert pengaduan.name == "Penanganan pengaduan, saran dan masukan"
    assert pengaduan.labels == (
        "Tidak ada",
        "Ada tetapi tidak berfungsi",
        "Berfungsi kurang maksimal",
        "Dikelola dengan baik",
    )
    assert ELEMENT_BY_CODE["sarana"].labels == ("Buruk", "Cukup", "Baik", "Sangat baik")


def test_every_element_has_a_question_four_labels_and_a_definition() -> None:
    for element in ELEMENTS:
        assert element.question.startswith("Bagaimana") and element.question.endswith("?")
        assert len(element.labels) == 4 and all(element.labels)
        assert element.definition
