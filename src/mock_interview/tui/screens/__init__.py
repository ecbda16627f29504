"""The app's screens: home, interview, results, the mock interview summary, and dialogs."""
