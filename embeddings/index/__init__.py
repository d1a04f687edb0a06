"""The index folder: manifest, build, load, passage store, postings, BM25, latent-term index."""
