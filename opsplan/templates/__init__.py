"""The files `opsplan init` scaffolds, shipped as package data."""
