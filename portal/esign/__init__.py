"""Digital signatures: the mock certificate authority (ca) and PAdES signing and checking (pades)."""
