"""The Gradio UI, mounted at / by ``tracuu serve``."""
