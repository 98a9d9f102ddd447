"""`make bench`: run every benchmark of bench/ and rewrite its row of RESULTS.md."""

from bench import audit_chain

if __name__ == "__main__":
    audit_chain.main()
