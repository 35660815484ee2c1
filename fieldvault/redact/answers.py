"""Names given as a short answer to the interviewer's question (QA D16).

Interviews ask for names outright: "What did they call him?" / "Smoke.", "What was the name of the motel?" / "The
Sands.", "Where did you grow up?" / "Paradise, up by Chico.", "What street was that on?" / "Main." The question and
its answer are two turns (two segments), read as one text by ``redact.joined``; the answer is a name when it is
short (one to four words up to a full stop or a comma) and is no pronoun, article, filler or vague word ("some
guy.", "I don't remember.", "all over."). The question says what kind of name: a person's, a place's or an
organisation's.
"""

from __future__ import annotations

import re

from fieldvault.redact.lexicon import GENERIC_PLACES, HARD_NEGATIVES, INFORMAL, STOPWORDS, base_word
from fieldvault.redact.rare import plural
from fieldvault.redact.spans import Span

_PLACE_NOUNS = (
    r"motel|hotel|inn|club|bar|strip club|spa|massage place|shelter|program|programme|church|school|hospital|clinic|"
    r"agency|company|place|spot|store|restaurant|jail|prison|rehab|detox|house|group home|home|center|centre|gang|"
    r"crew|business|salon|parlou?r|truck stop|casino|facility|unit|court|courthouse|station|department|office|"
    r"website|app|site|mall|apartments?|complex|projects|camp"
)
_TOWN_NOUNS = r"town|city|village|neighbou?rhood|area|part of town|county|suburb|street|road|avenue|reserve|reservation"
_PERSON_NOUNS = (
    r"caseworker|case worker|case manager|worker|lawyer|attorney|advocate|counsel(?:l)?or|therapist|sponsor|pimp|"
    r"trafficker|boyfriend|girlfriend|husband|wife|friend|best friend|daughter|son|sister|brother|cousin|mom|mother|"
    r"dad|father|baby|kid|kids|child|officer|detective|judge|doctor|nurse|teacher|pastor|manager|boss|dealer|"
    r"roommate|probation officer|parole officer|p\.?o\.?"
)
# The question, up to its question mark; group "kind" says what it asks for.
_ORG_QUESTION = re.compile(
    rf"\b(?:what|which)(?:['’]s|\s+(?:was|is|were))?\s+(?:the\s+)?(?:name\s+of\s+(?:the|that|your|her|his)\s+)?"
    rf"(?:{_PLACE_NOUNS})\b[^?.!]{{0,30}}\?"
    rf"|\b(?:what|which)\s+(?:{_PLACE_NOUNS})\b[^?.!]{{0,30}}\?"
    rf"|\bwhat\s+(?:was|is|were)\s+(?:the|that|your|her|his)\s+(?:{_PLACE_NOUNS})\s+called\?",
    re.I,
)
_PLACE_QUESTION = re.compile(
    rf"\bwhere\s+(?:did|do|does|were|was|are|is)\s+(?:you|she|he|they|we|it|your \w+|her \w+|his \w+)\s+(?:grow up|"
    rf"growing up|born|from|live|living|stay|staying|raised|move|moved|end up|go|going|get picked up|meet|met)\b"
    rf"[^?.!]{{0,20}}\?"
    rf"|\bwhere\s+(?:was|is)\s+(?:that|it|this|she|he)\?"
    rf"|\bwhere\s+(?:are|were)\s+you\s+from\?"
    rf"|\b(?:what|which)\s+(?:{_TOWN_NOUNS})\b[^?.!]{{0,30}}\?",
    re.I,
)
_PERSON_QUESTION = re.compile(
    r"\bwhat\s+(?:did|do|does|would)\s+(?:they|you|people|everybody|everyone|he|she|we|the \w+)\s+(?:call|name)\b"
    r"[^?.!]{0,20}\?"
    r"|\bwhat\s+(?:did|do|does)\s+(?:he|she|they|you)\s+go\s+by\?"
    r"|\bwhat(?:['’]s|\s+(?:was|is|were))\s+(?:(?:her|his|their|your|the|that)\s+(?:\w+\s+)?)?names?\b[^?.!]{0,20}\?"
    r"|\b(?:and\s+)?(?:her|his|their|your|the \w+['’]s)\s+(?:(?:real|first|last|street|full)\s+)?name\?"
    r"|\bwho\s+(?:was|is|were)\s+(?:your|her|his|their|the)\s+(?:\w+\s+)?(?:" + _PERSON_NOUNS + r")\b[^?.!]{0,20}\?",
    re.I,
)
# The answer: its speaker's label, fillers and a lead ("it was", "in", "the"), then one to four words up to where the
# answer ends.
_ANSWER = re.compile(
    r"\s*(?:(?:a|r|p\d*|participant|respondent|interviewee|answer)\s*:\s*)?"  # a transcript's label: "Q: ... A: Smoke."
    r"(?:(?:um+|uh+|oh|well|yeah|so|like|mm),?\s+)*"
    r"(?:(?:it\s+was|it['’]s|that\s+was|that['’]s|they\s+called\s+(?:him|her|me|it)|we\s+called\s+(?:him|her|it)|"
    r"(?:her|his|my)\s+name\s+was|(?:out|over|up|down|back)\s+in|in|on|at|from|off(?:\s+of)?|near)\s+)?"
    r"(?:the\s+)?([A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*){0,3})(?=\s*(?:[.,!?;]|$))",
    re.I,
)
# Answers that name no one: "I don't remember.", "some guy.", "all over.", "nowhere."
_VAGUE = {
    "nobody", "nothing", "nowhere", "everywhere", "anywhere", "somewhere", "around", "everybody", "everyone",
    "someone", "somebody", "anybody", "anyone", "guy", "girl", "lady", "man", "woman", "dude", "sure", "right",
    "exactly", "true", "correct", "maybe", "probably", "whatever", "different", "various", "none", "same",
    "downtown", "uptown", "outside", "inside", "there", "here", "home", "honestly", "okay", "ok", "no", "yes", "yeah",
    "yep", "nope", "mhm", "um", "uh", "hmm", "bro", "sir", "ma'am",
    "one", "ones",  # "The main one.", "the big one by the bridge": which of them, not its name (QA E21)
}  # fmt: skip


def _asked(text: str) -> list[tuple[int, str]]:
    """(end of the question, label of what it asks for), in order of the text."""
    found: dict[int, str] = {}
    for pattern, label in ((_ORG_QUESTION, "ORG"), (_PLACE_QUESTION, "LOCATION"), (_PERSON_QUESTION, "PERSON")):
        for match in pattern.finditer(text):
            found.setdefault(match.end(), label)
    return sorted(found.items())


def find_answers(text: str) -> list[Span]:
    spans = []
    for end, label in _asked(text):
        answer = _ANSWER.match(text, end)
        if answer is None:
            continue
        words = [base_word(w).lower() for w in answer.group(1).split()]
        if words[0] in STOPWORDS or any(w in _VAGUE or w in INFORMAL for w in words):
            continue
        if all(
            w in STOPWORDS or w in HARD_NEGATIVES or w in GENERIC_PLACES or (label == "LOCATION" and plural(w))
            for w in words
        ):
            continue
        if any(w in ("i", "i'm", "i'd", "don't", "dont", "didn't", "never", "not", "know", "remember") for w in words):
            continue
        start = answer.start(1)
        last = answer.group(1).split()[-1]
        stop = answer.end(1) - (len(last) - len(base_word(last)))
        spans.append(Span(start, stop, label, "context", text[start:stop], 0.75))
    return spans
