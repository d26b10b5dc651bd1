"""Issue 8: bad input, auth, crash safety, reads during writes, fuzzing and load."""
