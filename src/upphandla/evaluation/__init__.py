"""After the tender: reading supplier response forms back, scoring and ranking, the evaluation report."""
