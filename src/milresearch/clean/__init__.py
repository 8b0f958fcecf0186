"""Cleaning raw tables into validated processed tables, with a log and a cache."""
