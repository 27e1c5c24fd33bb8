"""The one e-mail builder's header cleaning (issue 20 item 4; French typography of issue 23)."""

from conference.mail import build_message, clean_header


def test_clean_header_folds_line_breaks_and_controls_into_one_space():
    assert clean_header("Budget\r\nBcc: everyone@example.org\t\x00x") == "Budget Bcc: everyone@example.org x"


def test_clean_header_keeps_no_break_spaces_of_french_typography():
    subject = "Invitation\u202f: réunion «\u202fSharm\u202f» \u00a0!"
    assert clean_header(subject) == subject


def test_built_message_subject_keeps_narrow_no_break_space():
    message = build_message(subject="Vous avez une place\u202f: Ouverture\r\n", text="x", to=["a@example.org"])
    assert message.subject == "Vous avez une place\u202f: Ouverture"
    assert "\n" not in message.message()["Subject"]
