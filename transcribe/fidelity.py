"""Checks that keep a transcript faithful: loops and guesses caught, doubtful words marked, speech that
could not be recognised written as ``[inaudible hh:mm:ss]``, long silences as ``[pause N s]``.

Nothing here invents or drops words silently: a suspect piece is kept with a flag.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from fieldvault.transcribe.backend import Options, Piece
from fieldvault.transcript import INAUDIBLE, PAUSE, SUSPECT, Segment, Word, tag

COMPRESSION_LIMIT = 2.4  # gzip ratio of the text above which Whisper is repeating itself
LOGPROB_LIMIT = -1.0  # average token log-probability below which Whisper is guessing
NO_SPEECH = 0.6  # Whisper's own "nobody speaks here" probability...
NO_SPEECH_LOGPROB = -0.7  # ...which, with a weak decode, means the piece is not speech at all
REPEAT_WORDS = 12  # an n-gram repeated 3+ times over this many words is a loop
REPEAT_RUN = 4  # ...and so is one word this many times in a row ("nine, nine, nine, nine": QA E2)
REPEAT_PHRASE = 5  # words: a phrase this long or shorter said again at the end with no time of its own is not said
NO_TIME = 0.02  # s: a word shorter than this has no audio of its own (the aligner piled it where the audio ran out)
UNRECOGNISED = 0.3  # a piece whose words average below this probability is not a transcript
MAX_SEGMENT = 12.0  # seconds: longer pieces are split at sentence ends and pauses
SPLIT_GAP = 0.8  # a pause between words that always ends a segment


def _tokens(text: str) -> list[str]:
    return re.findall(r"[\w']+", text.lower())


def _loop(tokens: Sequence[str]) -> int | None:
    """Where a loop begins among ``tokens``: the first of REPEAT_RUN alike in a row, or the first time a phrase
    comes that recurs three or more times over REPEAT_WORDS words or more; None without a loop."""
    found = [i for i in range(len(tokens) - REPEAT_RUN + 1) if len(set(tokens[i : i + REPEAT_RUN])) == 1][:1]
    for n in range(1, 11):
        grams = [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        counts = Counter(grams)
        found += [grams.index(g) for g, k in counts.items() if k >= 3 and k * n >= REPEAT_WORDS]
    return min(found, default=None)


def repeats(text: str) -> bool:
    """True when some phrase recurs three or more times and the recurrences cover many words, or one word
    comes REPEAT_RUN times in a row."""
    return _loop(_tokens(text)) is not None


def loop_start(words: Sequence[Word]) -> int | None:
    """The index of the word a loop begins at (``repeats``), or None."""
    owner = [k for k, w in enumerate(words) for _ in _tokens(w.text)]
    at = _loop([t for w in words for t in _tokens(w.text)])
    return None if at is None else owner[at]


def unsaid_repeat(words: Sequence[Word]) -> int:
    """How many of the last words have no time of their own (under NO_TIME long, piled at the end where the audio ran
    out) and only go on repeating the phrase before them: the decoder saying it again with nothing said under it (QA
    F2: "Help two Help two Help two" for the interviewer's "Who helped you?", its last three words at 23.11-23.11,
    past his question, written as the participant's)."""
    bare = 0
    while bare < len(words) and words[-1 - bare].end - words[-1 - bare].start < NO_TIME:
        bare += 1
    tokens = [" ".join(_tokens(w.text)) for w in words]
    first = len(words) - bare
    for period in range(1, REPEAT_PHRASE + 1):
        if first >= period and all(tokens[k] and tokens[k] == tokens[k - period] for k in range(first, len(words))):
            return bare
    return 0


def suspect(piece: Piece) -> list[str]:
    """Why a piece looks like a loop or a guess (empty when it looks sound)."""
    reasons = []
    if repeats(piece.text):
        reasons.append("repeated phrase")
    if piece.compression_ratio > COMPRESSION_LIMIT:
        reasons.append(f"compression ratio {piece.compression_ratio:.1f}")
    if piece.avg_logprob < LOGPROB_LIMIT:
        reasons.append(f"average log-probability {piece.avg_logprob:.2f}")
    return reasons


def not_speech(piece: Piece) -> bool:
    return not piece.words or (piece.no_speech_prob > NO_SPEECH and piece.avg_logprob < NO_SPEECH_LOGPROB)


def unrecognised(piece: Piece) -> bool:
    return bool(piece.words) and sum(w.probability for w in piece.words) / len(piece.words) < UNRECOGNISED


def inaudible(piece: Piece) -> Segment:
    return Segment(piece.start, piece.end, tag("inaudible", piece.start), flags=(INAUDIBLE,))


def mark_doubtful(words: Sequence[Word], options: Options) -> tuple[Word, ...]:
    return tuple(replace(w, doubtful=bool(w.probability < options.doubtful_below)) for w in words)


def _text(words: Sequence[Word]) -> str:
    return "".join(w.text for w in words).strip()


def span(words: Sequence[Word]) -> tuple[float, float]:
    """Where a segment of ``words`` lies: from its first word's start to its last word's end, and at least NO_TIME
    long (QA F2: Whisper aligned a lone "Okay." to an instant, and its segment had no length at all)."""
    start = words[0].start
    return start, max(words[-1].end, round(start + NO_TIME, 3))


def segments(piece: Piece, flags: tuple[str, ...], options: Options) -> list[Segment]:
    """A decoded piece as readable segments: split at long pauses and, once long, at sentence ends."""
    words = mark_doubtful(piece.words, options)
    groups: list[list[Word]] = []
    for word in words:
        current = groups[-1] if groups else None
        if (
            current is None
            or word.start - current[-1].end >= SPLIT_GAP
            or word.end - current[0].start > MAX_SEGMENT
            or (current[-1].text.rstrip().endswith((".", "?", "!")) and current[-1].end - current[0].start > 3.0)
        ):
            groups.append([word])
        else:
            current.append(word)
    return [Segment(*span(g), _text(g), None, tuple(g), flags) for g in groups if _text(g)]


def _seconds(length: float) -> str:
    """A pause's length as written: tenths under 10 s ("0.4", "2.5", "6"), whole seconds above (QA B23)."""
    return f"{round(length, 1):g}" if length < 9.95 else str(round(length))


def pauses(found: Sequence[Segment], duration: float, options: Options) -> list[Segment]:
    """``[pause N s]`` segments for every silence of at least ``options.pause_marker`` seconds."""
    if options.pause_marker is None:
        return []
    out, previous = [], 0.0
    for segment in [*found, Segment(duration, duration, "")]:
        if segment.start - previous >= options.pause_marker:
            length = _seconds(segment.start - previous)
            out.append(Segment(round(previous, 3), round(segment.start, 3), f"[pause {length} s]", flags=(PAUSE,)))
        previous = max(previous, segment.end)
    return out


def suspect_flags(reasons: Sequence[str]) -> tuple[str, ...]:
    return (SUSPECT,) if reasons else ()
