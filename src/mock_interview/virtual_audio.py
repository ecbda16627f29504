"""A private PulseAudio server with a virtual speaker and a virtual microphone.

For end-to-end tests and benchmarks on machines without a sound card: the app plays
into the null sink ``speaker`` (whose monitor proves what was said), and records from
``answer.monitor``, into which :meth:`VirtualAudio.play_into_mic` plays a recording in
real time. Clients reach the server through ``XDG_RUNTIME_DIR`` (see :meth:`env`),
and sounddevice reaches it through ALSA's pulse plugin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

CONFIG = """\
load-module module-native-protocol-unix auth-anonymous=1
load-module module-null-sink sink_name=speaker rate=48000
load-module module-null-sink sink_name=answer rate=48000
set-default-sink speaker
set-default-source answer.monitor
"""


class VirtualAudioError(RuntimeError):
    pass


def available() -> bool:
    return all(shutil.which(tool) for tool in ("pulseaudio", "pactl", "paplay", "parec"))


class VirtualAudio:
    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder or tempfile.mkdtemp(prefix="mock-interview-pulse-"))
        self.runtime = self.folder / "runtime"
        self._server: subprocess.Popen | None = None
        self._recorders: list[subprocess.Popen] = []

    def env(self, base: dict | None = None) -> dict:
        env = dict(os.environ if base is None else base)
        env["XDG_RUNTIME_DIR"] = str(self.runtime)
        env["PULSE_RUNTIME_PATH"] = str(self.runtime / "pulse")
        env["HOME"] = env.get("HOME", str(self.folder))
        env.pop("PULSE_SERVER", None)
        return env

    def apply_to_process(self) -> None:
        """Point this process's own PortAudio at the server (before sounddevice loads)."""
        os.environ.update({k: v for k, v in self.env().items() if k in ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH")})

    def start(self, timeout: float = 15.0) -> "VirtualAudio":
        if not available():
            raise VirtualAudioError("pulseaudio and pulseaudio-utils are needed: run `make setup`")
        self.runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
        conf = self.folder / "server.pa"
        conf.write_text(CONFIG)
        log = open(self.folder / "pulseaudio.log", "wb")
        self._server = subprocess.Popen(
            ["pulseaudio", "-n", "-F", str(conf), "--exit-idle-time=-1", "--daemonize=no", "--log-target=stderr"],
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._server.poll() is not None:
                raise VirtualAudioError(f"pulseaudio exited: {(self.folder / 'pulseaudio.log').read_text()[-500:]}")
            ok = subprocess.run(["pactl", "info"], env=self.env(), capture_output=True)
            if ok.returncode == 0:
                return self
            time.sleep(0.1)
        self.stop()
        raise VirtualAudioError("pulseaudio did not start in time")

    def play_into_mic(self, path: Path) -> subprocess.Popen:
        """Play ``path`` into the virtual microphone in real time (returns at once)."""
        return subprocess.Popen(["paplay", "--device=answer", str(path)], env=self.env())

    def _recording_streams(self) -> int:
        out = subprocess.run(["pactl", "list", "short", "source-outputs"], env=self.env(), capture_output=True, text=True)
        return len(out.stdout.strip().splitlines())

    def record_speaker(self, path: Path, timeout: float = 15.0) -> subprocess.Popen:
        """Record what is played to the speaker into ``path`` (a WAV) until stopped.

        Returns once the server has the recording stream: on a busy machine parec can take
        seconds to connect, and what is played before that is not recorded.
        """
        streams = self._recording_streams()
        proc = subprocess.Popen(
            ["parec", "--device=speaker.monitor", "--file-format=wav", "--rate=16000", "--channels=1", str(path)],
            env=self.env(),
        )
        self._recorders.append(proc)
        deadline = time.monotonic() + timeout
        while self._recording_streams() <= streams:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise VirtualAudioError("parec did not start recording the speaker")
            time.sleep(0.05)
        return proc

    def stop(self) -> None:
        for proc in self._recorders:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
        if self._server and self._server.poll() is None:
            self._server.terminate()
            try:
                self._server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._server.kill()

    def __enter__(self) -> "VirtualAudio":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
