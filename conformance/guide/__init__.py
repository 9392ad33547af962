"""The generated conformance tests: one per documented example and API version."""
