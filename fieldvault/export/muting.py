"""The recording an export carries, silent wherever its transcript was redacted (QA R12): the words a placeholder
replaced in the text are not heard in the audio beside it.

Where a segment's text was changed, its words' times (Whisper's, kept in the transcript) say where each replaced
word was spoken; a segment whose words no longer match its text (edited in the editor) is silenced whole where
anything in it was replaced. An edited segment whose text the export left alone may still hold, in its audio, what
the transcriber took out by hand ("my real name is (name removed)", QA S1): Whisper's words of it, which are what
was said, go through the same detection and scrub as free text, and the words those replace are silenced; so are the
words the transcriber replaced by a marker ("(town)", "[name]", "XXX", "___") or deleted (but fillers and a word said
twice): a name Whisper misheard as everyday words ("born in loaded" for Lodi) is no name to the detection, and the
edit is what shows where it was (QA S1's rest). A margin either side covers the word timings' error. A stretch
the transcript still marks inaudible ("[inaudible 00:00:27]") is silent whole: nobody read what was said there, and
it may be anything (qa25 QA2: her phone number, every digit, was heard in an export).
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from fieldvault.export.records import Audio
from fieldvault.transcript import Segment

# Seconds before and after a replaced word's times: tiny.en's times of a name said fast lagged what was said by
# 0.48 s (qa25 QA1: "Sunny's" stored at 14.48-14.72 s, said at 14.0-14.4 s; 0.15 s either side left it heard).
BEFORE, AFTER = 0.6, 0.4
_INAUDIBLE = re.compile(r"\[inaudible\b", re.IGNORECASE)


def replaced_times(
    segments: Sequence[Segment], texts: Sequence[str], spoken: Callable[[str], str]
) -> list[tuple[float, float]]:
    """(start, end) in seconds of every stretch of speech whose words the export replaced, merged; ``spoken``
    de-identifies what Whisper heard in a segment edited since (free-text detection and scrub)."""
    found: list[tuple[float, float]] = []
    for segment, text in zip(segments, texts, strict=True):
        if _INAUDIBLE.search(segment.text):
            found.append((segment.start, segment.end))  # what was said there nobody read: no word times at all
            continue
        words = [w.text.strip() for w in segment.words]
        edited = words != segment.text.split()
        if text != segment.text and (edited or not words):
            found.append((segment.start, segment.end))  # edited since: no word times to trust
        elif text != segment.text:
            found += _unmatched(segment, words, text)
        elif edited and words:
            heard = " ".join(words)
            if (cleaned := spoken(heard)) != heard:
                found += _unmatched(segment, words, cleaned)
            found += _taken_out(segment, words)
    merged: list[tuple[float, float]] = []
    for start, end in sorted((max(a - BEFORE, 0.0), b + AFTER) for a, b in found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _unmatched(segment: Segment, words: list[str], text: str) -> list[tuple[float, float]]:
    """The times of the segment's words that ``text`` no longer holds."""
    matcher = difflib.SequenceMatcher(a=words, b=text.split(), autojunk=False)
    kept = {i for block in matcher.get_matching_blocks() for i in range(block.a, block.a + block.size)}
    return [(w.start, w.end) for i, w in enumerate(segment.words) if i not in kept]


# What a transcriber types for words she takes out: a bracketed note, a run of X, underscores, asterisks or dashes.
_MARKER = re.compile(r"[(\[{<]|[)\]}>]|^[^\w]*(?:x{3,}|_{2,}|\*{2,}|-{2,}|[–—])[^\w]*$", re.IGNORECASE)
_FILLERS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "ah", "eh", "hmm", "mm", "mhm", "oh"})


def _bare(word: str) -> str:
    return re.sub(r"[^\w']", "", word).casefold()


def _taken_out(segment: Segment, words: list[str]) -> list[tuple[float, float]]:
    """The times of Whisper's words the edit replaced by a marker or deleted, but fillers and a word said twice."""
    typed = segment.text.split()
    matcher = difflib.SequenceMatcher(a=[_bare(w) for w in words], b=[_bare(w) for w in typed], autojunk=False)
    found = []
    for how, a0, a1, b0, b1 in matcher.get_opcodes():
        if how == "replace" and any(_MARKER.search(w) for w in typed[b0:b1]):
            found += [(w.start, w.end) for w in segment.words[a0:a1]]
        elif how == "delete":
            for i in range(a0, a1):
                bare = _bare(words[i])
                again = bare in {_bare(w) for w in words[max(i - 1, 0) : i] + words[i + 1 : i + 2]}
                if bare and bare not in _FILLERS and not again:
                    found.append((segment.words[i].start, segment.words[i].end))
    return found


def silenced(audio: Audio, times: Sequence[tuple[float, float]]) -> Audio:
    """``audio`` with zeros over ``times``, still read as a stream."""
    if not times:
        return audio
    frame = audio.channels * 2
    spans = [(math.floor(a * audio.rate) * frame, math.ceil(b * audio.rate) * frame) for a, b in times]

    def chunks() -> Iterator[bytes]:
        at = 0
        for piece in audio.chunks():
            end = at + len(piece)
            hit = [(max(a, at) - at, min(b, end) - at) for a, b in spans if a < end and b > at]
            if hit:
                buffer = bytearray(piece)
                for a, b in hit:
                    buffer[a:b] = bytes(b - a)
                piece = bytes(buffer)
            at = end
            yield piece

    return replace(audio, chunks=chunks)
