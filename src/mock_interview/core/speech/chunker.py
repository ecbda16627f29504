"""Cutting a live audio stream into chunks at the speaker's pauses.

Each chunk ends in a pause (so no word is cut in two) and is long enough to give the
model context; a chunk that runs past the cap without a pause is cut at its quietest
moment. Silence with no speech in it is dropped, keeping the time offsets right.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.vad import Region, StreamVad, silences, speech_regions, united


@dataclass(frozen=True)
class ChunkerOptions:
    min_chunk_s: float = 20.0
    """No cut before this much audio: the model needs context (measured in bench/accuracy.py)."""
    max_chunk_s: float = 30.0
    """Cut here at the latest, pause or not: Whisper's own window."""
    min_pause_s: float = 0.3
    """A gap between speech regions (VAD-padded) at least this long is a cut point."""
    check_every_s: float = 0.5
    keep_silence_s: float = 1.0
    """Of a stretch with no speech, keep this much: speech may be starting."""
    vad_context_s: float = 2.0
    """Audio before ``min_chunk_s`` the VAD hears when it looks for a cut."""


@dataclass(frozen=True)
class Chunk:
    samples: np.ndarray
    offset_s: float
    """Where the chunk starts in the whole take."""
    at_end: bool = False
    """Cut in the pause the audio heard so far ended in: the speaker may have finished."""

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


VadFn = Callable[[np.ndarray], Sequence[Region]]


CUT_VAD = {"min_silence_ms": 200, "pad_ms": 100}
"""How the chunker's VAD hears speech (:func:`_vad`, and the stream's VAD where the chunker asks it)."""


def _vad(samples: np.ndarray) -> list[Region]:
    return speech_regions(samples, **CUT_VAD)


def _pauses(samples: np.ndarray) -> list[Region]:
    return speech_regions(samples, pad_ms=30, min_silence_ms=100)


class Chunker:
    def __init__(self, options: ChunkerOptions | None = None, vad: VadFn = _vad, pauses: VadFn | None = None) -> None:
        self.options = options or ChunkerOptions()
        self.vad = vad
        self.pauses: VadFn = pauses or (_pauses if vad is _vad else vad)
        """Speech split at every short pause (0.1 s), where a live take's look-ahead may end the words
        it keeps at stop (:meth:`~mock_interview.core.speech.live.StreamTranscriber.finish`): a fluent
        speaker's sentences run together for :attr:`vad` (the Piper voice at 218 words a minute: 18 s
        without a gap it hears), and all of that was decoded again after stop. A chunk is still cut
        only at :attr:`vad`'s pauses. A ``vad`` handed in (a test's) serves for both."""
        self._pending: list[np.ndarray] = []
        self._offset_n = 0
        self._unchecked_n = 0
        self._heard = False
        """Whether the pending audio is known to hold speech: no need to look again before a cut."""
        self.stream = StreamVad() if vad is _vad else None
        """Silero over the whole stream, heard once as it comes (:meth:`heard`); none with a
        ``vad`` handed in."""
        self._dropped: tuple[int, list[np.ndarray]] | None = None
        """Audio dropped as silence in which the stream's VAD heard speech, from where it starts in
        the stream: a chunk of its own once the run of such drops ends (:meth:`_drop`)."""
        self._ready: list[Chunk] = []


    def feed(self, samples: np.ndarray) -> list[Chunk]:
        if len(samples) == 0:
            return []
        self._pending.append(samples.astype(np.float32, copy=False))
        if self.stream is not None:
            self.stream.feed(samples)
        self._unchecked_n += len(samples)
        if self._unchecked_n < self.options.check_every_s * SAMPLE_RATE:
            return []
        self._unchecked_n = 0
        chunks: list[Chunk] = []
        while True:
            chunk = self._cut()
            chunks += self._ready
            self._ready = []
            if chunk is None:
                return chunks
            chunks.append(chunk)

    def heard(self, samples: np.ndarray, offset_s: float) -> list[Region]:
        """Speech in a piece of the stream that starts ``offset_s`` into it, in seconds from its
        start: what :attr:`vad` hears in the piece alone, and what the stream's own VAD heard there
        (:class:`~mock_interview.core.speech.vad.StreamVad`), together."""
        alone = list(self.vad(samples))
        if self.stream is None:
            return alone
        start = round(offset_s * SAMPLE_RATE)
        return united(alone, self.stream.regions(start, start + len(samples), **CUT_VAD))

    def peek(self) -> Chunk:
        """The audio not yet cut into a chunk, without consuming it."""
        if len(self._pending) > 1:
            self._pending = [np.concatenate(self._pending)]
        audio = self._pending[0] if self._pending else np.zeros(0, dtype=np.float32)
        return Chunk(audio, self._offset_n / SAMPLE_RATE)

    def finish(self) -> list[Chunk]:
        """The rest of the stream, if anyone spoke in it."""
        offset = self._offset_n / SAMPLE_RATE
        audio = np.concatenate(self._pending) if self._pending else np.zeros(0, dtype=np.float32)
        self._offset_n += len(audio)
        self._pending = []
        self._heard = False
        dropped = self._end_drops()
        if len(audio) == 0 or not self.vad(audio):
            return dropped
        return [*dropped, Chunk(audio, offset)]

    def _split(self, audio: np.ndarray, at: int, emit: bool, at_end: bool = False) -> Chunk | None:
        head, rest = audio[:at], audio[at:]
        chunk = Chunk(head, self._offset_n / SAMPLE_RATE, at_end) if emit else None
        if emit:
            self._ready += self._end_drops()
        else:
            self._drop(head)
        self._offset_n += at
        self._pending = [rest]
        self._heard = False
        return chunk

    def _drop(self, head: np.ndarray) -> None:
        """``head`` of the pending audio is let go as silence, as :attr:`vad` heard none in it. Where
        the stream's VAD heard speech in it (a fresh Silero is deaf to the first second or so of
        speech, and the looks start afresh each time), it is kept: a run of such drops becomes one
        chunk of its own, ahead of the next, so the coverage check hears it. The cuts are those the
        chunker makes without it."""
        start = self._offset_n
        if self.stream is None or not self.stream.regions(start, start + len(head), **CUT_VAD):
            self._ready += self._end_drops()
            return
        if self._dropped is not None and self._dropped[0] + sum(map(len, self._dropped[1])) == start:
            self._dropped[1].append(head)
        else:
            self._ready += self._end_drops()
            self._dropped = (start, [head])

    def _end_drops(self) -> list[Chunk]:
        """The kept run of dropped audio (:meth:`_drop`) as a chunk, if there is one."""
        if self._dropped is None:
            return []
        start, pieces = self._dropped
        self._dropped = None
        return [Chunk(np.concatenate(pieces), start / SAMPLE_RATE)]

    def _cut(self) -> Chunk | None:
        o = self.options
        audio = np.concatenate(self._pending) if len(self._pending) != 1 else self._pending[0]
        self._pending = [audio]
        duration = len(audio) / SAMPLE_RATE
        if duration < o.min_chunk_s:
            # Before a cut is allowed the only question is whether anyone spoke yet; once
            # they have, the VAD is not run again on the growing buffer (it cost more than
            # Whisper on files).
            if self._heard:
                return None
            if not self.vad(audio):
                if duration > o.keep_silence_s + o.check_every_s:
                    return self._split(audio, len(audio) - int(o.keep_silence_s * SAMPLE_RATE), emit=False)
                return None
            self._heard = True
            return None
        # A cut falls after min_chunk_s, in a pause that earlier looks would have found if it
        # had ended: the VAD hears only the newest audio, with a little context before it.
        look_s = o.check_every_s + o.min_pause_s + o.vad_context_s
        skip = 0 if not self._heard else max(0, int((max(o.min_chunk_s, duration - look_s) - o.vad_context_s) * SAMPLE_RATE))
        regions = [Region(r.start + skip / SAMPLE_RATE, r.end + skip / SAMPLE_RATE) for r in self.vad(audio[skip:])]
        if not regions:
            if not self._heard and duration > o.keep_silence_s + o.check_every_s:
                return self._split(audio, len(audio) - int(o.keep_silence_s * SAMPLE_RATE), emit=False)
            if not self._heard:
                return None
            # Speech earlier, silence since: cut at the cap as before (no pause starts late enough).
            regions = [Region(0.0, skip / SAMPLE_RATE)]
        self._heard = True
        # Pauses: between speech regions, and after the last one if the audio ends quiet.
        cuts = [
            ((start + end) / 2, False) if end < duration else (min(end, start + 0.2), True)
            for start, end in silences(regions, after=duration)
            if end - start >= o.min_pause_s and start >= o.min_chunk_s
        ]
        cuts = [cut for cut in cuts if cut[0] <= o.max_chunk_s]
        if cuts:
            at, at_end = cuts[0]
            return self._split(audio, int(at * SAMPLE_RATE), emit=True, at_end=at_end)
        if duration >= o.max_chunk_s:
            return self._split(audio, _quietest(audio, o.max_chunk_s), emit=True)
        return None


def _quietest(audio: np.ndarray, cap_s: float, search_s: float = 3.0, frame_s: float = 0.02) -> int:
    """The sample index of the quietest 20 ms frame in the last ``search_s`` before ``cap_s``."""
    frame = int(frame_s * SAMPLE_RATE)
    end = min(len(audio), int(cap_s * SAMPLE_RATE))
    start = max(frame, end - int(search_s * SAMPLE_RATE))
    window = audio[start:end]
    n = len(window) // frame
    if n == 0:
        return end
    energy = (window[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    return start + int(np.argmin(energy)) * frame + frame // 2
