"""Identifiers said as initials: an institution ASR wrote letter by letter after a stay or a stint ("i did two years
at c m c f", "i was at w c c c, the women's prison"), a force or an agency by its initials before what it did to her
("the RNC picked me up", "the psni raided it"), and a city by its dotted initials after a move ("down to L.A.", "out
in d.c."). Letters that spell a word ("b r o o k s", "o u t l o o k") and abbreviations of everyday use ("a.m.",
"p.o.", "i.d.", "the d.a.") are no identifiers.
"""

from __future__ import annotations

import re

from fieldvault.redact.lexicon import STOPWORDS, dictionary
from fieldvault.redact.spans import Span

# Three to five letters said one by one after where she was: "at c m c f", "in w c c c,".
_STAY = r"(?:at|in|to|from|into|out\s+of|inside|sent\s+(?:me\s+)?to)"
SPELLED = re.compile(
    rf"\b{_STAY}\s+(?:the\s+)?((?:[a-z]\s+){{2,4}}[a-z])(?=\s*[,.;!?]|\s+(?:and|for|until|till|then|when|with|in|on|"
    rf"where|but|so|because|cause|that|the|was|is|after|before)\b|$)",
    re.I,
)
# What a force or an agency does to someone: "the RNC picked me up", "the rnc arrested him", "the psni raided it".
_ACTED = (
    r"picked|arrested|raided|stopped|pulled|busted|caught|grabbed|charged|questioned|interviewed|found|came|showed|"
    r"took|searched|rescued|detained|deported|booked|cuffed"
)
AGENCY_ACTED = re.compile(rf"\b(?i:the)\s+([A-Za-z]{{3,5}})\s+(?:(?:had|have|has|finally|then|just)\s+)?(?:{_ACTED})\b")
# A city's dotted initials after a move or a stay: "down to L.A.", "we lived in d.c. for a year".
DOTTED_CITY = re.compile(
    r"\b(?:to|in|from|out\s+of|around|near|outside(?:\s+of)?|back\s+to|moved\s+to)\s+((?:[A-Za-z]\.){2,3})(?![\w])",
    re.I,
)
_SLANG = {"feds", "narcs", "narc", "popo", "fuzz", "pigs", "jakes", "cops", "boys", "staff", "johns", "girls"}
# Dotted initials said every day, never a city: times, Latin, offices, papers.
_EVERYDAY_DOTTED = {"a.m.", "p.m.", "i.e.", "e.g.", "u.s.", "u.k.", "u.s.a.", "p.o.", "d.a.", "c.o.", "i.d.", "o.k.",
                    "t.v.", "r.n.", "m.d.", "p.s.", "b.s.", "a.a.", "n.a.", "g.e.d.", "c.p.s.", "e.r.", "i.v.",
                    "p.d.", "a.k.a.", "r.i.p.", "v.i.p.", "d.j.", "m.c."}  # fmt: skip


def find_initials(text: str) -> list[Span]:
    spans = []
    ordinary = dictionary()[0]
    for match in SPELLED.finditer(text):
        letters = match.group(1).lower().split()
        joined = "".join(letters)
        if joined in ordinary or len(set(letters)) == 1:
            continue  # "at b o o k s"? a word spelled out; "a a a" is a cry
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", match.group(1), 0.6))
    for match in AGENCY_ACTED.finditer(text):
        word = match.group(1)
        lowered = word.lower()
        if lowered in STOPWORDS | _SLANG or lowered in ordinary or (not word.isupper() and not word.islower()):
            continue  # "the cops picked", "the guys came": words, not initials
        spans.append(Span(match.start(1), match.end(1), "ORG", "context", word, 0.6))
    for match in DOTTED_CITY.finditer(text):
        if match.group(1).lower() in _EVERYDAY_DOTTED:
            continue
        spans.append(Span(match.start(1), match.end(1), "LOCATION", "context", match.group(1), 0.6))
    return spans
