"""Package data: the information letter, verbal-consent script, the script that confirms consent again
at a later session, questionnaire and interview guide.

Read with importlib.resources; a study folder may hold its own guide.toml or questionnaire.toml instead.
"""
