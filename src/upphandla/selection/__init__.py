"""Selection: the answers pick the requirements, with reasons; the explanation and the JSON export."""
