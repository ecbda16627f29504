import pytest

from mock_interview.core.store.settings import Settings, SettingsError, load_settings


def test_no_file_gives_defaults(tmp_path):
    assert load_settings(tmp_path / "settings.toml") == Settings()


def test_values_are_read(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text('voice = "brisk"\npause_s = 3\nwrap_up_cue_s = 0\n')
    s = load_settings(path)
    assert (s.voice, s.pause_s, s.wrap_up_cue_s) == ("brisk", 3.0, 0.0)


@pytest.mark.parametrize(
    "text,needle",
    [
        ('pause_s = "long"\n', "setting 'pause_s' must be float"),
        ("speak_questions = 1\n", "setting 'speak_questions' must be bool"),
        ("colour = 'red'\n", "unknown setting 'colour'"),
        ("pause_s = -1\n", "must not be negative"),
        ("pause_s = \n", "not valid TOML"),
    ],
)
def test_bad_settings_are_one_clear_line_and_the_file_is_kept(tmp_path, text, needle):
    path = tmp_path / "settings.toml"
    path.write_text(text)
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert needle in str(err.value) and str(path) in str(err.value)
    assert "\n" not in str(err.value)
    assert path.read_text() == text
