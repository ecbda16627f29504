"""Transcribing while the user speaks, so that at stop only the tail is left.

Audio arrives in small pieces (16 kHz mono) through :meth:`LiveTranscription.feed`,
which only queues them. One background thread cuts the stream at pauses
(:mod:`chunker`) and transcribes each finished chunk while recording goes on; words
are shifted to their time in the whole take. :meth:`finish` waits for what is in
flight and transcribes only the unfinished tail. Audio already transcribed is not
kept, so memory stays flat however long the take.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Iterable, Sequence

import numpy as np

from mock_interview.core.speech.audio import SAMPLE_RATE
from mock_interview.core.speech.chunker import CUT_VAD, Chunk, Chunker, ChunkerOptions, VadFn
from mock_interview.core.speech.coverage import (
    COVER_WIDEN_S, bare_stretches, cover, fitted_to_speech, held_runs, hesitations_heard_alone, left_bare, one_by_one,
    unsure, unsure_hesitations, widened,
)
from mock_interview.core.speech.vad import Region, Sound, silences
from mock_interview.core.speech.transcribe import CONTEXT_WORDS, Transcriber
from mock_interview.core.speech.words import Word

_END = object()
CONTEXT_KEEP = 3 * CONTEXT_WORDS
"""Words said before a piece handed to the transcriber (it keeps the last
:data:`~mock_interview.core.speech.transcribe.CONTEXT_WORDS` that are not hesitations)."""


SKIPPED_S = 1.0
"""A stretch of speech still bare after the second try, this long or longer, may be a phrase
the decode with context skipped (:meth:`StreamTranscriber._heard`)."""

IDLE_S = 0.25
"""How long the worker waits for audio before looking again."""

PIECE_S = 0.5
"""Audio is handed to the chunker in pieces that end at whole multiples of this much of the
take, so its buffer stays short and it looks for cuts at the same moments of the audio
however the blocks arrived."""

SPEC_STEP_S = 2.0
"""A live take is transcribed ahead only when its unfinished chunk reaches a whole multiple
of this length: what a look-ahead holds depends on the audio, never on when the worker ran."""

HEARD_AFTER_S = 1.5
"""A look-ahead keeps its words up to a pause that ends at least this long before the audio it
heard ends: Whisper hears the last words of a window worse when little follows them. On the dev
corpus and 45 dev story answers (68 files, the words a live take keeps at stop) 0.3 s gave WER
0.0728 to 0.0734, and 1.5 s 0.0719, 0.0718 with :data:`SILENT_S` (a look-ahead at every step, its
words kept up to a pause 0.3 s or more before its end: 0.0721)."""

SILENT_S = 1.0
"""A live take whose speech ended this long ago or more has its words after the look-ahead's last
pause decoded while the speaker is silent (:meth:`StreamTranscriber._kept`): shown on screen, and
found done by a stop that follows."""

END_PAD_S = 0.5
"""Silence after the last speech that the words after the last pause are decoded with, however long
the speaker then waited before pressing stop."""


class StreamTranscriber:
    """Cuts 16 kHz audio at pauses and transcribes it chunk by chunk, as it comes.

    Memory holds one chunk of audio however long the stream. Between chunks, a live
    take can :meth:`speculate`: transcribe the unfinished chunk as it stands, so that
    at :meth:`finish` only the words after its last pause are left to transcribe.
    """

    def __init__(
        self,
        transcriber: Transcriber,
        chunker: Chunker | None = None,
        on_words: Callable[[list[Word]], None] | None = None,
        check_coverage: bool = True,
        speculative: bool = False,
        said_before: Sequence[str] = (),
    ) -> None:
        self.transcriber = transcriber
        self.said_before = list(said_before)
        """Words said before the take began (the question the interviewer asked), told to the decoder
        of the first chunk as the words of earlier chunks are told to later ones."""
        self.chunker = chunker or Chunker()
        self.on_words = on_words
        self.check_coverage = check_coverage
        self.speculative = speculative
        """Whether :meth:`finish` keeps the words of a look-ahead (a live take) or transcribes
        the whole unfinished chunk (a file)."""
        self.words: list[Word] = []
        self.uncovered: list[Region] = []
        """Speech the VAD heard that stayed without words after a second try, in take time."""
        self.sounds: list[Sound] = []
        """Stretches the second try named as sounds (laughter, a sigh), in take time: heard, not lost."""
        self.received = 0
        self._specs: dict[tuple[float, int], tuple[list[Word], list[Region]]] = {}
        """Look-aheads of the unfinished chunk by (its offset, samples heard): their words and the
        speech they left bare before their last pause."""
        self._latest: tuple[float, int] | None = None
        self._plans: dict[tuple[float, int], tuple[int, float | None]] = {}
        """What the stop would keep (:meth:`_plan`), by (chunk offset, samples heard)."""
        self._rests: dict[tuple[float, float, float], tuple[list[Word], list[Region]]] = {}
        """The words after the last pause of an unfinished chunk whose speech has ended, by (chunk offset,
        that pause, where the speech ended): heard (:meth:`_kept`) while the speaker is silent."""
        self._quiet_checked = (0.0, 0)
        """The unfinished chunk (offset, samples) when it was last looked at for an end of speech."""
        self._retries: dict[tuple[int, int], list[Word]] = {}
        """Second tries by where they were in the take: a speculation does not redo them."""
        self._alone: dict[tuple, str | None] = {}
        """Unsure words heard again alone (:func:`unsure_hesitations`), kept the same way."""
        self._told: list[str] = []
        """The last words of the take's committed chunks as their first decodes heard them (:meth:`_context`)."""
        self._checks: ThreadPoolExecutor | None = None
        self._pending: list[Future] = []
        """A file's chunks whose coverage is being checked while the next is decoded (:meth:`_chunk`)."""
        self._each = getattr(transcriber, "each", one_by_one)
        """How the pieces of a chunk heard again go to the transcriber: side by side where it can."""
        self._held: Chunk | None = None
        """A live take's chunk cut in the pause its audio then ended in (:meth:`_take`): decoded once
        speech follows, else the take's last chunk."""
        self._held_heard = False
        """Whether the words a stop would keep of the held chunk have been heard (:meth:`speculate`)."""

    def _transcribe(
        self, samples: np.ndarray, offset_s: float, before: Sequence[Word] = (), ahead: bool = False
    ) -> list[Word]:
        """Words of a piece of the take, in take time. The decoder is told the words said
        before it (:meth:`_context`). A piece of the unfinished chunk (``ahead``: what a stop may
        wait for) is decoded as the transcriber decodes such pieces, where it has a way."""
        decode = (ahead and getattr(self.transcriber, "transcribe_ahead", None)) or self.transcriber.transcribe
        return [w.shifted(offset_s) for w in decode(samples, context=self._context(before))]

    def _anew(self, samples: np.ndarray, offset_s: float, ahead: bool = False) -> list[Word]:
        """A piece of the take decoded again, told nothing said before it, in take time."""
        anew = (ahead and getattr(self.transcriber, "transcribe_anew_ahead", None)) or getattr(
            self.transcriber, "transcribe_anew", None
        )
        words = anew(samples) if anew is not None else self.transcriber.transcribe(samples, context=[])
        return [w.shifted(offset_s) for w in words]

    def _context(self, before: Sequence[Word] = ()) -> list[str]:
        """The words said before a piece of the take: the question asked, the take's earlier chunks
        as their first decodes heard them, and ``before`` (what the unfinished chunk holds ahead
        of the piece). As Whisper's one long call is told its own earlier decodes; and a chunk's
        decode need not wait for the checks of the chunk before it."""
        return [*self.said_before, *self._told, *(w.text for w in before)][-CONTEXT_KEEP:]

    def _heard(
        self, samples: np.ndarray, offset_s: float, regions: Sequence[Region] | None = None, before: Sequence[Word] = ()
    ) -> tuple[list[Word], list[Region]]:
        """A piece of the take transcribed (told what was said before it) and its coverage
        checked (:meth:`_checked`). Used only for pieces of a live take's unfinished chunk, whose
        decodes are ``ahead`` (:meth:`_transcribe`)."""
        return self._checked(samples, offset_s, *self._first(samples, offset_s, before, ahead=True), regions, ahead=True)

    def _first(
        self, samples: np.ndarray, offset_s: float, before: Sequence[Word] = (), ahead: bool = False
    ) -> tuple[list[Word], bool]:
        """The first decode of a piece of the take, and whether it was told the words said before it."""
        told = bool(self._context(before)) and getattr(self.transcriber, "hears_context", True)
        return self._transcribe(samples, offset_s, before, ahead), told

    def _checked(
        self,
        samples: np.ndarray,
        offset_s: float,
        words: list[Word],
        told: bool,
        regions: Sequence[Region] | None = None,
        ahead: bool = False,
    ) -> tuple[list[Word], list[Region]]:
        """The first decode's ``words`` of a piece of the take with its coverage checked
        (:meth:`_covered`). Context can also make Whisper skip speech (a phrase said again reads
        as already written): if the decoder was ``told`` the words before and a second or more
        stays bare after the second try, the piece is decoded again without context, and the
        result that leaves less speech bare is kept. A shorter stretch (a breath, a held "uhh")
        is the second try's alone, and a whole decode for each cost time."""
        words, bare = self._covered(samples, offset_s, words, regions)
        if self.check_coverage and told and _bare_s(bare, SKIPPED_S):
            alone, alone_bare = self._covered(samples, offset_s, self._anew(samples, offset_s, ahead), regions)
            if _bare_s(alone_bare) < _bare_s(bare):
                words, bare = alone, alone_bare
        return self._hesitations(samples, offset_s, words, bare)

    def _hesitations(
        self, samples: np.ndarray, offset_s: float, words: list[Word], bare: list[Region]
    ) -> tuple[list[Word], list[Region]]:
        """``words`` and ``bare`` (take time) with each bare stretch that is a hesitation heard
        alone (:func:`hesitations_heard_alone`) written as one. Done once the decode is chosen:
        a held hesitation is bare speech the decode left, and still tells :meth:`_heard` that
        a decode without context may hear more."""
        alone = getattr(self.transcriber, "hesitation_alone", None)
        stretches = [r.shifted(-offset_s) for r in bare if not isinstance(r, Sound)]
        if alone is None or not stretches:
            return words, bare
        found, left = hesitations_heard_alone(
            samples, stretches, alone, cache=self._alone, offset_s=offset_s, each=self._each
        )
        if found:
            words = sorted([*words, *(w.shifted(offset_s) for w in found)], key=lambda w: (w.start, w.end))
        return words, [*(r.shifted(offset_s) for r in left), *(r for r in bare if isinstance(r, Sound))]

    def _covered(
        self, samples: np.ndarray, offset_s: float, words: list[Word], regions: Sequence[Region] | None = None
    ) -> tuple[list[Word], list[Region]]:
        """``words`` of a piece of the take with the speech they left bare transcribed again,
        and what stayed bare (in take time), with the sounds named there as :class:`Sound`
        among it (:meth:`_commit` tells them apart)."""
        if not self.check_coverage:
            return words, []
        if regions is None:
            regions = self.chunker.heard(samples, offset_s)
        until = regions[-1].end if regions else 0.0
        regions = widened(regions, COVER_WIDEN_S, len(samples) / SAMPLE_RATE)
        local = [w.shifted(-offset_s) for w in words]
        again = getattr(self.transcriber, "transcribe_again", self.transcriber.transcribe)
        sounds: list[Sound] = []
        alone = getattr(self.transcriber, "hesitation_alone", None)
        until_s = until + COVER_WIDEN_S

        def tried_again() -> tuple[list[Word], list[Region]]:
            return cover(
                samples, local, regions, again, cache=self._retries, offset_s=offset_s, sounds=sounds, each=self._each
            )

        runs = getattr(self.transcriber, "hesitations_alone", None)

        def heard_alone(words: list[Word]) -> list[Word]:
            if alone is not None:
                words = unsure_hesitations(
                    samples, words, alone, cache=self._alone, offset_s=offset_s, until_s=until_s, each=self._each
                )
            if runs is not None:
                words = held_runs(
                    samples, words, runs, cache=self._alone, offset_s=offset_s, until_s=until_s, each=self._each
                )
            return words

        if alone is not None and bare_stretches(regions, local) and any(unsure(w, until_s) for w in local):
            # The bare speech tried again and the unsure words heard alone, side by side; a word
            # the retry added or retimed is heard alone after it (the rest come from the cache).
            (local, bare), _ = self._each(lambda job: job(), [tried_again, lambda: heard_alone(local)])
        else:
            local, bare = tried_again()
        local = heard_alone(local)
        local = fitted_to_speech(local, regions)
        bare = left_bare(regions, local, bare, sounds)
        return [w.shifted(offset_s) for w in local], [r.shifted(offset_s) for r in (*bare, *sounds)]

    def _publish(self, pending: list[Word] | None = None) -> None:
        """Tell ``on_words`` the words so far: the committed ones, then ``pending`` (the unfinished
        chunk's), else the latest look-ahead's."""
        if self.on_words:
            if pending is None:
                spec = self._specs.get(self._latest) if self._latest else None
                pending = spec[0] if spec else []
            self.on_words(self.words + pending)

    def _commit(self, words: list[Word], uncovered: Sequence[Region] = ()) -> None:
        self._specs.clear()
        self._plans.clear()
        self._rests.clear()
        self._latest = None
        self._retries.clear()
        self._alone.clear()
        self.uncovered.extend(r for r in uncovered if not isinstance(r, Sound))
        self.sounds = sorted([*self.sounds, *(r for r in uncovered if isinstance(r, Sound))], key=lambda r: r.start)
        if words:
            self.words.extend(words)
            self._publish()

    def add(self, block: np.ndarray) -> None:
        piece = int(PIECE_S * SAMPLE_RATE)
        i = 0
        while i < len(block):
            n = min(len(block) - i, piece - self.received % piece)
            self.received += n
            for chunk in self.chunker.feed(block[i : i + n]):
                self._take(chunk)
            if self._held is not None and self.received % piece == 0 and self._spoken_since_held():
                self._release()
            i += n

    def _take(self, chunk: Chunk) -> None:
        """A chunk the chunker cut. A live take holds one cut in the pause the audio then ended in:
        if the take ends there, it is the last chunk, whose words the stop keeps from the look-ahead
        made while the user spoke (:meth:`finish`); decoded whole at the cut, it kept the stop waiting
        for the decode and its checks (4.4 and 7.1 s in 12 dB noise). It is decoded whole, as any chunk,
        once speech follows it: the same words as a chunk never held."""
        self._release()
        if self.speculative and chunk.at_end and self._plan(chunk.samples, chunk.offset_s)[1] is not None:
            self._held, self._held_heard = chunk, False
        else:
            self._chunk(chunk.samples, chunk.offset_s)

    def _release(self) -> None:
        """Decode the held chunk (:meth:`_take`), if there is one."""
        held, self._held = self._held, None
        if held is not None:
            self._chunk(held.samples, held.offset_s)

    def _spoken_since_held(self) -> bool:
        """Whether speech began after the chunk held (:meth:`_take`; there must be one), by the audio
        heard up to a whole piece of the take: the same whenever the worker looks."""
        held = self._held
        stream = self.chunker.stream
        if stream is None:
            return bool(self.chunker.vad(self.chunker.peek().samples))
        start = round(held.offset_s * SAMPLE_RATE) + len(held.samples)
        return any(r.start > 0.0 for r in stream.regions(start, self.received, **CUT_VAD))

    def _chunk(self, samples: np.ndarray, offset_s: float) -> None:
        """A finished chunk: decoded now, its coverage checked and its words committed in order.
        A file's chunk is checked on a thread of its own while the next chunk is decoded (the
        checks' small decodes and a chunk's decode leave each other room on two cores); a live
        take's at once, so that the look-ahead that follows finds its checks done."""
        words, told = self._first(samples, offset_s)
        self._told = [*self._told, *(w.text for w in words)][-CONTEXT_KEEP:]
        if self.speculative:
            self._commit(*self._checked(samples, offset_s, words, told))
            return
        self._raise_failed()
        if self._checks is None:
            self._checks = ThreadPoolExecutor(1, thread_name_prefix="coverage-check")
        self._pending.append(
            self._checks.submit(lambda: self._commit(*self._checked(samples, offset_s, words, told)))
        )

    def close(self) -> None:
        """Stop checking chunks (a stream given up halfway: a bad file, a cancelled take)."""
        if self._checks is not None:
            self._checks.shutdown(cancel_futures=True)
            self._checks = None

    def _raise_failed(self, wait: bool = False) -> None:
        """Raise what went wrong in a chunk's checks (waiting for them all if ``wait``)."""
        done = self._pending if wait else [f for f in self._pending if f.done()]
        for f in done:
            f.result()
        self._pending = [f for f in self._pending if f not in done]

    def speculate(self) -> bool:
        """Transcribe the unfinished chunk ahead where that adds to what a stop keeps (:meth:`_plan`),
        or, once the speaker has been quiet :data:`SILENT_S`, its words after the look-ahead's last
        pause (:meth:`_kept`); returns whether it did either. With a chunk held (:meth:`_take`), the
        words a stop would keep of it, once."""
        if self._held is not None:
            if self._held_heard:
                return False
            self._held_heard = True
            self._publish(self._at_stop(self._held)[0])
            return True
        pending = self.chunker.peek()
        n, cut = self._plan(pending.samples, pending.offset_s)
        if n == 0:
            return False
        if (pending.offset_s, n) not in self._specs:
            self._look_ahead(pending.samples, pending.offset_s, n)
            self._publish()
            return True
        offset, heard = self._quiet_checked
        if cut is None or (offset == pending.offset_s and len(pending.samples) - heard < PIECE_S * SAMPLE_RATE):
            return False
        self._quiet_checked = (pending.offset_s, len(pending.samples))
        ended = self._ended(pending.samples, cut)
        if ended is None or _rest_key(pending.offset_s, cut, ended, len(pending.samples)) in self._rests:
            return False
        # The speaker has gone quiet: hear the words after the last pause now, not at stop.
        self._publish(self._kept(pending.samples, pending.offset_s, n, cut, ended)[0])
        return True

    def _plan(self, samples: np.ndarray, offset_s: float) -> tuple[int, float | None]:
        """What the stop would keep if the take ended with ``samples`` (the unfinished chunk, heard
        up to its last whole step): the words of the look-ahead at the first whole step at which the
        chunk's last pause lay :data:`HEARD_AFTER_S` behind, up to the middle of that pause (seconds
        into the chunk). As (samples that look-ahead hears, that pause); with no such pause, the last
        whole step, or the first that lay as far after the end of the chunk's only stretch of speech,
        and None (the stop decodes the whole chunk); (0, None) before the first step.

        Its words up to that pause are all a later look-ahead would add to the report, so a fluent
        speaker's chunk is looked ahead about once a sentence, not at every step, and the stop seldom
        waits for a look-ahead it does not use; and one made at stop (a busy worker) is the one an
        idle worker made: the audio alone decides."""
        n = _steps(len(samples))
        if n == 0:
            return 0, None
        key = (offset_s, n)
        if key not in self._plans:
            pauses = self.chunker.pauses(samples[:n])
            gap = _last_gap(pauses, n / SAMPLE_RATE)
            # Heard far enough behind: the last pause's end, or, with one stretch of speech and then
            # silence, that speech's end (no later look-ahead shows anything new; the stop decodes
            # such a chunk whole).
            end = gap[1] if gap else pauses[-1].end if pauses else None
            if end is None or end + HEARD_AFTER_S > n / SAMPLE_RATE:
                self._plans[key] = (n, None)
            else:
                self._plans[key] = (min(n, _steps_up(end + HEARD_AFTER_S)), sum(gap) / 2 if gap else None)
        return self._plans[key]

    def _ended(self, samples: np.ndarray, cut: float) -> float | None:
        """Where the speech of the unfinished chunk ``samples`` ended (seconds into it), if
        :data:`SILENT_S` or more of silence follows it; heard from the pause at ``cut`` on, so that
        the short stretch after it is all the VAD hears, and a stop hears the end where the
        worker did."""
        pauses = self.chunker.pauses(samples[int(cut * SAMPLE_RATE) :])
        if not pauses or (len(samples) - int(cut * SAMPLE_RATE)) / SAMPLE_RATE - pauses[-1].end < SILENT_S:
            return None
        return cut + pauses[-1].end

    def _kept(
        self, samples: np.ndarray, offset_s: float, n: int, cut: float, ended: float | None
    ) -> tuple[list[Word], list[Region]]:
        """The words a stop keeps of the unfinished chunk ``samples`` (take time), and the speech they
        leave bare: the look-ahead's (its first ``n`` samples) before the pause at ``cut``, then the
        rest decoded told them. When the speech ``ended`` (:meth:`_ended`), the rest is decoded up to
        :data:`END_PAD_S` after that, and kept: the worker hears it while the speaker is silent, and the
        same audio gives the same words at stop however long the silence. The chunk's whole speech is
        heard (VAD) only where the rest runs to its end."""
        spec_words, spec_bare = self._look_ahead(samples, offset_s, n)
        kept = [w for w in spec_words if (w.start + w.end) / 2 - offset_s < cut]
        kept_bare = [r for r in spec_bare if r.start - offset_s < cut]
        start = int(cut * SAMPLE_RATE)
        key = _rest_key(offset_s, cut, ended, len(samples))
        if key not in self._rests:
            if ended is None:
                piece = samples[start:]
                after = _after(self.chunker.heard(samples, offset_s), cut)
            else:
                piece = samples[start : int((ended + END_PAD_S) * SAMPLE_RATE)]
                after = self.chunker.heard(piece, offset_s + cut)
            self._rests[key] = self._heard(piece, offset_s + cut, after, kept) if after else ([], [])
        new, new_bare = self._rests[key]
        return kept + new, kept_bare + new_bare

    def _look_ahead(self, samples: np.ndarray, offset_s: float, n: int) -> tuple[list[Word], list[Region]]:
        """Transcribe the first ``n`` samples of the unfinished chunk and check the coverage of
        what lies before their last pause; kept until the chunk is cut."""
        key = (offset_s, n)
        if key in self._specs:
            return self._specs[key]
        head = samples[:n]
        regions = self.chunker.heard(head, offset_s)
        words: list[Word] = []
        bare: list[Region] = []
        if regions:
            # A full-quality pass: its words before the last pause are kept in the report, and a
            # greedy draft was measured to drop hesitations there. Their coverage is checked now,
            # while the user speaks, so that the stop has only the tail left to do.
            _, cut = self._plan(head, offset_s)
            if cut is None:
                words = self._transcribe(head, offset_s, ahead=True)
            else:
                words, bare = self._heard(head, offset_s, _before(regions, cut))
        # The stop wants the latest (or, if its audio ends in a pause the VAD hears differently,
        # one of the last few): older ones, and other chunks', go.
        mine = sorted(k for k in self._specs if k[0] == offset_s)
        for old in [k for k in self._specs if k[0] != offset_s] + mine[:-2]:
            del self._specs[old]
        self._specs[key] = (words, bare)
        self._latest = key
        return words, bare

    def finish(self) -> list[Word]:
        try:
            rest = self.chunker.finish()
            if self._held is not None and not rest:
                rest, self._held = [self._held], None  # the take ended in the pause it was cut in
            self._release()
            # Audio dropped as silence where the stream's VAD heard speech may come first, a chunk
            # of its own (:meth:`~mock_interview.core.speech.chunker.Chunker._drop`): each but the last as any chunk.
            for early in rest[:-1]:
                self._chunk(early.samples, early.offset_s)
            rest = rest[-1:]
            if rest and not self.speculative:
                # A file's last chunk is decoded while the chunks before it are still being
                # checked, as every other chunk is (:meth:`_chunk`), and checked after them.
                self._chunk(rest[0].samples, rest[0].offset_s)
                rest = []
            self._raise_failed(wait=True)
        finally:
            self.close()
        if not rest:
            self._commit([])
        else:
            self._commit(*self._at_stop(rest[0]))
        self._mark_seams()
        return self.words

    def _at_stop(self, chunk: Chunk) -> tuple[list[Word], list[Region]]:
        """The words a stop keeps of a live take's last chunk, and the speech they leave bare: the
        words of the look-ahead fixed by the take's audio (:meth:`_plan`) before its last pause and
        the rest decoded told them (:meth:`_kept`), or, with no such pause, the whole chunk. Made
        now if the worker had not got to them, so that a busy machine gives the same transcript
        as an idle one."""
        n, cut = self._plan(chunk.samples, chunk.offset_s)
        if cut is None:
            return self._heard(chunk.samples, chunk.offset_s, self.chunker.heard(chunk.samples, chunk.offset_s))
        return self._kept(chunk.samples, chunk.offset_s, n, cut, self._ended(chunk.samples, cut))

    def _mark_seams(self) -> None:
        """Mark as uncovered the speech the whole take's VAD hears (:data:`MIN_BARE_S` or more) that
        no word, sound or mark covers. Each piece of the take is checked on its own, and a stretch
        that two pieces share (two chunks, or a look-ahead's words and those after its pause) is
        split where they meet: in 12 dB noise an "uh" 0.5 s long lay 0.06 s in one chunk and 0.45 s
        in the next, too short in either to be bare, and was lost without a mark. The pieces' audio
        is gone by now, so such a stretch is marked, not heard again."""
        stream = self.chunker.stream
        if not self.check_coverage or stream is None or not self.received:
            return
        said = [*self.words, *(Word("", r.start, r.end) for r in (*self.sounds, *self.uncovered))]
        seams = bare_stretches(stream.regions(0, self.received), said)
        if seams:
            self.uncovered = sorted([*self.uncovered, *seams], key=lambda r: r.start)


def _rest_key(offset_s: float, cut: float, ended: float | None, n_samples: int) -> tuple:
    """Where :meth:`StreamTranscriber._kept` keeps the words after a chunk's last pause: by the chunk,
    that pause and where its speech ended; or, where it has not ended, by how much of the chunk there is."""
    return (offset_s, cut, ended) if ended is not None else (offset_s, cut, None, n_samples)


def _bare_s(bare: Sequence[Region], min_s: float = 0.0) -> float:
    """Seconds of speech left bare in ``bare`` (what :meth:`StreamTranscriber._covered`
    returns; its named sounds were heard), counting only stretches of ``min_s`` or more."""
    return sum(r.end - r.start for r in bare if not isinstance(r, Sound) and r.end - r.start >= min_s)


def _steps(n_samples: float) -> int:
    """``n_samples`` rounded down to a whole number of look-ahead steps (in samples)."""
    step = int(SPEC_STEP_S * SAMPLE_RATE)
    return max(0, int(n_samples) // step * step)


def _steps_up(seconds: float) -> int:
    """The first whole number of look-ahead steps (in samples) at or after ``seconds``."""
    step = int(SPEC_STEP_S * SAMPLE_RATE)
    return -(-round(seconds * SAMPLE_RATE) // step) * step


def _before(regions: Sequence[Region], cut_s: float) -> list[Region]:
    """The speech of ``regions`` before ``cut_s`` (a region running past it ends there)."""
    return [Region(r.start, min(r.end, cut_s)) for r in regions if r.start < cut_s]


def _after(regions: Sequence[Region], cut_s: float) -> list[Region]:
    """The speech of ``regions`` after ``cut_s``, timed from it (a region begun before it starts at 0)."""
    return [Region(max(0.0, r.start - cut_s), r.end - cut_s) for r in regions if r.end > cut_s]


def _last_gap(regions: Sequence[Region], covered_s: float) -> tuple[float, float] | None:
    """The last pause between speech regions that ends :data:`HEARD_AFTER_S` or more before ``covered_s``."""
    gaps = [(a, b) for a, b in silences(regions) if b <= covered_s - HEARD_AFTER_S]
    return gaps[-1] if gaps else None


@dataclass(frozen=True)
class Heard:
    """Everything the speech stage hands on: words, the take's length, speech left without words."""

    words: list[Word]
    duration_s: float
    uncovered: list[Region] = field(default_factory=list)
    sounds: list[Sound] = field(default_factory=list)


def transcribe_stream(
    blocks: Iterable[np.ndarray],
    transcriber: Transcriber,
    chunker: Chunker | None = None,
    check_coverage: bool = True,
    on_words: Callable[[list[Word]], None] | None = None,
    said_before: Sequence[str] = (),
) -> Heard:
    """Every word of a stream (timed in the whole stream), its length, and speech left bare;
    ``on_words`` gets the words so far after each chunk; ``said_before``: the question asked."""
    stream = StreamTranscriber(transcriber, chunker, on_words, check_coverage=check_coverage, said_before=said_before)
    try:
        for block in blocks:
            stream.add(block)
        words = stream.finish()
    finally:
        stream.close()
    return Heard(words, stream.received / SAMPLE_RATE, stream.uncovered, stream.sounds)


class LiveTranscription:
    def __init__(
        self,
        transcriber: Transcriber,
        on_words: Callable[[list[Word]], None] | None = None,
        options: ChunkerOptions | None = None,
        vad: VadFn | None = None,
        check_coverage: bool = True,
        said_before: Sequence[str] = (),
    ) -> None:
        self.transcriber = transcriber
        self.on_words = on_words
        self.check_coverage = check_coverage
        self.said_before = list(said_before)
        self.chunker = Chunker(options, vad=vad) if vad else Chunker(options)
        self.uncovered: list[Region] = []
        """After :meth:`finish`: speech the VAD heard that stayed without words."""
        self.sounds: list[Sound] = []
        """After :meth:`finish`: stretches named as sounds (laughter, a sigh)."""
        self._inbox: queue.Queue = queue.Queue()
        self._words: list[Word] = []
        self._lock = threading.Lock()
        self._error: BaseException | None = None
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-transcription", daemon=True)
        self._thread.start()

    def feed(self, samples: np.ndarray) -> None:
        """Queue audio; never blocks the caller (the UI's timer or the recorder)."""
        if len(samples):
            self._inbox.put(samples)

    @property
    def words(self) -> list[Word]:
        with self._lock:
            return list(self._words)


    def _publish(self, words: list[Word]) -> None:
        with self._lock:
            self._words = list(words)
        if self.on_words:
            self.on_words(list(words))

    def _run(self) -> None:
        stream = StreamTranscriber(
            self.transcriber, self.chunker, self._publish, self.check_coverage, speculative=True, said_before=self.said_before
        )
        prepare = getattr(self.transcriber, "prepare_anew", None)
        if prepare is not None and self.check_coverage:
            prepare()  # the copy a take's last words may need, loaded while the user speaks, not after stop
        try:
            while True:
                try:
                    items = [self._inbox.get(timeout=IDLE_S)]
                except queue.Empty:
                    items = []
                while True:  # everything waiting at once: one pass instead of many
                    try:
                        items.append(self._inbox.get_nowait())
                    except queue.Empty:
                        break
                if self._cancelled.is_set():
                    return
                audio = [i for i in items if i is not _END]
                if audio:
                    stream.add(np.concatenate(audio))
                if any(i is _END for i in items):
                    words = stream.finish()
                    self.uncovered = list(stream.uncovered)
                    self.sounds = list(stream.sounds)
                    self._publish(words)
                    return
                if self._inbox.empty():
                    stream.speculate()  # caught up: get ahead on the unfinished chunk
        except BaseException as exc:  # surfaced by finish()
            self._error = exc

    def finish(self) -> list[Word]:
        """Transcribe what is left and return every word of the take, in order."""
        self._inbox.put(_END)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.words

    def cancel(self) -> None:
        self._cancelled.set()
        self._inbox.put(_END)
