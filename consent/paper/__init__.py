"""Letters, paper ballots, home visits and the result certificate for proposals."""
