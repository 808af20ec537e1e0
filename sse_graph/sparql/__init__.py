"""SPARQL 1.1 protocol: lexical guard, worker pool, result serialization, content negotiation."""
