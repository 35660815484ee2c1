"""Who speaks when, put onto the transcript: each word takes the speaker whose turn it overlaps most,
segments are split where the speaker changes, overlapped speech is marked ``[crosstalk]``, and a turn
the diarization was unsure of is flagged. The speaker talking at the prompt markers is the interviewer.

Turns come from the stereo channels (``stereo.py``) or from mono diarization; both give the same shape.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from fieldvault.transcribe.fidelity import span
from fieldvault.transcript import (
    CROSSTALK,
    INTERVIEWER,
    PARTICIPANT,
    SPEAKER_DOUBTFUL,
    SWAP_KEY,
    Marker,
    Segment,
    Word,
)

UNSURE = 0.5  # a turn below this confidence is flagged for the editor
UNDER = 0.25  # the confidence of the words said over another's voice under them (under UNSURE: flagged)
LEAD = 0.5  # seconds: a marker this close before the other speaker starts was pressed for their question
ASKED_BEFORE = 2.0  # seconds before a prompt marker in which the interviewer was asking it
ASKED_AFTER = 1.0  # ...or, pressed in the pause before a question, the seconds after it
FEW = 2  # prompt markers: with no more than these to go by, each doubtful, talk time can overrule them
OPENING = 0.5  # seconds: the recorder marks the first prompt when Start is pressed, at 0
TALKS_MORE = 2.0  # times the other's talk: with only FEW markers to go by, who talks this much more is the participant
AGREE = 2 / 3  # share of the prompt markers that must point at one speaker to call them the interviewer
TOUCH = 0.05  # s: one speaker's turns this close are one stretch of talk (a turn and its crosstalk part)
CROSSTALK_SHARE = 0.3  # a word at least this much inside a turn marked overlap is crosstalk
SENTENCE_END = (".", "?", "!")  # a word after one of these may begin another speaker's sentence
SENTENCE_REACH = 0.75  # s: a change of speaker in crosstalk moves to a sentence's end this near (C13)
UNHEARD_REACH = 1.0  # s: a word in no turn goes to a turn no word lies in this near (C13)
DOUBTED_REACH = 1.5  # s: at most this much of a sentence, all in a doubtful turn, goes to the sure speaker (C12)
ISLAND = 1.0  # s: at most this much of another speaker inside one speaker's sentence, in crosstalk, is hers (E2)
NO_PAUSE = 0.3  # s: two words this close are said without a pause
LATE = 0.3  # s: Whisper's word times run this late (90th percentile): a word this far past a stretch is in it


class Turn(Protocol):
    @property
    def start(self) -> float: ...
    @property
    def end(self) -> float: ...
    @property
    def speaker(self) -> int: ...
    @property
    def confidence(self) -> float: ...
    @property
    def overlap(self) -> bool: ...  # another speaker talks at the same time


@dataclass(frozen=True)
class SpeakerTurn:
    start: float
    end: float
    speaker: int
    confidence: float = 1.0
    overlap: bool = False


@dataclass(frozen=True)
class OverTurn(SpeakerTurn):
    """One speaker's talk over another's voice said under it (``over_voices_under``): only the words said there are
    in doubt and in crosstalk, not the rest of her sentence."""


def _overlaps(start: float, end: float, turns: Sequence[Turn]) -> list[tuple[int, float]]:
    """(speaker, seconds shared with start..end), most first."""
    shares: dict[int, float] = {}
    for turn in turns:
        shared = min(end, turn.end) - max(start, turn.start)
        if shared > 0:
            shares[turn.speaker] = shares.get(turn.speaker, 0.0) + shared
    return sorted(shares.items(), key=lambda item: -item[1])


def _unsure(start: float, end: float, turns: Sequence[Turn], speaker: int) -> bool:
    return any(t.speaker == speaker and t.confidence < UNSURE and t.start < end and t.end > start for t in turns)


def stretches(turns: Sequence[Turn]) -> list[tuple[float, float, int]]:
    """(start, end, speaker) of each stretch one speaker talks without stopping: their turns, crosstalk
    included (stereo: the one talking over the other; mono: either side of a change with no pause), joined
    where one ends as the next begins."""
    out: list[list[float]] = []
    for turn in sorted(turns, key=lambda t: (t.speaker, t.start)):
        if out and out[-1][2] == turn.speaker and turn.start <= out[-1][1] + TOUCH:
            out[-1][1] = max(out[-1][1], turn.end)
        else:
            out.append([turn.start, turn.end, turn.speaker])
    return sorted((a, b, int(who)) for a, b, who in out)


def _asking(at: float, turns: Sequence[Turn]) -> int | None:
    """Who was asking at a prompt marker: whoever starts talking within LEAD after it (the key pressed just
    before asking), even over the other's last words (QA C11: an interviewer who began a question while the
    participant was finishing lost that marker's vote); else the one talking at it who began last
    (interviewers press the key once they have begun a question, often near its end: what follows a marker is
    mostly the answer). In a pause, whoever spoke last in the ASKED_BEFORE seconds before it, or else whoever
    starts within ASKED_AFTER after it."""
    spans = stretches(turns)
    talking = [(start, who) for start, end, who in spans if start <= at < end]
    starting = [(start, who) for start, _, who in spans if at < start < at + LEAD]
    if starting and not {who for _, who in talking} >= {who for _, who in starting}:
        return min((start, who) for start, who in starting if who not in {w for _, w in talking})[1]
    if talking:
        return max(talking)[1]
    before = [(end, who) for _, end, who in spans if at - ASKED_BEFORE < end <= at]
    if before:
        return max(before)[1]
    after = [(start, who) for start, _, who in spans if at < start < at + ASKED_AFTER]
    return min(after)[1] if after else None


def _votes(turns: Sequence[Turn], markers: Sequence[Marker]) -> Counter[int]:
    """How many prompt markers point at each speaker."""
    return Counter(who for m in markers if m.kind == "prompt" and (who := _asking(m.at, turns)) is not None)


def _doubtful(at: float, turns: Sequence[Turn]) -> bool:
    """A prompt marker that says little about who asks: no one starts talking just after it, and it was pressed
    while someone was talking already, at Start (whoever talks then began before the recording did: QA J16, Start
    pressed as she finished an answer) or more than LEAD into their stretch of talk (J16's second recording: a key
    pressed while she was still answering)."""
    spans = stretches(turns)
    if any(at < start < at + LEAD for start, _, _ in spans):
        return False
    talking = [start for start, end, _ in spans if start <= at < end]
    return bool(talking) and (at <= OPENING or at - max(talking) > LEAD)


def _talk(turns: Sequence[Turn]) -> dict[int, float]:
    """Seconds each speaker talks, crosstalk left out (said over the other, it is counted in neither's turn)."""
    talk: dict[int, float] = {}
    for turn in turns:
        if not turn.overlap:
            talk[turn.speaker] = talk.get(turn.speaker, 0.0) + turn.end - turn.start
    return talk


def _weak(asking: Counter[int], turns: Sequence[Turn], markers: Sequence[Marker]) -> bool:
    """Whether the prompt markers say nothing sure about who asks: none points at anybody, or only FEW do, each
    pressed while someone was talking already (``_doubtful``)."""
    prompts = [m for m in markers if m.kind == "prompt"]
    return not asking or (asking.total() <= FEW and all(_doubtful(m.at, turns) for m in prompts))


def labels(turns: Sequence[Turn], markers: Sequence[Marker], talk_decides: bool = True) -> dict[int, str]:
    """Interviewer for the speaker the prompt markers point at (at least two thirds of them agreeing) and
    Participant for the other one; with a third voice or more (a child, an interpreter: QA B16) Participant
    is whoever of the others talks most, and the rest keep their number (Speaker 3, in order of first
    speaking). With one or two markers, each pressed while someone was talking already (``_doubtful``), and two
    voices, one of whom talks more than twice as long as the other, she is the Participant whatever those markers
    say, unless ``talk_decides`` is off (a member check: the researcher reads back and talks most, QA K2). Without
    markers that agree: Speaker 1, 2, ... in order."""
    order = list(dict.fromkeys(t.speaker for t in sorted(turns, key=lambda t: t.start)))
    numbered = {s: f"Speaker {n}" for n, s in enumerate(order, 1)}
    asking = _votes(turns, markers)
    if not asking or len(order) < 2:
        return numbered
    interviewer, votes = asking.most_common(1)[0]
    talk = _talk(turns)
    less, more = sorted(order, key=lambda s: talk.get(s, 0.0))[:2]
    if (
        talk_decides
        and _weak(asking, turns, markers)
        and len(order) == 2
        and talk.get(more, 0.0) > TALKS_MORE * talk.get(less, 0.0)
    ):
        interviewer = less
    elif votes < AGREE * asking.total():
        return numbered
    participant = max((s for s in order if s != interviewer), key=lambda s: talk.get(s, 0.0))
    return {**numbered, interviewer: INTERVIEWER, participant: PARTICIPANT}


@dataclass(frozen=True)
class ChannelNames:
    """How a stereo recording's two channels (0 left, 1 right) were named."""

    names: dict[int, str]
    why: str  # how they were chosen, in words (stored with the transcript)
    doubtful: bool  # every segment to be flagged speaker-doubtful
    note: str | None = None  # a line for the transcriber: the talk time named them against the channels' convention


def channel_labels(turns: Sequence[Turn], markers: Sequence[Marker], talk_decides: bool = True) -> ChannelNames:
    """Stereo (speaker = channel, 0 left): the channel the prompt markers point at (two thirds of them agreeing)
    is the Interviewer's; without markers, the left one. Markers that do not agree leave the left channel the
    Interviewer's, in doubt: the markers contradict it, and a silent guess would swap every label of the
    interview (QA C11). But with no markers, or only doubtful ones (as ``labels``), the channel that talks more
    than twice as long as the other is the Participant's in an interview (``talk_decides``; not in a member
    check, where the researcher reads back and talks most): a lapel pair plugged the other way round swapped
    every label, silently (QA K11). Where the talk overrules the left channel or the markers, the transcriber is
    told (``note``)."""
    asking = _votes(turns, markers)
    side = ("left", "right")
    talk = _talk(turns)
    quiet = min((0, 1), key=lambda s: talk.get(s, 0.0))
    talks_more = talk.get(1 - quiet, 0.0) > TALKS_MORE * talk.get(quiet, 0.0)
    if talk_decides and talks_more and _weak(asking, turns, markers):
        return _named_by_talk(asking, talk, quiet)
    left = {0: INTERVIEWER, 1: PARTICIPANT}
    if not asking:
        return ChannelNames(left, "the interviewer's channel taken to be the left (no prompt markers)", False)
    interviewer, votes = asking.most_common(1)[0]
    counted = f"{votes} of {asking.total()} prompt markers"
    if votes >= AGREE * asking.total():
        names = {interviewer: INTERVIEWER, 1 - interviewer: PARTICIPANT}
        why = f"the interviewer's channel is the {side[interviewer]} ({counted} at its speaker)"
        return ChannelNames(names, why, False)
    return ChannelNames(
        left,
        f"the prompt markers do not agree on who asks ({counted} at the {side[interviewer]} channel's speaker): "
        "the interviewer's channel taken to be the left, every segment flagged speaker-doubtful",
        True,
    )


def _named_by_talk(asking: Counter[int], talk: Mapping[int, float], quiet: int) -> ChannelNames:
    """The channel talking less is the Interviewer's; with a ``note`` where the left channel (no markers, or markers
    that do not agree) or the doubtful markers said the other."""
    side = ("left", "right")
    loud = 1 - quiet
    than = f"the {side[quiet]} channel's"
    times = f"{talk[loud] / talk[quiet]:.1f}x as long as {than}" if talk.get(quiet) else f"and {than} does not"
    pointed, votes = asking.most_common(1)[0] if asking else (0, 0)
    if asking and votes >= AGREE * asking.total():
        otherwise, against = pointed, f"the markers point at the {side[pointed]} channel's speaker"
    else:
        otherwise, against = 0, "by convention the left channel is the interviewer's"
    evidence = (
        f"only {asking.total()} prompt marker(s), each pressed while someone was talking"
        if asking
        else "no prompt markers"
    )
    why = f"the {side[loud]} channel's speaker talks {times}: the Participant ({evidence})"
    names = {quiet: INTERVIEWER, loud: PARTICIPANT}
    if otherwise == quiet:
        return ChannelNames(names, why, False)
    note = (
        f"the roles were decided by who talked more ({evidence}): the {side[loud]} channel's speaker talks {times}, "
        f"so is taken for the Participant; if that is wrong, swap the roles in the editor ({SWAP_KEY})"
    )
    return ChannelNames(names, f"{why}, although {against}", False, note)


def voice_under(turn: Turn, turns: Sequence[Turn]) -> int | None:
    """The speaker whose turn (not marked overlap) an overlap turn of another speaker lies over: a voice said under
    another's talk, with no change of speaker (mono: diarization's overlap model, QA C24); else None."""
    if not turn.overlap:
        return None
    hosts = [t.speaker for t in turns if t.speaker != turn.speaker and not t.overlap
             and t.start < turn.end and t.end > turn.start]  # fmt: skip
    return hosts[0] if hosts else None


SPLICE = 1.0  # seconds either side of a resumed recording's splice where a voice under another is not believed


def off_splices(turns: Sequence[Turn], splices: Sequence[float]) -> list[Turn]:
    """The turns without the voices-under-another found at a splice: where a paused recording resumed, the end of one
    stretch of talk meets the start of another in the file with no pause between, which the overlap model takes for
    two voices at once (QA J9: a false [crosstalk] over her answer cut by a break)."""
    return [t for t in turns if not (t.overlap and any(t.start - SPLICE < at < t.end + SPLICE for at in splices))]


def over_voices_under(turns: Sequence[Turn]) -> list[Turn]:
    """``turns`` with each voice said under another's given to the one talking over it, still marked overlap:
    a decode of the recording writes the louder voice, whose words there stay hers and are marked [crosstalk]
    (the quieter voice is written for its speaker as [crosstalk] [inaudible], pipeline._unheard). Their speaker is in
    doubt there (flagged speaker-doubtful): where both talk at one level the decode may write his words among hers
    (QA F22: his "Did you" over her last word written as her "yes to you."). Only her words said there: ``assign``
    makes them a segment of their own, the rest of her sentence unflagged."""
    return [
        OverTurn(t.start, t.end, host, min(t.confidence, UNDER), True) if (host := voice_under(t, turns)) is not None
        else t
        for t in turns
    ]  # fmt: skip


def _word_speaker(word: Word, turns: Sequence[Turn]) -> tuple[int | None, bool]:
    end = max(word.end, word.start + 0.02)
    ranked = _overlaps(word.start, end, turns)
    if not ranked:
        return None, False
    # Only a turn marked overlap says two people talk at once. A word that merely reaches into the next
    # speaker's turn is the usual blur at a change of speaker (word times run late by a tenth of a second
    # or more): counting that as crosstalk flagged the first sentence of a recording, alone in the audio.
    flagged = sum(max(0.0, min(end, t.end) - max(word.start, t.start)) for t in turns if t.overlap)
    return ranked[0][0], flagged >= CROSSTALK_SHARE * (end - word.start)


def _said_over(word: Word, turns: Sequence[Turn]) -> bool:
    """Whether at least CROSSTALK_SHARE of a word lies in talk over a voice under it (an OverTurn), or up to LATE
    after it (QA F22 on q8m.wav: "you." of "yes to you.", his "Did you" misheard as hers, aligned 17.27-17.83 s after
    his voice under hers at 16.91-17.30 s)."""
    end = max(word.end, word.start + 0.02)
    over = [t for t in turns if isinstance(t, OverTurn)]
    shared = sum(max(0.0, min(end, t.end + LATE) - max(word.start, t.start)) for t in over)
    return shared >= CROSSTALK_SHARE * (end - word.start)


def _in_pause(at: float, turns: Sequence[Turn]) -> bool:
    """Whether ``at`` falls between turns, in nobody's speech. Whisper's word times run late (a word's end
    by 0.14 s on median, 0.3 s at the 90th percentile; more after crosstalk): a word begun in the pause after
    a turn, in the middle of that turn's sentence, is its last word ("on my own.", QA B18), not the next
    speaker's first."""
    return not any(t.start <= at < t.end for t in turns)


def _nearest(start: float, end: float, turns: Sequence[Turn]) -> int | None:
    if not turns:
        return None
    middle = (start + end) / 2
    return min(turns, key=lambda t: max(t.start - middle, middle - t.end, 0.0)).speaker


def _piece(segment: Segment, words: list[Word], speaker: int | None, crosstalk: bool, turns: Sequence[Turn],
           names: Mapping[int, str], doubted: bool = False) -> Segment:  # fmt: skip
    text = "".join(w.text for w in words).strip()
    flags = list(segment.flags)
    if crosstalk:
        flags.append(CROSSTALK)
        text = f"[crosstalk] {text}"
    if doubted or (speaker is not None and _unsure(words[0].start, words[-1].end, turns, speaker)):
        flags.append(SPEAKER_DOUBTFUL)
    name = names.get(speaker) if speaker is not None else None
    start, end = span(words)
    return replace(segment, start=start, end=end, text=text, speaker=name, words=tuple(words),
                   flags=tuple(dict.fromkeys(flags)))  # fmt: skip


def _unheard(word: Word, turns: Sequence[Turn], heard: set[int]) -> int | None:
    """The speaker of the nearest turn within UNHEARD_REACH of a word that lies in no turn, among the turns
    no word lies in (``heard``: the ``id`` of each turn a word lies in): Whisper put the word beside the speech it
    was said in (QA C13: "Okay." 26.30-26.94 s, between two of her turns with 0.4 s pauses, aligned at 27.16 s, in
    the pause, nearer to her)."""
    middle = (word.start + word.end) / 2
    free = [(max(t.start - middle, middle - t.end, 0.0), t.speaker) for t in turns if id(t) not in heard]
    near = [(gap, speaker) for gap, speaker in free if gap <= UNHEARD_REACH]
    return min(near)[1] if near else None


def _at_sentence_ends(words: Sequence[Word], speakers: list[int | None], crosstalk: Sequence[bool]) -> list[int | None]:
    """``speakers`` with each change of speaker in crosstalk moved to the nearest end of a sentence (or of the
    segment) within SENTENCE_REACH: where two people talk at once the change found by diarization is only
    near the real one, and a question's last words went to the one answering it (QA C13: "So what did you" /
    "do next?"; "I thought it" / "would be.")."""
    out = list(speakers)
    changes = [i for i in range(1, len(words)) if speakers[i] != speakers[i - 1] and (crosstalk[i] or crosstalk[i - 1])]
    ends = [
        b for b in range(len(words) + 1) if b in (0, len(words)) or words[b - 1].text.rstrip().endswith(SENTENCE_END)
    ]
    for i in changes:
        at = words[i].start
        near = [
            (abs((words[b].start if b < len(words) else words[-1].end) - at), b)
            for b in ends
            if abs((words[b].start if b < len(words) else words[-1].end) - at) <= SENTENCE_REACH
        ]
        for _, b in sorted(near):
            moved = range(i, b) if b > i else range(b, i)
            if len(set(out[k] for k in moved)) == 1:  # no other change between
                for k in moved:
                    out[k] = speakers[i - 1] if b > i else speakers[i]
                break
    return out


def _sure_side(
    words: Sequence[Word], speakers: list[int | None], crosstalk: Sequence[bool], turns: Sequence[Turn]
) -> tuple[list[int | None], set[int], set[int]]:
    """``speakers`` with each change of speaker in crosstalk or with no pause that cuts a sentence in two, where the
    words on one side of it (to the sentence's end, at most DOUBTED_REACH long) all lie in a turn the diarization
    doubts and those on the other side do not, given wholly to the sure side; the words so moved, which stay flagged
    speaker-doubtful; and the words of such a sentence no longer in crosstalk (_no_change). With a count given,
    alike voices were cut mid-sentence with no pause: QA C12 ("Should I tell" / "her about the break?", the
    interpreter's question, its first words in a doubtful turn of another voice), B22 ("We can go through it" /
    "together later.")."""
    out = list(speakers)
    moved: set[int] = set()
    calm: set[int] = set()
    ends = [
        b for b in range(len(words) + 1) if b in (0, len(words)) or words[b - 1].text.rstrip().endswith(SENTENCE_END)
    ]
    for i in range(1, len(words)):
        paused = words[i].start - words[i - 1].end >= NO_PAUSE
        if out[i] == out[i - 1] or (paused and not (crosstalk[i] or crosstalk[i - 1])) or i in ends:
            continue  # a change with no pause counts though the overlap model heard one voice there (QA F1's check)
        sides = (range(max(b for b in ends if b < i), i), range(i, min(b for b in ends if b > i)))
        if any(len({out[k] for k in side}) != 1 for side in sides):
            continue  # another change within the sentence
        doubted = [
            all((who := out[k]) is not None and _unsure(words[k].start, words[k].end, turns, who) for k in side)
            for side in sides
        ]
        for side, other, own in ((sides[0], i, 0), (sides[1], i - 1, 1)):
            if doubted[own] and not doubted[1 - own] and words[side[-1]].end - words[side[0]].start <= DOUBTED_REACH:
                for k in side:
                    out[k] = out[other]
                moved.update(side)
                calm.update(_no_change(words, [*sides[0], *sides[1]], (i,), turns))
                break
    return out, moved, calm


def _islands(
    words: Sequence[Word], speakers: list[int | None], crosstalk: Sequence[bool], turns: Sequence[Turn]
) -> tuple[list[int | None], set[int], set[int]]:
    """``speakers`` with each run of another speaker's words inside one sentence of one speaker (her words before
    and after it in the same sentence, a change in crosstalk, at most ISLAND long) given to her; the words so
    moved, which stay flagged speaker-doubtful; and the sentence's words no longer in crosstalk (_no_change).
    On mono the diarizer marks either side of a change with no pause as overlap; a sentence that goes on in
    one voice around a second of the other is that voice (QA E2: "My A number is A two" / "[crosstalk] one,
    three," given to the interviewer, silent since 25.76 s)."""
    out = list(speakers)
    moved: set[int] = set()
    calm: set[int] = set()
    ends = [
        b for b in range(len(words) + 1) if b in (0, len(words)) or words[b - 1].text.rstrip().endswith(SENTENCE_END)
    ]
    for first, last in itertools.pairwise(ends):
        i = first + 1
        while i < last:
            j = i
            while j < last and out[j] != out[i - 1]:
                j += 1
            changed = out[i] != out[i - 1]
            if (
                changed
                and j < last
                and len({out[k] for k in range(i, j)}) == 1
                and any(crosstalk[i - 1 : j + 1])
                and words[j - 1].end - words[i].start <= ISLAND
            ):
                island = range(i, j)
                for k in island:
                    out[k] = out[i - 1]
                moved.update(island)
                sentence = list(range(first, last))
                calm.update(_no_change(words, sentence, (i, j), turns))
                i = j
            i += 1
    return out, moved, calm


def _no_change(
    words: Sequence[Word], sentence: Sequence[int], changes: Sequence[int], turns: Sequence[Turn]
) -> list[int]:
    """The words of ``sentence`` not in crosstalk once the changes of speaker before the words ``changes`` are
    undone: on mono, the diarizer marks overlap only either side of a change with no pause; a sentence given
    wholly to one speaker has no change there, so the overlap turns at it were the sentence going on, not two
    voices (B22: "[crosstalk] That is fine. We can go through it together later.", one speaker's). A word also
    in another overlap turn, of a change kept nearby, stays crosstalk."""
    at_change = [
        t for t in turns for i in changes if t.overlap and t.start < words[i].end and t.end > words[i - 1].start
    ]
    others = [t for t in turns if t not in at_change]
    return [k for k in sentence if not _word_speaker(words[k], others)[1]]


class _Nearby:
    """The turns near a stretch of time, found by bisection: each segment is weighed against the turns around it
    only. Against every turn, an hour's words took minutes on a loaded machine, with the bar at "speakers 100%" (QA
    F15: 75 s before the next stage)."""

    def __init__(self, turns: Sequence[Turn]) -> None:
        self.turns = sorted(turns, key=lambda t: (t.start, t.end))
        self._starts = [t.start for t in self.turns]
        self._longest = max((t.end - t.start for t in self.turns), default=0.0)

    def around(self, start: float, end: float) -> list[Turn]:
        """The turns that reach into ``start``..``end`` (touching counts), in time order."""
        first = bisect.bisect_left(self._starts, start - self._longest)
        last = bisect.bisect_right(self._starts, end)
        return [t for t in self.turns[first:last] if t.end >= start]


_AROUND = UNHEARD_REACH + 0.5  # s either side of a segment: every turn any rule below looks at lies within


def assign(segments: Sequence[Segment], turns: Sequence[Turn], names: Mapping[int, str]) -> list[Segment]:
    """Segments with speakers from ``turns``, split at the word where the speaker changes."""
    nearby = _Nearby(turns)
    heard = {
        id(t)
        for segment in segments
        for w in segment.words
        for t in nearby.around(w.start, max(w.end, w.start + 0.02))
        if min(max(w.end, w.start + 0.02), t.end) > max(w.start, t.start)
    }
    out: list[Segment] = []
    for segment in segments:
        first = min([segment.start, *(w.start for w in segment.words)])
        last = max([segment.end, *(w.end for w in segment.words)])
        out += _assigned(segment, nearby.around(first - _AROUND, last + _AROUND), nearby.turns, heard, names)
    return out


def _assigned(
    segment: Segment, turns: Sequence[Turn], everyone: Sequence[Turn], heard: set[int], names: Mapping[int, str]
) -> list[Segment]:
    """``segment`` with speakers from the ``turns`` around it (``everyone``: all turns, for a word far from any)."""
    out: list[Segment] = []
    if not segment.words:  # markers such as [inaudible] and [pause]: the speaker whose turn it is in
        shares = _overlaps(segment.start, segment.end, turns)
        who = shares[0][0] if shares else None
        return [replace(segment, speaker=names.get(who) if who is not None else None)]
    speakers: list[int | None] = []
    crosstalks: list[bool] = []
    for k, word in enumerate(segment.words):
        speaker, crosstalk = _word_speaker(word, turns)
        if speaker is None:
            speaker = _unheard(word, turns, heard)
        if speaker is None:
            speaker = speakers[-1] if speakers else _nearest(word.start, word.end, everyone)
        elif k and _in_pause(word.start, turns) and not segment.words[k - 1].text.rstrip().endswith(SENTENCE_END):
            speaker = speakers[-1]  # QA B18: the last word of the sentence before, its time run late
        speakers.append(speaker)
        crosstalks.append(crosstalk)
    speakers = _at_sentence_ends(segment.words, speakers, crosstalks)
    speakers, moved, calm = _sure_side(segment.words, speakers, crosstalks, turns)
    speakers, apart, still = _islands(segment.words, speakers, crosstalks, turns)
    moved |= apart
    crosstalks = [crosstalk and k not in calm | still for k, crosstalk in enumerate(crosstalks)]
    # Words said over a voice under them are a segment of their own (QA F22's rest: her whole 6 s sentence group was
    # flagged for the 0.4 s his "Did you" lay under its last word); the words around them are judged without it.
    over = [_said_over(word, turns) for word in segment.words]
    clear = [t for t in turns if not isinstance(t, OverTurn)]
    run: list[Word] = []
    run_speaker: int | None = None
    run_crosstalk = run_doubted = run_over = False
    for k, (word, speaker, crosstalk) in enumerate(zip(segment.words, speakers, crosstalks, strict=True)):
        if run and (speaker != run_speaker or over[k] != run_over):
            out.append(
                _piece(segment, run, run_speaker, run_crosstalk, turns if run_over else clear, names, run_doubted)
            )
            run, run_crosstalk, run_doubted = [], False, False
        run.append(word)
        run_speaker, run_over = speaker, over[k]
        run_crosstalk = run_crosstalk or crosstalk
        run_doubted = run_doubted or k in moved
    out.append(_piece(segment, run, run_speaker, run_crosstalk, turns if run_over else clear, names, run_doubted))
    return out
