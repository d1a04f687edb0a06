"""HTTP: the webhook server, /healthz and /metrics."""
