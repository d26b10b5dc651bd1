"""Vietnamese text, one home: everything ingest and query analysis know about the language.

- ``normalize``: NFC with offset maps, folding (đ/Đ and legacy Ð too), tokens;
- ``lexicon``: abbreviations, function words, classifiers, answer-type cues (data);
- ``codes``: the grammar of document symbols ("89/QĐ-TTg") and their OCR confusions (data);
- ``gazetteer``: provinces, districts and communes (vietnamadminunits);
- ``dates``: day/month/year to an ISO date;
- ``sentences``: where sentences end, for the chunker and for sentence units;
- ``segment``: underthesea word segmentation;
- ``restore``: diacritics restored from the folded form, and OCR'd words repaired;
- ``garbled``: whether a text's diacritics can be trusted;
- ``analysis``: what the lexical index holds for a passage and looks up for a query
  (terms, abbreviation expansion, restoration).

Nothing here imports another package of the project.
"""
