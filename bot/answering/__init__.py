"""The answering path every front end shares: planning, batching, the service."""
