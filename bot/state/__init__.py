"""What the bot remembers: FSM storage, shown answers, limits, the journal (memory or Redis)."""
