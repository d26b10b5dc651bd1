"""The CLI and the HTTP API of tracuu."""
