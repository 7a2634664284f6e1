"""Exercise checkers, one module per lesson."""
