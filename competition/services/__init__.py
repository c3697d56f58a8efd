"""Use-cases: each loads, checks, calls the domain, writes and flushes; the caller commits once."""
