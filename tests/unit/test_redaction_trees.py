"""The union head's trees in text without capitals (fieldvault/redact/head.py: `union`, `misread`): they take a word
the regression leaves at TREES_THRESHOLD (0.80 since detect25), save a word they take by its neighbours alone. The
shapes here are those the trees took at 0.80 and no list of words: a word clipped after an apostrophe, an everyday
word beside a particle or a word of speech (neither joins a name), an everyday word describing the noun after it
behind an article, an everyday noun after a town; and (detect26) a word said in quotes after a verb of telling, a
letter spelled "as in" a word, a state bare after "in", a body part's possessive, "dot" before a web address's end,
what kind of reserve, a word after a determiner and an ordinal before a kind of place. Every sentence was written
for these tests (none is from the bench corpora)."""

from __future__ import annotations

import numpy as np
import pytest

from fieldvault.redact import head
from fieldvault.redact.detector import detect


def _misread(text: str, word: str, taken: tuple[str, ...] = ()) -> bool:
    """`head.misread` for ``word`` of ``text``, the words in ``taken`` (and ``word``) taken."""
    words = [(m.start(), m.end()) for m in head._WORD.finditer(text)]
    said = [text[a:b] for a, b in words]
    chosen = np.array([w in taken or w == word for w in said])
    return head.misread(text, words, said.index(word), chosen)


@pytest.mark.parametrize(
    ("text", "word", "taken"),
    [
        # a word begun with an apostrophe is speech's clipped word, not a name's (whose apostrophe stands inside it)
        ("we drove up to morrison 'cause my aunt lived there", "cause", ("morrison",)),
        ("i stayed with kendra 'til the summer", "til", ("kendra",)),
        # a particle or a Scots "to" beside a plural joins no name: the plural is taken alone, and counts
        ("we went dancing at the fiestas de san isidro", "fiestas", ("de",)),
        ("he'd take us tae motels in the east end", "motels", ("tae",)),
        # an everyday word behind an article, before a noun nobody takes, says what kind of thing it is
        ("he put me on the, uh, dating sites as candy", "dating", ()),
        ("they kept her at the psychiatric hospital for a month", "psychiatric", ()),
        ("she sold scarves at the adult stores by the lake", "adult", ()),
        # an everyday noun right after a town's name is a thing in that town, the town the identifier
        ("we sold shoes at the fresno fairground every sunday", "fairground", ("fresno",)),
        # detect26: an everyday word alone in quotes after a verb of telling is a word said, no nickname
        ('he told me, "stop", and walked out', "stop", ()),
        ('so i yelled to keisha, "hurry"', "hurry", ("keisha",)),
        # a letter spelled by a word ("d as in dog") is the spelling alphabet
        ("it's spelled with a d as in dog", "d", ()),
        # a state put bare after "in" ("living in hope", "in peace with"), with no town's words before or after
        ("i kept living in hope he would stop", "hope", ()),
        ("we lived in peace with them for a while", "peace", ()),
        # a part of the body's possessive is an idiom's ("at arm's length")
        ("my aunt kept him at arm's length", "arm's", ()),
        # "dot" before a web address's end is its punctuation said aloud
        ("the story was on bbc dot com last week", "dot", ("bbc",)),
        # what kind of reserve, not which ("the wildlife reserve")
        ("we camped near the wildlife reserve up there", "wildlife", ()),
        # a determiner (and an ordinal) before an everyday word before a kind of place ("my second foster home")
        ("my second foster home had a big yard", "foster", ()),
    ],
)
def test_a_word_the_trees_take_by_its_neighbours_alone_names_nothing(
    text: str, word: str, taken: tuple[str, ...]
) -> None:
    assert _misread(text, word, taken)


@pytest.mark.parametrize(
    ("text", "word", "taken"),
    [
        ("she said 'marisol' was her name", "marisol", ()),  # a name in quotes, no clipped word
        ("they took her to the national court in waigani", "national", ("court",)),  # a name's words taken together
        ("the family support centre called me", "support", ()),  # no article right before it
        ("what does the turtle island circle do", "turtle", ()),  # before a word that is no kind and no plural
        ("we lived out in tulare county for a year", "county", ("tulare",)),  # a county ends a town's name
        ("at the juniper house on the corner", "house", ("juniper",)),  # a kind of body ends a name
        ("i met ginger sites there", "ginger", ()),  # a first name, whatever comes after it
        ('he said they called him "moose" back then', "moose", ()),  # a nickname given, though after "said"
        ("we moved out in hope, it's a little town", "hope", ()),  # "out in": a town's slot
        ("her name was dot, dot miller", "dot", ()),  # "dot" before no web address's end
    ],
)
def test_a_name_the_trees_take_beside_its_words_stays_theirs(text: str, word: str, taken: tuple[str, ...]) -> None:
    assert not _misread(text, word, taken)


def test_a_misread_word_the_regression_left_stays_below_the_trees_threshold() -> None:
    """The regression's chance stands for a misread word: it left the word (below THRESHOLD), so the word is not
    taken by the trees' lower threshold either (a regression's 0.865 under THRESHOLD 0.92 with the trees at 0.80)."""
    text = "my boyfriend, drunk, broke my phone"
    words = [(m.start(), m.end()) for m in head._WORD.finditer(text)]
    k = [text[a:b] for a, b in words].index("drunk")
    regression = np.zeros(len(words))
    regression[k] = 0.865
    trees = np.zeros(len(words))
    trees[k] = 0.95
    chances = head.union(text, words, regression, trees, threshold=0.80)
    assert head.TREES_THRESHOLD == 0.80 and regression[k] < head.THRESHOLD
    assert 0.79 < chances[k] < 0.80


def test_where_someone_was_said_again_is_no_part_of_the_name() -> None:
    """detect26: "i saw john downtown, like downtown" is where she saw him; `persons.explained` took the words said
    again after "like" as the name's ("nizhoni many goats, like many goats"), which the trees' "john" made
    "john downtown"."""
    assert [s.text for s in detect("i saw marcus downtown, like downtown, at the bus stop")] == ["marcus"]
    assert "nizhoni many goats" in [s.text for s in detect("my aunt nizhoni many goats, like many goats, she came")]


def test_the_trees_take_a_name_the_regression_leaves_at_their_threshold() -> None:
    """detect25: a name said after a number, which the regression leaves and the trees put between 0.80 and 0.90, is
    proposed (it went out at 0.90)."""
    text = "the number was one two three, oh six, eight one nine, and junior had all that, he kept my papers"
    assert "junior" in [s.text for s in detect(text)]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("so darnell had me on the, um, adult sites as candy, with a number he kept", "adult"),
        ("we went up to morrison 'cause there was a guy everyone called wolf", "cause"),
        ("i ran away in the middle of the fiestas de san isidro and took the bus", "fiestas"),
        ('i told my sister, "go", and she went out the back', "go"),
        ("we stayed in harmony with the neighbours after that", "harmony"),
        ("she kept the kids at arm's length that whole winter", "arm's"),
        ("we walked out to the nature reserve on sundays", "nature"),
        ("my first foster home was on a farm", "foster"),
    ],
)
def test_what_the_trees_take_by_its_neighbours_alone_is_not_proposed(text: str, word: str) -> None:
    at = text.index(word)
    assert not any(s.start <= at < s.end for s in detect(text)), [s.text for s in detect(text)]
