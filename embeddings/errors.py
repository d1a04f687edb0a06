"""The small exception tree of the retrieval core."""


class EmbeddingsError(Exception):
    """Base class of every error the retrieval core raises on purpose."""


class CorpusError(EmbeddingsError):
    """An article file cannot be read or parsed; the message names the file."""


class EncoderError(EmbeddingsError):
    """The configured encoder cannot be created or used."""


class IndexFolderError(EmbeddingsError):
    """The index folder is missing, unreadable or corrupted."""


class StaleIndexError(IndexFolderError):
    """The index on disk was built from other seeds or with another encoder."""


class IndexMissingError(IndexFolderError):
    """No index has been built in the folder yet."""
