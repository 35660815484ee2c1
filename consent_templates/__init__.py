"""Package data: the information letter, verbal-consent script, questionnaire and interview guide.

Read with importlib.resources; a study folder may hold its own guide.toml or questionnaire.toml instead.
"""
