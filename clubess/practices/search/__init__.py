"""The search engine: French analysis, thesaurus, an inverted index kept in the database, BM25F ranking."""
