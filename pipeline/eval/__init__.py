"""Measuring: gold figures and entities (``gold``), NER test sets (``ner``), translation (``mt``)."""
