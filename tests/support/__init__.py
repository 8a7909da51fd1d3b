"""Shared test helpers: runs of the real flows, file builders, stores, browsers, and hostile inputs."""
