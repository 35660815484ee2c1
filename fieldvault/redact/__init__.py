"""Finding identifiers in transcripts and replacing them consistently. Recall first: a missed name can
endanger a participant; the reviewer's time is the price of false alarms. Never logs span text.
"""
