"""Requirement libraries: the format model, YAML with positions, loading, composition, checking, conditions and derived values."""
