"""Shared builders for tests (hostile inputs, tiny cities)."""
