"""The interview: which question comes next, the prompters, answers files and where answers come from."""
