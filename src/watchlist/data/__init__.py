"""Reference data as YAML and JSON, validated where it is loaded: romanisation equivalents, titles and
legal forms (names.yaml), orthographic fold rules (folding.yaml), number words, learned spelling
equivalences and watchlist-v2's fitted numbers, places and red-flag rules, word and token frequencies."""
