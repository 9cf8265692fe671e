"""Placeholder replaced by the outbox implementation."""
