"""Retrieval evaluation on the hand-labelled query set."""
