"""The base model from its split wheels, and which model a report names."""

import sys

import pytest

from mock_interview.core.errors import ModelError
from mock_interview.core.speech import transcribe as t


def fake_wheels(tmp_path, monkeypatch, parts=(b"abc" * 1000, b"defg" * 700)):
    for k, (name, data) in enumerate(zip(("fakebase_part1", "fakebase_part2"), parts), 1):
        d = tmp_path / "site" / name / "data"
        d.mkdir(parents=True)
        (d.parent / "__init__.py").write_text("")
        (d / f"model.bin.part{k}").write_bytes(data)
        if k == 1:
            (d / "config.json").write_text("{}")
            (d / "tokenizer.json").write_text("{}")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    monkeypatch.setattr(t, "BASE_WHEELS", (("fakebase_part1", "fakebase_part2"),))


def test_base_model_is_joined_from_its_wheels_once(tmp_path, monkeypatch):
    fake_wheels(tmp_path, monkeypatch)
    out = t.base_model_path(tmp_path / "models")
    assert (out / "model.bin").read_bytes() == b"abc" * 1000 + b"defg" * 700
    assert {p.name for p in out.iterdir()} == {"model.bin", "config.json", "tokenizer.json"}
    stamp = (out / "model.bin").stat().st_mtime_ns
    assert t.base_model_path(tmp_path / "models") == out
    assert (out / "model.bin").stat().st_mtime_ns == stamp  # not joined again


def test_base_model_missing_says_how_to_install(monkeypatch):
    monkeypatch.setattr(t, "BASE_WHEELS", (("no_such_pkg_a", "no_such_pkg_b"),))
    with pytest.raises(ModelError, match="base-model"):
        t.resolve_model("base")
    assert t.default_model(cores=64) == t.BUNDLED_MODEL


def test_auto_picks_base_only_on_enough_cores(tmp_path, monkeypatch):
    fake_wheels(tmp_path, monkeypatch)
    assert t.default_model(cores=2) == "tiny.en"
    assert t.default_model(cores=t.BASE_MIN_CORES) == "base"
    monkeypatch.setattr(t.os, "cpu_count", lambda: 2)
    assert t.WhisperTranscriber("auto").name == "tiny.en"
    assert t.WhisperTranscriber("base").name == "base"
    assert t.WhisperTranscriber(None).name == "tiny.en"
    assert t.model_name(object()) is None
