"""What the answer said against what an interviewer listens for: question banks, rubric,
story phases, the user's stories, follow-ups, the mock interview's summary.

Uses speech and delivery; never the store (the user's files) nor the UI.
"""
