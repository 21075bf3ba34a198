"""Search over the knowledge base: tokenizing, spelling repair and BM25 ranking."""
