"""The command line's bad-input contract: one line on stderr, exit status 2, no traceback."""

import subprocess
import sys

import numpy as np
import pytest
import soundfile


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mock_interview", *args], capture_output=True, text=True, timeout=300)


def assert_one_line_error(out: subprocess.CompletedProcess, *needles: str) -> None:
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    for needle in needles:
        assert needle in lines[0]


def test_missing_file(tmp_path):
    assert_one_line_error(run_cli("analyze", str(tmp_path / "nope.wav")), "not found", "nope.wav")


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    assert_one_line_error(run_cli("analyze", str(path)), "empty")


def test_not_audio(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("these are my notes, not a recording")
    assert_one_line_error(run_cli("analyze", str(path)), "not an audio file")


def test_folder_instead_of_file(tmp_path):
    assert_one_line_error(run_cli("analyze", str(tmp_path)), "folder")


def test_unknown_question(tmp_path):
    path = tmp_path / "quiet.wav"
    soundfile.write(path, np.zeros(8000, dtype=np.float32), 16000)
    assert_one_line_error(run_cli("analyze", str(path), "--question", "no-such-question"), "unknown question id")


def test_broken_bank(tmp_path):
    bank = tmp_path / "broken.toml"
    bank.write_text("[[questions]\nid = 1")
    path = tmp_path / "quiet.wav"
    soundfile.write(path, np.zeros(8000, dtype=np.float32), 16000)
    assert_one_line_error(run_cli("analyze", str(path), "--bank", str(bank)), "broken.toml", "TOML")


def test_model_name_is_not_fetched_without_permission(tmp_path):
    path = tmp_path / "quiet.wav"
    soundfile.write(path, np.zeros(8000, dtype=np.float32), 16000)
    assert_one_line_error(run_cli("analyze", str(path), "--model", "base.en"), "--allow-download")


def test_missing_model_folder(tmp_path):
    path = tmp_path / "quiet.wav"
    soundfile.write(path, np.zeros(8000, dtype=np.float32), 16000)
    assert_one_line_error(run_cli("analyze", str(path), "--model", str(tmp_path / "models" / "x")), "not found")


@pytest.mark.real_model
def test_ten_seconds_of_silence_gives_no_words(tmp_path):
    import json

    path = tmp_path / "silence.wav"
    soundfile.write(path, np.zeros(160000, dtype=np.float32), 16000)
    out = run_cli("analyze", str(path), "--json")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["transcript"] == "" and report["words"] == [] and report["fillers"] == []
    assert report["duration_s"] == 10.0 and report["first_word_s"] is None
    # Nothing voiced: the voice measures are null, not an error.
    assert report["prosody"]["pitch_range_st"] is None and report["prosody"]["pitch_median_hz"] is None
    assert report["prosody"]["trailing_off"] == [] and report["habits"]["hedges"] == []


@pytest.mark.real_model
def test_noise_gives_no_invented_words(tmp_path):
    import json

    rng = np.random.default_rng(7)
    path = tmp_path / "noise.wav"
    soundfile.write(path, (rng.standard_normal(160000) * 0.05).astype(np.float32), 16000)
    out = run_cli("analyze", str(path), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["words"] == []


def test_data_directory_that_cannot_be_written(tmp_path, speech_dir):
    import os

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    env = dict(os.environ, MOCK_INTERVIEW_DATA_DIR=str(blocker))
    out = subprocess.run(
        [sys.executable, "-m", "mock_interview", "analyze", str(speech_dir / "clips" / "mfa_um.flac"), "--save"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert_one_line_error(out, "data folder", str(blocker), "not saved")
    assert blocker.read_text() == "a file where the data folder should be"


def test_broken_settings_file_is_one_line_and_kept(tmp_path, isolated_home):
    import os

    settings = isolated_home / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("pause_s = 'long'\n")
    path = tmp_path / "quiet.wav"
    soundfile.write(path, np.zeros(8000, dtype=np.float32), 16000)
    env = dict(os.environ, MOCK_INTERVIEW_HOME=str(isolated_home))
    out = subprocess.run([sys.executable, "-m", "mock_interview", "analyze", str(path)], capture_output=True, text=True, env=env)
    assert_one_line_error(out, "settings.toml", "pause_s")
    assert settings.read_text() == "pause_s = 'long'\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["--model", "/x/m", "--bank", "a.toml", "--question", "q1", "analyze", "f.wav"],
        ["analyze", "f.wav", "--model", "/x/m", "--bank", "a.toml", "--question", "q1"],
        ["--model", "/y/other", "analyze", "--model", "/x/m", "f.wav", "--bank", "a.toml", "--question", "q1"],
    ],
)
def test_options_mean_the_same_before_and_after_the_subcommand(argv):
    from mock_interview.cli import build_parser, merge_shared

    args = merge_shared(build_parser().parse_args(argv))
    assert (args.model, args.bank, args.question, args.audio) == ("/x/m", ["a.toml"], "q1", "f.wav")


def test_banks_before_and_after_the_subcommand_add_up():
    from mock_interview.cli import build_parser, merge_shared

    args = merge_shared(build_parser().parse_args(["--bank", "a.toml", "questions", "--bank", "b.toml"]))
    assert args.bank == ["a.toml", "b.toml"]
    args = merge_shared(build_parser().parse_args(["--allow-download", "history", "--question", "q2"]))
    assert args.allow_download and args.question == "q2"


def test_model_before_the_subcommand_is_used_by_analyze(tmp_path):
    """The defect: `--model PATH analyze FILE` silently used the bundled model."""
    path = tmp_path / "a.wav"
    soundfile.write(path, np.zeros(8000, dtype=np.float32), 16000)
    assert_one_line_error(run_cli("--model", str(tmp_path / "models" / "x"), "analyze", str(path)), "not found")
