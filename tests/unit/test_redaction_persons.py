"""Persons found by what they do (QA B19, B13), towns in the slots around other places (B4), the labels of towns
(B5), initials, spelled names and months given as names, and the talk those rules must leave alone. Every
sentence was written for these tests or is QA's reproduction (none is from the bench corpora)."""

from __future__ import annotations

import pytest

from fieldvault.redact.detector import detect


def _found(text: str) -> dict[str, str]:
    return {s.text: s.label for s in detect(text)}


@pytest.mark.parametrize(
    "text, name",
    [
        # B19: a name that is an everyday word as the subject of what only a person does, cased and not.
        ("Hope picked me up from the jail.", "Hope"),
        ("hope picked me up from the jail.", "hope"),
        ("Faith came with me to court that day.", "Faith"),
        ("faith came with me to court that day.", "faith"),
        ("justice was the one who got me out.", "justice"),
        ("We were fine, and Harmony drove me to the bus.", "Harmony"),
        ("after that trinity texted me every night", "trinity"),
        ("Me and Serenity was close. Serenity got adopted first.", "Serenity"),
        # ... and as the object of what only a person receives.
        ("I told Grace everything.", "Grace"),
        ("i told grace everything.", "grace"),
        ("i met charity at group.", "charity"),
        ("I met Charity at group.", "Charity"),
        ("later she moved in with miracle, at her cousin's", "miracle"),
        # B19 / B13: a child said with her age, after a kin word or what ASR made of one.
        ("my daughter journey is four.", "journey"),
        ("my dogger faith is six now", "faith"),
        ("my sun destiny just turned nine", "destiny"),
        ("my girl journey stays with my mom", "journey"),
        # a list of children.
        ("my kids are chance, journey and honor. i did it for them", "journey"),
        ("my kids are chance, journey and honor. i did it for them", "honor"),
        # initials written with stops, a name spelled out, a month that is a name.
        ("we called him T.J., he ran the door", "T.J."),
        ("d.j.'s mother was the one who drove us", "d.j."),
        ("it's spelled t a n i s h a.", "t a n i s h a"),
        ("her name is spelled k, e, y", "k, e, y"),
        ("a girl named April who was sixteen", "April"),
        ("my daughter's name is june, after my grandma", "june"),
        # QA C19: a state that is her name, after a person cue; a person word before it is no town
        ("her name was dakota, she was sixteen.", "dakota"),
        ("My daughter's name is Carolina.", "Carolina"),
        ("there was this girl virginia who helped me.", "virginia"),
        ("my sister montana came to get me.", "montana"),
        ("he made me call him Nevada.", "Nevada"),
        ("my best friend georgia was there too.", "georgia"),
        # unseen77: a month after "we called" or "went by" with no pronoun between
        ("there was a girl out there we called april, and she od'd in april twenty twenty one", "april"),
        ("he went by june back then", "june"),
        # unseen78: a weekday after a person and "called" or "named", whatever follows it
        ("A man called Friday brought me to Dublin on a false permit.", "Friday"),
        ("i met a guy named sunday at the bus park", "sunday"),
        # a name a cue found, mentioned again.
        ("her name was heaven, and i think about heaven every day", "heaven"),
    ],
)
def test_a_name_that_is_a_word_is_found_where_only_a_person_can_stand(text: str, name: str) -> None:
    assert _found(text).get(name) == "PERSON"


def test_a_name_mentioned_again_is_found_only_where_it_is_a_name() -> None:
    text = "her name was heaven, and i think about heaven every day, i hope she's in heaven now"
    found = [s for s in detect(text) if s.text == "heaven"]
    assert [s.start for s in found] == [13, 39]


@pytest.mark.parametrize(
    "text, town",
    [
        # B4: a town after a place noun, between two places, or next in a list of places.
        ("she took me to the clinic in liberty.", "liberty"),
        ("she worked out of a spa in garden grove.", "garden grove"),
        ("he kept me at a house on forty two elm street in warren, it was blue", "warren"),
        ("he drove me from sparks to reno every night.", "sparks"),
        ("we'd drive down to eden then over to liberty, both are little towns", "liberty"),
        ("i was in ohio, in a town called canton, then akron.", "akron"),
        ("We drove through Climax and Intercourse.", "Intercourse"),
        # B19: a town that is an everyday word, explained after a full stop; a town no list has, named as one.
        ("then we moved to hope. it's a small town.", "hope"),
        ("he had a cabin out in hell, that's a real town up north", "hell"),
        # B5: a town in a place slot is a place, not a person.
        ("After that I went to Warren and stayed with my aunt.", "Warren"),
        ("we'd drive down to eden then over to liberty", "eden"),
        ("warren is where it all started.", "warren"),
        ("we lived in friend, nebraska for a year", "friend"),  # a person word is a town with its state after a comma
    ],
)
def test_a_town_beside_another_place_or_said_to_be_one_is_a_location(text: str, town: str) -> None:
    assert _found(text).get(town) == "LOCATION"


@pytest.mark.parametrize(
    "text",
    [
        "the only thing that kept me going was hope, and my faith in the lord.",
        "by the grace of god i made it out.",
        "Hope kept me going when nothing else did.",
        "Faith helped me through the worst of it.",
        "i lost hope after the second time.",
        "i hope she's in heaven now.",
        "she was born in june, and he got out in april.",
        "the rent went by april.",
        "a man called monday morning to say she was gone.",
        "we called friday and they said no.",
        "Everybody came with me to court.",
        "Nobody told me anything about it.",
        "Security came over and asked us to leave.",
        "my son is nine and my daughter is six.",
        "my baby is two and my oldest is ten.",
        "my rent was four hundred a month.",
        "my kids are grown now and they are doing good.",
        "peace came over me when i prayed, and love came with it.",
        "justice was served.",
        "i told the truth, i told them everything.",
        "then we went back to normal, we lived in fear for years.",
        "it went from zero to a hundred, from bad to worse.",
        "I went from the shelter to a motel in town.",
        "i was at the clinic in the morning, the house in the back was his.",
        "i got my g e d in prison.",
        "she said U.S. citizens only, call at 5 p.m. or after.",
        "my sister moved to montana, my cousin lives in virginia, the state of georgia took my kids.",
        "we drove to indiana in may with my friend.",
    ],
)
def test_virtues_months_kin_and_abbreviations_in_ordinary_talk_stay(text: str) -> None:
    assert detect(text) == []


@pytest.mark.parametrize("text", ["they called may 5th a holiday.", "we called june twenty first the longest day."])
def test_a_month_with_its_day_after_a_naming_cue_is_a_date(text: str) -> None:
    assert [s.label for s in detect(text)] == ["DATE"]


@pytest.mark.parametrize(
    "text, name, label",
    [
        # a venue named by everyday words, placed on its street
        ("the dancers at the silver spur on ventana looked out for me", "silver spur", "ORG"),
        ("the dancers at the silver spur on ventana looked out for me", "ventana", "LOCATION"),
        ("i got hired at the lucky dragon off kessler, washing dishes", "lucky dragon", "ORG"),
        # a name found without the word that ends it takes it; an organisation keeps its possessive
        ("she told me about marrowstone house, they feed you there", "marrowstone house", ""),
        ("she delivered at okemah regional, in the night", "okemah regional", "ORG"),
        ("i was at hollowell's every night that summer", "hollowell's", ""),
    ],
)
def test_venues_and_names_with_their_ending_word(text: str, name: str, label: str) -> None:
    """A label of "" says only that the whole name is covered (the model's label may win)."""
    found = _found(text)
    assert name in found and (not label or found[name] == label)


@pytest.mark.parametrize(
    "text",
    [
        # a word a name list or a capital proposes, after an article or a possessive: a thing
        "He drove a Pontiac back then, a silver one.",
        "She had a white Camry with no plates.",
        "my bunkie was older than my mom.",
        # the trade's words and forms, alone
        "I was in the Life for six years, the Game took everything.",
        "My Social is on the form, not here.",
        "my tia raised me after that.",
        # everyday things on a street
        "we waited at the bus stop on main for an hour",
        "she was at the front desk on monday",
    ],
)
def test_things_after_an_article_and_the_trades_words_stay(text: str) -> None:
    assert detect(text) == []


def test_a_word_of_the_trade_before_more_of_a_name_is_still_found() -> None:
    assert "valley" in " ".join(_found("i got baptized at valley bible fellowship last spring"))


@pytest.mark.parametrize(
    "text, name, label",
    [
        ("she moved back in with her dad, she lives in normal now", "normal", "LOCATION"),
        ("there's a house up in paradise where they take girls in", "paradise", "LOCATION"),
        ("i had my son at the northside general, alone", "northside general", "ORG"),
        ("his street name was deacon, everybody knew him", "deacon", "PERSON"),
        ("i'd see charity at meetings but we never talked", "charity", "PERSON"),
        ("we drove up past nack a tish that night", "tish", ""),
    ],
)
def test_towns_after_in_hospitals_monikers_and_people_seen(text: str, name: str, label: str) -> None:
    found = _found(text)
    assert any(name in key for key in found) and (not label or found[name] == label)


@pytest.mark.parametrize(
    "text",
    [
        "things went back to normal after that, i was in normal mode",
        "i put my house in order before i left",
        "in general i stayed home, the attorney general was on tv",
        "he smoked Newports and drank Mountain Dew all day",
        "she always wore Jordans, brand new every week",
        "he'd say you're my bentley girl",
        "we got clean on Groundhog Day, of all days",
        "i saw hope in her eyes that day",
    ],
)
def test_idioms_brands_and_holidays_stay(text: str) -> None:
    assert detect(text) == []


def test_a_town_listed_after_an_adverb_beside_towns_is_found() -> None:
    found = _found("he took me to leeds and bradford and sometimes to hull.")
    assert found.get("hull") == "LOCATION"
